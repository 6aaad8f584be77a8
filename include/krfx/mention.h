// krfx/mention.h — the plain structs that flow between stages.
//
// A Document goes in, Mentions come out. Field meanings follow the output
// contract (shared spec `output-contract.md`, v1); writers in krfx/output.h
// print them in the contract's order.
#ifndef KRFX_MENTION_H_
#define KRFX_MENTION_H_

#include <krfx/decimal.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace krfx {

// One input document. `text` is the raw bytes as given (normally UTF-8;
// invalid sequences are reported, not fatal). `date` is "YYYY-MM-DD" or empty.
struct Document {
  std::string id;
  std::string text;
  std::string date;
};

enum class Bound { kNone, kGe, kGt, kLe, kLt };
enum class Role { kPrimary, kConversion };

// One money mention. Offsets are half-open: `start`/`end` count Unicode code
// points of the document text as given (an invalid byte counts as one code
// point), `byte_start`/`byte_end` count UTF-8 bytes of the same text.
struct Mention {
  int id = 0;                 // 1-based ordinal in text order
  std::int64_t start = 0, end = 0;
  std::int64_t byte_start = 0, byte_end = 0;
  std::string text;           // exact surface, qualifiers excluded
  std::string currency;       // ISO 4217 code
  std::optional<Decimal> value;       // a single amount
  std::optional<Decimal> low, high;   // a range or band (value empty)
  bool approx = false;
  Bound bound = Bound::kNone;
  Role role = Role::kPrimary;
  int converts = 0;           // for a conversion: id of the restated mention
  // Filled by the conversion check (krfx/check.h): for a conversion, the
  // rate it implies (4 significant digits), its verdict and its signed
  // deviation from the reference in percent (2 decimals, "+0.18", "-0.40").
  std::string implied_rate, rate_check, rate_deviation;
  // What the verdict was measured against: a rate, its date and source
  // ("table:ECB ...", "text", "document"); for reports, not the contract.
  std::string reference_rate, reference_date, reference_source;
  // Filled by linking (src/link): who, what, to whom; empty when unknown.
  std::string entity, action, target;
  // With a target currency (--to): the amount in it, the rate used (in the
  // usual quotation: units of the home currency per foreign unit) and where
  // the rate came from: same, text, document or table:YYYY-MM-DD.
  // Converted amounts are printed with exactly the target's minor-unit
  // digits (2398.90 USD, 3500000 KRW), so they are kept as text.
  std::string converted_currency, converted_value, converted_low, converted_high;
  std::string rate_used, rate_source;
};

// A rate written in the text ("1,460 won per dollar"): `rate` units of `quote` per one
// unit of `base`.
struct StatedRate {
  std::string base, quote;
  Decimal rate;
  std::int64_t byte_offset = 0;
};

// A problem found in one document that did not stop its processing, such as
// an invalid UTF-8 sequence. `byte_offset` points into Document::text.
struct Diagnostic {
  std::int64_t byte_offset = 0;
  std::string message;
};

struct ExtractResult {
  std::vector<Mention> mentions;
  std::vector<StatedRate> stated_rates;
  std::vector<Diagnostic> diagnostics;
};

const char* to_string(Bound b);   // "", "ge", "gt", "le", "lt"
const char* to_string(Role r);    // "primary", "conversion"

}  // namespace krfx

#endif  // KRFX_MENTION_H_
