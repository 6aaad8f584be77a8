// krfx/rates.h — reference exchange rates.
//
// A RateTable holds dated observations from CSV files in either layout of
// the output contract, recognised by the header:
//   - ECB:  Date,USD,JPY,...,KRW,...   units of each currency per 1 EUR
//   - long: date,base,quote,rate       units of quote per 1 base
// Lines starting with '#' are comments. Any two currencies connected through
// a common one get a cross rate (KRW per USD from EUR/KRW and EUR/USD), kept
// exact as a Rational.
//
//   krfx::RateTable rates;
//   krfx::LoadError err;
//   if (!rates.add_file("eurofxref-hist.csv", &err)) { ... err.to_string() ... }
//   rates.add_default(&err);                        // the embedded monthly table
//   auto r = rates.find("USD", "KRW", "2025-02-04");  // nearest earlier date
//
// Build it, then share it: find() is const and thread-safe.
#ifndef KRFX_RATES_H_
#define KRFX_RATES_H_

#include <krfx/decimal.h>
#include <krfx/engine.h>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace krfx {

struct Rate {
  Rational value;      // units of quote per one unit of base
  std::string date;    // of the observation (of the older one for a cross rate)
  std::string source;  // the file it came from
};

class RateTable {
 public:
  // Adds the observations of a CSV text; `source` names it in errors and in
  // Rate::source. False, with file:line:col in *error, on a malformed file;
  // nothing is added then.
  bool add_csv(std::string_view content, const std::string& source, LoadError* error);
  bool add_file(const std::string& path, LoadError* error);
  // Adds the default table embedded at build time (monthly ECB figures for
  // USD, JPY, CNY, GBP, HKD and KRW; rules/rates/ecb-monthly.csv).
  bool add_default(LoadError* error);

  bool empty() const { return series_.empty(); }

  // Units of `quote` per one `base` on the latest date on or before `date`
  // (YYYY-MM-DD), directly, inverted or through one other currency. Files
  // added with add_csv/add_file come before the default table: it is used
  // only for pairs they cannot give. Among files, the first added wins a tie.
  std::optional<Rate> find(const std::string& base, const std::string& quote, const std::string& date) const;

 private:
  struct Observation {
    std::string date;
    Rational value;
    int source = 0;
    int tier = 0;  // 0: files given by the user, 1: the default table
  };
  using Pair = std::pair<std::string, std::string>;
  bool add_csv_tier(std::string_view content, const std::string& source, int tier, LoadError* error);
  std::optional<Rate> leg(const std::string& base, const std::string& quote, const std::string& date,
                          int max_tier) const;
  std::optional<Rate> find_tier(const std::string& base, const std::string& quote, const std::string& date,
                                int max_tier) const;
  void add(const std::string& date, const std::string& base, const std::string& quote, Rational value, int source,
           int tier);

  std::map<Pair, std::vector<Observation>> series_;  // each sorted by date
  std::vector<std::string> currencies_;
  std::vector<std::string> sources_;
};

}  // namespace krfx

#endif  // KRFX_RATES_H_
