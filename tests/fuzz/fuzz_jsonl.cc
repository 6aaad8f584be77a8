// Fuzz harness: the JSONL document reader (krfx::parse_document_line) on
// arbitrary bytes, split into lines the way read_documents splits a file.
// A refused line names a byte column within the line (or just after it)
// and a reason; an accepted one, written back as JSON, reads back the same.
#include <krfx/input.h>

#include <fmt/format.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.h"

namespace {

std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20) {
      out += fmt::format("\\u{:04x}", u);
    } else {
      out += c;  // raw bytes, invalid UTF-8 included, pass through
    }
  }
  return out + "\"";
}

void check_line(const std::string& line) {
  krfx::Document doc;
  krfx::InputError err;
  if (!krfx::parse_document_line(line, &doc, &err)) {
    KRFX_FUZZ_CHECK(!err.message.empty(), "refused without a reason");
    KRFX_FUZZ_CHECK(err.column >= 1 && err.column <= static_cast<std::int64_t>(line.size()) + 1,
                    "column %lld in a line of %zu bytes", static_cast<long long>(err.column), line.size());
    return;
  }
  const std::string again_line = "{\"text\":" + json_string(doc.text) + ",\"id\":" + json_string(doc.id) +
                                 ",\"date\":" + json_string(doc.date) + "}";
  krfx::Document again;
  krfx::InputError again_err;
  KRFX_FUZZ_CHECK(krfx::parse_document_line(again_line, &again, &again_err), "written back, refused: %s",
                  again_err.message.c_str());
  KRFX_FUZZ_CHECK(again.text == doc.text && again.id == doc.id && again.date == doc.date,
                  "written back, read differently");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view all(reinterpret_cast<const char*>(data), size);
  // The whole input as one line, then line by line as read_documents does.
  check_line(std::string(all));
  std::size_t pos = 0;
  while (pos < all.size()) {
    std::size_t nl = all.find('\n', pos);
    if (nl == std::string_view::npos) nl = all.size();
    std::string line(all.substr(pos, nl - pos));
    if (!line.empty() && line.back() == '\r') line.pop_back();
    check_line(line);
    pos = nl + 1;
  }
  return 0;
}
