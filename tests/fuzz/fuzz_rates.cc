// Fuzz harness: the rates loader (krfx::RateTable::add_csv) on arbitrary
// bytes, as `krfx --rates FILE` reads a stranger's file. A refused file
// names the source, a line and a column (file:line:col) and adds nothing;
// an accepted one answers lookups, directly, inverted and crossed.
#include <krfx/rates.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view csv(reinterpret_cast<const char*>(data), size);
  krfx::RateTable table;
  krfx::LoadError err;
  if (!table.add_csv(csv, "fuzz.csv", &err)) {
    KRFX_FUZZ_CHECK(err.file == "fuzz.csv", "error names '%s'", err.file.c_str());
    KRFX_FUZZ_CHECK(err.line >= 1 && err.column >= 1, "no line and column: %s", err.to_string().c_str());
    KRFX_FUZZ_CHECK(!err.message.empty(), "error without a message");
    KRFX_FUZZ_CHECK(table.empty(), "a refused file added rates");
    return 0;
  }
  // Codes from the input itself, so the lookups find something.
  std::string codes[3] = {"USD", "KRW", "EUR"};
  std::size_t n = 0;
  for (std::size_t i = 0; i + 3 <= csv.size() && n < 3; ++i) {
    std::string_view c = csv.substr(i, 3);
    if (krfx_fuzz::is_iso_code(c) && (i + 3 == csv.size() || !(csv[i + 3] >= 'A' && csv[i + 3] <= 'Z')) &&
        (i == 0 || !(csv[i - 1] >= 'A' && csv[i - 1] <= 'Z')))
      codes[n++] = std::string(c);
  }
  for (const std::string& a : codes)
    for (const std::string& b : codes)
      for (const char* date : {"0000-01-01", "2025-02-04", "9999-12-31"}) {
        auto r = table.find(a, b, date);
        if (!r) continue;
        KRFX_FUZZ_CHECK(r->value > 0, "%s/%s on %s: rate not positive", a.c_str(), b.c_str(), date);
        KRFX_FUZZ_CHECK(r->date <= date || a == b, "%s/%s on %s: observation of %s", a.c_str(), b.c_str(), date,
                        r->date.c_str());
      }
  return 0;
}
