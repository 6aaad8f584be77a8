// krfx/report.h — summaries of many documents: who committed how much.
//
// A Report aggregates the checked mentions of any number of documents into
// rows keyed by entity and action (optionally also target and document),
// with totals in one reporting currency:
//
//   krfx::ReportOptions opt;                  // totals in KRW
//   opt.to_currency = "USD";
//   krfx::LoadError err;
//   if (!krfx::load_report_words("", &opt, &err)) { ... }  // embedded rules/ko/report.rules
//   krfx::CheckOptions copt;                  // krfx/check.h
//   copt.to_currency = opt.to_currency;       // the report reads converted_*
//   krfx::Report report(opt);
//   for (const krfx::Document& doc : docs) {
//     krfx::ExtractResult r = engine->extract(doc);
//     krfx::check_conversions(rates, copt, doc, &r);
//     report.add(doc, r);
//   }
//   krfx::write_report(report, krfx::Format::kCsv, std::cout);
//
// What is counted, per document:
//   - Primary mentions only. A restatement (role conversion) is never summed;
//     it counts in the conversion columns of the row of the amount it
//     restates: `conversions`, `conversions_checked` (verdict consistent or
//     inconsistent, i.e. not unchecked) and `conversions_inconsistent`.
//   - Repeats: a sentence that occurs word for word earlier in the same
//     document (a headline list shown twice) is skipped; its mentions count
//     in `repeats_skipped` of their rows, not in `mentions`. Sentences end at
//     a line break or at . ! ? followed by a space; whitespace runs compare
//     equal; a sentence of fewer than three words (a table cell) never
//     counts as a repeat.
//   - Stated totals: an amount introduced by a total word (list total_word
//     of report.rules; total_gap words such as qualifiers may stand between)
//     replaces the earlier amounts of the same entity and action in the same
//     document that it sums. The parts are taken walking back from the total
//     while their running sum (of low ends, in the reporting currency) stays
//     within the total allowing for its rounding (400 eok covers up to 450
//     eok). A part stays in its row's `mentions` and in `parts_subsumed`,
//     but its amount is not summed: the total carries it. With --by target
//     the total may sit in another row than its parts.
//   - A mention without an entity goes to the row "(unattributed)".
//   - Amounts come from the converted_* fields that check_conversions()
//     fills for CheckOptions::to_currency; a mention it could not convert
//     (no rate) counts in `unconverted` and not in the totals.
//
// All sums are exact Decimals; nothing is rounded after the conversion.
#ifndef KRFX_REPORT_H_
#define KRFX_REPORT_H_

#include <krfx/decimal.h>
#include <krfx/engine.h>
#include <krfx/mention.h>
#include <krfx/output.h>

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <vector>

namespace krfx {

struct ReportOptions {
  std::string to_currency = "KRW";  // the reporting currency (--to)
  bool by_target = false;           // rows also keyed by target (--by target)
  bool by_doc = false;              // rows also keyed by document (--by doc)
  // Words that introduce a stated total, and words allowed between such a
  // word and the amount; normally from load_report_words().
  std::vector<std::string> total_words, total_gap_words;
};

// Fills options->total_words and total_gap_words from the lists total_word
// and total_gap of `rules_dir`/report.rules, or, when rules_dir is empty or
// holds no report.rules, of the copy of rules/ko/report.rules embedded at
// build time. False, with file:line:col in *error, on a malformed file.
bool load_report_words(const std::string& rules_dir, ReportOptions* options, LoadError* error);

// The label of the row of mentions without an entity.
inline constexpr const char* kUnattributed = "(unattributed)";

// One aggregated row. Amounts are in the reporting currency.
struct ReportRow {
  std::string entity, action;
  std::string target, doc;  // filled only when the rows are keyed by them
  std::int64_t mentions = 0;         // primary mentions counted here (parts included)
  std::int64_t repeats_skipped = 0;  // mentions of repeated sentences, not counted
  std::int64_t parts_subsumed = 0;   // mentions whose amount a stated total carries
  std::int64_t unconverted = 0;      // mentions without a rate to the reporting currency
  std::vector<std::string> currencies;  // ISO codes of the mentions, sorted
  std::string currency;                 // the reporting currency
  // Sum of the summed mentions: a range adds its low end to total_low and
  // its high end to total_high. Empty when nothing is summed.
  std::optional<Decimal> total_low, total_high;
  // "floor" when a summed amount is open upwards (ge, gt: the real total is
  // at least this), "ceiling" when one is open downwards (le, lt), "mixed"
  // when both (the sum bounds nothing), else "".
  std::string bound;
  bool approx = false;                // some summed amount is approximate
  std::optional<Decimal> min, max;    // smallest low end, largest high end of any single amount
  std::int64_t conversions = 0, conversions_checked = 0, conversions_inconsistent = 0;
  std::vector<std::string> docs;      // document ids, in the order first seen
};

// Counts over everything added, for the "nothing is lost" check:
// primary_mentions == sum of mentions + sum of repeats_skipped.
struct ReportSummary {
  std::int64_t documents = 0, primary_mentions = 0, conversions = 0;
  std::int64_t mentions = 0, repeats_skipped = 0, parts_subsumed = 0, stated_totals = 0, unconverted = 0;
};

class Report {
 public:
  explicit Report(ReportOptions options);

  // Adds one document; `result` must have been through check_conversions()
  // with to_currency set to options.to_currency. Calls are serialized by an
  // internal lock; rows keep the order in which they were first seen, so
  // add documents in input order for a stable output.
  void add(const Document& doc, const ExtractResult& result);

  // The rows, in the order they were first seen.
  std::vector<ReportRow> rows() const;
  ReportSummary summary() const;
  const ReportOptions& options() const { return options_; }

 private:
  ReportRow& row_for(const Document& doc, const Mention& m);

  ReportOptions options_;
  mutable std::mutex mu_;
  std::vector<ReportRow> rows_;
  std::map<std::vector<std::string>, std::size_t> index_;  // key -> rows_ position
  std::vector<std::set<std::string>> row_docs_;            // rows_[i].docs as a set
  ReportSummary summary_;
};

// The column names in order: entity, action, [target], [doc], mentions,
// repeats_skipped, parts_subsumed, currencies, currency, total, total_low,
// total_high, bound, approx, min, max, unconverted, conversions,
// conversions_checked, conversions_inconsistent, doc_ids. `total` is the sum
// when it is a single figure (total_low == total_high), else empty.
std::vector<std::string> report_field_names(const ReportOptions& options);

struct ReportWriteOptions {
  bool bom = false;  // CSV: start with a UTF-8 byte order mark (Excel)
  int top = 20;      // table: rows shown, largest total_high first; 0 for all
};

// Writes the rows. CSV: RFC 4180 with a header row, decimals in plain form
// (no exponent, no separators), lists (currencies, doc_ids) joined by ';'.
// JSONL: one object per row with the same keys; counts are numbers, approx
// a boolean, amounts strings, currencies and doc_ids arrays. Table: the top
// rows by total, aligned by display_width(), and a summary line.
void write_report(const Report& report, Format format, std::ostream& out, const ReportWriteOptions& options = {});

}  // namespace krfx

#endif  // KRFX_REPORT_H_
