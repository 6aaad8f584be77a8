// krfx/check.h — checking restated amounts and converting to one currency.
//
// After Engine::extract, check_conversions() fills, for every conversion
// (role == kConversion), the rate it implies, a verdict and the deviation
// from a reference rate; with a target currency it also converts every
// amount:
//
//   krfx::RateTable rates;                 // krfx/rates.h
//   rates.add_default(&err);
//   krfx::CheckOptions opt;                // 2% tolerance, no target
//   opt.default_date = "2025-02-04";
//   krfx::ExtractResult r = engine->extract(doc);
//   krfx::check_conversions(rates, opt, doc, &r);
//
// The reference for a conversion is, in order: a rate the document states
// ("1,460 won per dollar"), the table's rate on the document's date (its `date`, else
// opt.default_date), else the median of all the document's conversions of
// the same pair, so one slip among several stands out (`unchecked` when the
// document has only one). An undated document is never checked
// against the table: a rate from another day says nothing about it.
//
// Printed figures are rounded, so each allows an interval: 729 jo stands for
// 728.5 jo..729.5 jo (half the place of its last non-zero digit). A conversion
// is `consistent` when the rates its two figures allow overlap the reference
// rate widened by the tolerance. All arithmetic is exact; rounding happens
// only in the strings written.
#ifndef KRFX_CHECK_H_
#define KRFX_CHECK_H_

#include <krfx/decimal.h>
#include <krfx/mention.h>
#include <krfx/rates.h>

#include <string>

namespace krfx {

struct CheckOptions {
  Decimal tolerance_percent{2};  // --rate-tolerance
  std::string default_date;      // --date: for documents without one
  std::string to_currency;       // --to: convert every amount into it
  std::string home_currency = "KRW";  // how rate_used is quoted
};

// Fills implied_rate, rate_check, rate_deviation and the reference_* fields
// of conversions, and with options.to_currency the converted_* fields,
// rate_used and rate_source of every mention. Thread-safe for distinct
// results; `rates` is only read.
void check_conversions(const RateTable& rates, const CheckOptions& options, const Document& doc,
                       ExtractResult* result);

// Digits after the point of a currency's minor unit, from ICU (KRW 0, USD 2).
int minor_unit_digits(const std::string& iso_code);

}  // namespace krfx

#endif  // KRFX_CHECK_H_
