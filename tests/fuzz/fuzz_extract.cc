// Fuzz harness: Engine::extract on arbitrary bytes, then the conversion
// check and all three writers, as `krfx extract` runs them. Besides crashes
// and sanitizer reports it stops on any broken promise of krfx/mention.h:
// ids, offsets (bytes and code points, an invalid byte counting as one),
// text equal to the span it names, values, currencies, conversions, and
// diagnostics pointing into the document.
#include <krfx/check.h>
#include <krfx/engine.h>
#include <krfx/output.h>
#include <krfx/rates.h>

#include <algorithm>
#include <cstdint>
#include <sstream>
#include <string>

#include "fuzz_check.h"

namespace {

const krfx::Engine& engine() {
  static const krfx::Engine* e = [] {
    krfx::LoadError err;
    auto loaded = krfx::Engine::load_default(&err);
    KRFX_FUZZ_CHECK(loaded != nullptr, "default rules: %s", err.to_string().c_str());
    return loaded.release();
  }();
  return *e;
}

const krfx::RateTable& rates() {
  static const krfx::RateTable* r = [] {
    auto* t = new krfx::RateTable;
    krfx::LoadError err;
    KRFX_FUZZ_CHECK(t->add_default(&err), "default rates: %s", err.to_string().c_str());
    return t;
  }();
  return *r;
}

void check_mentions(const krfx::Document& doc, const krfx::ExtractResult& r) {
  const std::string& t = doc.text;
  std::int64_t prev_end = 0;
  for (std::size_t i = 0; i < r.mentions.size(); ++i) {
    const krfx::Mention& m = r.mentions[i];
    KRFX_FUZZ_CHECK(m.id == static_cast<int>(i) + 1, "mention %zu has id %d", i, m.id);
    KRFX_FUZZ_CHECK(0 <= m.byte_start && m.byte_start < m.byte_end &&
                        m.byte_end <= static_cast<std::int64_t>(t.size()),
                    "mention %d: bytes [%lld, %lld) in a text of %zu", m.id,
                    static_cast<long long>(m.byte_start), static_cast<long long>(m.byte_end), t.size());
    const auto b = static_cast<std::size_t>(m.byte_start), e = static_cast<std::size_t>(m.byte_end);
    KRFX_FUZZ_CHECK(m.byte_start >= prev_end, "mention %d starts at %lld inside the one before (ends %lld)", m.id,
                    static_cast<long long>(m.byte_start), static_cast<long long>(prev_end));
    prev_end = m.byte_end;
    KRFX_FUZZ_CHECK(m.text == t.substr(b, e - b), "mention %d: text is not the bytes it spans", m.id);
    // A figure does not start inside another: not 0000won out of 1,0000won.
    const auto digit = [&](std::size_t k) { return t[k] >= '0' && t[k] <= '9'; };
    KRFX_FUZZ_CHECK(b == 0 || !digit(b) || !(digit(b - 1) || ((t[b - 1] == ',' || t[b - 1] == '.') && b >= 2 && digit(b - 2))),
                    "mention %d starts inside a number at byte %zu", m.id, b);
    KRFX_FUZZ_CHECK(krfx_fuzz::is_boundary(t, b) && krfx_fuzz::is_boundary(t, e),
                    "mention %d: [%zu, %zu) splits a character", m.id, b, e);
    KRFX_FUZZ_CHECK(m.start == krfx_fuzz::code_points_before(t, b), "mention %d: start %lld, want %lld", m.id,
                    static_cast<long long>(m.start), static_cast<long long>(krfx_fuzz::code_points_before(t, b)));
    KRFX_FUZZ_CHECK(m.end == krfx_fuzz::code_points_before(t, e), "mention %d: end %lld, want %lld", m.id,
                    static_cast<long long>(m.end), static_cast<long long>(krfx_fuzz::code_points_before(t, e)));
    KRFX_FUZZ_CHECK(krfx_fuzz::is_iso_code(m.currency), "mention %d: currency '%s'", m.id, m.currency.c_str());
    KRFX_FUZZ_CHECK(m.value.has_value() != (m.low.has_value() && m.high.has_value()) &&
                        m.low.has_value() == m.high.has_value(),
                    "mention %d: needs a value or a low..high, not both", m.id);
    if (m.low) KRFX_FUZZ_CHECK(*m.low <= *m.high, "mention %d: low above high", m.id);
    if (m.role == krfx::Role::kConversion) {
      KRFX_FUZZ_CHECK(m.converts >= 1 && m.converts < m.id, "mention %d converts %d", m.id, m.converts);
      const krfx::Mention& p = r.mentions[static_cast<std::size_t>(m.converts - 1)];
      KRFX_FUZZ_CHECK(p.currency != m.currency, "mention %d restates %d in its own currency", m.id, p.id);
    } else {
      KRFX_FUZZ_CHECK(m.converts == 0, "primary mention %d converts %d", m.id, m.converts);
    }
  }
  std::int64_t prev = -1;
  for (const krfx::Diagnostic& d : r.diagnostics) {
    KRFX_FUZZ_CHECK(d.byte_offset > prev && d.byte_offset < static_cast<std::int64_t>(t.size()),
                    "diagnostic at %lld (previous %lld, text %zu)", static_cast<long long>(d.byte_offset),
                    static_cast<long long>(prev), t.size());
    KRFX_FUZZ_CHECK(krfx_fuzz::utf8_length(t, static_cast<std::size_t>(d.byte_offset)) == 0,
                    "diagnostic at byte %lld, which starts a valid character", static_cast<long long>(d.byte_offset));
    KRFX_FUZZ_CHECK(!d.message.empty(), "diagnostic without a message");
    prev = d.byte_offset;
  }
  for (const krfx::StatedRate& s : r.stated_rates)
    KRFX_FUZZ_CHECK(s.byte_offset >= 0 && s.byte_offset <= static_cast<std::int64_t>(t.size()),
                    "stated rate at %lld", static_cast<long long>(s.byte_offset));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  krfx::Document doc;
  doc.id = "fuzz";
  doc.text.assign(reinterpret_cast<const char*>(data), size);
  // Dated and undated documents take different paths through the check.
  if (size % 2 == 1) doc.date = "2025-02-04";
  krfx::ExtractResult r = engine().extract(doc);
  check_mentions(doc, r);

  // Every invalid byte is reported, in order.
  std::size_t bad = 0;
  for (std::size_t i = 0; i < size;) {
    const std::size_t n = krfx_fuzz::utf8_length(doc.text, i);
    if (n == 0) ++bad;
    i += n == 0 ? 1 : n;
  }
  KRFX_FUZZ_CHECK(r.diagnostics.size() == bad, "%zu diagnostics for %zu invalid bytes", r.diagnostics.size(), bad);

  krfx::CheckOptions opt;
  if (size % 3 == 0) opt.to_currency = "USD";
  krfx::check_conversions(rates(), opt, doc, &r);
  krfx::WriterOptions wopt;
  wopt.conversion_fields = !opt.to_currency.empty();
  for (krfx::Format f : {krfx::Format::kJsonl, krfx::Format::kCsv, krfx::Format::kTable}) {
    std::ostringstream out;
    auto w = krfx::make_writer(f, out, wopt);
    w->begin();
    w->write(doc, r.mentions);
    w->end();
    if (f == krfx::Format::kJsonl) {
      const std::string s = out.str();
      KRFX_FUZZ_CHECK(static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n')) == r.mentions.size(),
                      "JSONL: %zu lines for %zu mentions", static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n')),
                      r.mentions.size());
    }
  }
  return 0;
}
