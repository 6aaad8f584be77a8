// Fuzz harness: Engine::value on arbitrary strings, as `krfx value` reads
// each argument. A figure is a point (value) or a band (low <= high), with
// an ISO code or no currency; a refusal says why. A point read back from
// its own canonical text must give itself.
#include <krfx/engine.h>

#include <cstdint>
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

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string expr(reinterpret_cast<const char*>(data), size);
  krfx::ValueResult r = engine().value(expr);
  if (!r.ok) {
    KRFX_FUZZ_CHECK(!r.error.empty(), "refused without a reason");
    KRFX_FUZZ_CHECK(!r.value && !r.low && !r.high, "refused, but with a value");
    return 0;
  }
  KRFX_FUZZ_CHECK(r.currency.empty() || krfx_fuzz::is_iso_code(r.currency), "currency '%s'", r.currency.c_str());
  KRFX_FUZZ_CHECK(r.value.has_value() != (r.low.has_value() && r.high.has_value()) &&
                      r.low.has_value() == r.high.has_value(),
                  "needs a value or a low..high, not both");
  if (r.low) {
    KRFX_FUZZ_CHECK(*r.low <= *r.high, "low %s above high %s", r.low->to_string().c_str(),
                    r.high->to_string().c_str());
    return 0;
  }
  const std::string canonical = r.value->to_string();
  krfx::ValueResult again = engine().value(canonical);
  KRFX_FUZZ_CHECK(again.ok && again.value && *again.value == *r.value && again.currency.empty(),
                  "'%s' read back as %s", canonical.c_str(),
                  again.ok && again.value ? again.value->to_string().c_str() : again.error.c_str());
  return 0;
}
