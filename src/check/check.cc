// The conversion check: implied rates, rounding-aware verdicts, and amounts
// in one currency. Runs after extraction, on its plain structs.
#include <krfx/check.h>

#include <unicode/ucurr.h>
#include <unicode/ustring.h>

#include <algorithm>
#include <map>
#include <optional>
#include <vector>

namespace krfx {
namespace {

using Int = Decimal::Int;

// An exact ratio left unreduced, its denominator positive: a check combines
// and compares a few figures, and reducing every step by a gcd of big
// integers (as Rational does) was most of its cost. Reduced only when it
// is printed or kept.
struct Fraction {
  Int num, den = 1;

  Rational rational() const { return Rational(num, den); }

  friend Fraction operator+(const Fraction& a, const Fraction& b) {
    return {a.num * b.den + b.num * a.den, a.den * b.den};
  }
  friend Fraction operator-(const Fraction& a, const Fraction& b) {
    return {a.num * b.den - b.num * a.den, a.den * b.den};
  }
  friend Fraction operator*(const Fraction& a, const Fraction& b) { return {a.num * b.num, a.den * b.den}; }
  // `b` is not zero.
  friend Fraction operator/(const Fraction& a, const Fraction& b) {
    Fraction q{a.num * b.den, a.den * b.num};
    if (q.den < 0) {
      q.num = -q.num;
      q.den = -q.den;
    }
    return q;
  }
  friend int compare(const Fraction& a, const Fraction& b) {
    const Int l = a.num * b.den, r = b.num * a.den;
    return l < r ? -1 : l > r ? 1 : 0;
  }
};

Fraction abs_f(const Fraction& f) { return f.num < 0 ? Fraction{-f.num, f.den} : f; }

Fraction fraction(const Decimal& d) { return {d.coefficient(), Decimal::pow10(d.scale()).coefficient()}; }
Fraction fraction(const Rational& r) {
  return {boost::multiprecision::numerator(r), boost::multiprecision::denominator(r)};
}

// Half the place of the last non-zero digit: 729 jo -> 0.5 jo.
Fraction half_step(const Decimal& v) {
  Fraction f = fraction(v.lowest_place());
  f.den *= 2;
  return f;
}

struct End {
  Fraction prim, conv;        // the two figures, as printed (absolute)
  Fraction prim_half, conv_half;
  Fraction implied;           // conv / prim
  Fraction lowest() const { return (conv - conv_half) / (prim + prim_half); }
  Fraction highest() const { return (conv + conv_half) / (prim - prim_half); }
};

// A figure and its rounding interval; ranges give two ends, matched end by end.
std::vector<End> ends_of(const Mention& p, const Mention& c) {
  auto lo = [](const Mention& m) { return m.value ? *m.value : *m.low; };
  auto hi = [](const Mention& m) { return m.value ? *m.value : *m.high; };
  std::vector<End> out;
  for (int k = 0; k < 2; ++k) {
    Decimal pv = k == 0 ? lo(p) : hi(p), cv = k == 0 ? lo(c) : hi(c);
    if (pv.is_zero() || cv.is_zero()) return {};
    Decimal pa = pv.is_negative() ? -pv : pv, ca = cv.is_negative() ? -cv : cv;
    End& e = out.emplace_back(End{fraction(pa), fraction(ca), half_step(pa), half_step(ca), Fraction()});
    e.implied = e.conv / e.prim;
    if (p.value && c.value) break;  // a single figure: one end
  }
  return out;
}

Rational mean_implied(const std::vector<End>& ends) {
  if (ends.size() == 1) return ends.front().implied.rational();
  Fraction sum{0};
  for (const End& e : ends) sum = sum + e.implied;
  return (sum / Fraction{static_cast<long long>(ends.size())}).rational();
}

Rational median(std::vector<Rational> v) {
  std::sort(v.begin(), v.end());
  std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

std::string rate_text(const Rational& r, int digits) { return round_significant(r, digits).to_string(); }

const Mention* restated(const std::vector<Mention>& ms, const Mention& c) {
  if (c.role != Role::kConversion || c.converts < 1 || static_cast<std::size_t>(c.converts) > ms.size()) return nullptr;
  return &ms[static_cast<std::size_t>(c.converts - 1)];
}

std::optional<Rational> stated(const ExtractResult& r, const std::string& base, const std::string& quote) {
  for (const StatedRate& s : r.stated_rates) {
    // "0 won per dollar" is no rate: a reference of 0 divided by zero.
    if (s.rate.is_zero() || s.rate.is_negative()) continue;
    if (s.base == base && s.quote == quote) return to_rational(s.rate);
    if (s.base == quote && s.quote == base) return Rational(1) / to_rational(s.rate);
  }
  return std::nullopt;
}

struct Reference {
  Rational rate;
  std::string date, source;
};

// What the check needs of a mention that restates another.
struct Conversion {
  const Mention* restated = nullptr;
  std::vector<End> ends;  // none when it restates nothing or a zero
  mutable std::optional<Rational> mean;  // of the ends' implied rates, once asked for
};

class Checker {
 public:
  Checker(const RateTable& rates, const CheckOptions& opt, const Document& doc, ExtractResult* result)
      : rates_(rates), opt_(opt), result_(result), date_(doc.date.empty() ? opt.default_date : doc.date) {}

  void run() {
    // Each conversion's ends, worked out once: the check and the medians
    // of every pair read them.
    const std::vector<Mention>& ms = result_->mentions;
    conversions_.resize(ms.size());
    for (std::size_t i = 0; i < ms.size(); ++i) {
      Conversion& x = conversions_[i];
      x.restated = restated(ms, ms[i]);
      if (x.restated) x.ends = ends_of(*x.restated, ms[i]);
    }
    const Fraction tol = fraction(opt_.tolerance_percent) / Fraction{100};
    below_ = Fraction{1} - tol;
    above_ = Fraction{1} + tol;
    for (std::size_t i = 0; i < ms.size(); ++i) check(result_->mentions[i], conversions_[i]);
    if (!opt_.to_currency.empty())
      for (Mention& m : result_->mentions) convert(m);
  }

 private:
  // The implied rates (oriented as units of `quote` per `base`) of the
  // document's conversions between these two currencies.
  std::vector<Rational> pair_rates(const std::string& base, const std::string& quote, bool consistent_only) const {
    std::vector<Rational> out;
    for (std::size_t i = 0; i < result_->mentions.size(); ++i) {
      const Mention& c = result_->mentions[i];
      const Conversion& x = conversions_[i];
      const Mention* p = x.restated;
      if (!p || (consistent_only && c.rate_check != "consistent")) continue;
      if (x.ends.empty()) continue;
      const bool forward = p->currency == base && c.currency == quote;
      if (!forward && !(p->currency == quote && c.currency == base)) continue;
      if (!x.mean) x.mean = mean_implied(x.ends);
      out.push_back(forward ? *x.mean : Rational(1) / *x.mean);
    }
    return out;
  }

  mutable std::map<std::pair<std::string, std::string>, std::optional<Rational>> medians_, stated_;

  // The rate the text states for a pair, looked up once per pair: a
  // document may state thousands of rates and restate thousands of amounts.
  std::optional<Rational> stated_rate(const std::string& base, const std::string& quote) const {
    auto key = std::make_pair(base, quote);
    auto it = stated_.find(key);
    if (it == stated_.end()) it = stated_.emplace(key, stated(*result_, base, quote)).first;
    return it->second;
  }

  std::optional<Reference> reference(const std::string& base, const std::string& quote) const {
    if (auto s = stated_rate(base, quote)) return Reference{*s, "", "text"};
    if (!date_.empty())
      if (auto r = rates_.find(base, quote, date_)) return Reference{r->value, r->date, "table:" + r->source};
    // Against each other: the median of all of them, so one slip among
    // several stands out; a lone conversion has nothing to agree with.
    // Computed once per pair: a document may restate hundreds of amounts.
    auto key = std::make_pair(base, quote);
    auto it = medians_.find(key);
    if (it == medians_.end()) {
      std::vector<Rational> all = pair_rates(base, quote, false);
      std::optional<Rational> m;
      if (all.size() >= 2) m = median(all);
      it = medians_.emplace(key, m).first;
    }
    if (!it->second) return std::nullopt;
    return Reference{*it->second, "", "document"};
  }

  // A reference as the check applies it: the band the tolerance allows
  // around it and its printed form, worked out once per pair.
  struct Applied {
    Fraction rate, band_lo, band_hi;
    std::string text, date, source;
  };
  std::map<std::pair<std::string, std::string>, std::optional<Applied>> applied_;

  const std::optional<Applied>& applied(const std::string& base, const std::string& quote) {
    auto key = std::make_pair(base, quote);
    auto it = applied_.find(key);
    if (it == applied_.end()) {
      std::optional<Applied> a;
      if (auto ref = reference(base, quote)) {
        Fraction rate = fraction(ref->rate);
        a = Applied{rate, rate * below_, rate * above_, rate_text(ref->rate, 6), ref->date, ref->source};
      }
      it = applied_.emplace(std::move(key), std::move(a)).first;
    }
    return it->second;
  }

  void check(Mention& c, const Conversion& x) {
    const Mention* p = x.restated;
    const std::vector<End>& ends = x.ends;
    if (ends.empty()) return;
    // (A single figure has one end: its rate is rounded once.)
    std::string lo = rate_text(ends.front().implied.rational(), 4);
    std::string hi = ends.size() == 1 ? lo : rate_text(ends.back().implied.rational(), 4);
    c.implied_rate = lo == hi ? lo : lo + ".." + hi;
    const std::optional<Applied>& ref = applied(p->currency, c.currency);
    if (!ref) {
      c.rate_check = "unchecked";
      return;
    }
    bool ok = true;
    Fraction worst{0};
    for (const End& e : ends) {
      ok = ok && compare(e.lowest(), ref->band_hi) <= 0 && compare(e.highest(), ref->band_lo) >= 0;
      Fraction dev = (e.implied - ref->rate) / ref->rate * Fraction{100};
      if (compare(abs_f(dev), abs_f(worst)) >= 0) worst = dev;
    }
    c.rate_check = ok ? "consistent" : "inconsistent";
    Decimal dev = round_places(worst.rational(), 2);
    c.rate_deviation = (dev.is_negative() || dev.is_zero() ? "" : "+") + dev.to_string_fixed(2);
    c.reference_rate = ref->text;
    c.reference_date = ref->date;
    c.reference_source = ref->source;
  }

  mutable std::map<std::pair<std::string, std::string>, std::optional<Rational>> consistent_medians_;

  // Units of `to` per one `from`, and where it came from.
  std::optional<Reference> rate_to(const std::string& from, const std::string& to) const {
    if (auto s = stated_rate(from, to)) return Reference{*s, "", "text"};
    auto key = std::make_pair(from, to);
    auto it = consistent_medians_.find(key);
    if (it == consistent_medians_.end()) {
      std::vector<Rational> doc = pair_rates(from, to, true);
      std::optional<Rational> m;
      if (!doc.empty()) m = median(doc);
      it = consistent_medians_.emplace(key, m).first;
    }
    if (it->second) return Reference{*it->second, "", "document"};
    if (!date_.empty())
      if (auto r = rates_.find(from, to, date_)) return Reference{r->value, r->date, "table:" + r->date};
    return std::nullopt;
  }

  void convert(Mention& m) {
    const std::string& to = opt_.to_currency;
    m.converted_currency = to;
    int digits = minor_unit_digits(to);
    auto text = [&](const std::optional<Decimal>& v) { return v ? v->to_string() : std::string(); };
    if (m.currency == to) {
      m.converted_value = text(m.value);
      m.converted_low = text(m.low);
      m.converted_high = text(m.high);
      m.rate_used = "1";
      m.rate_source = "same";
      return;
    }
    auto rate = rate_to(m.currency, to);
    if (!rate) return;
    auto conv = [&](const std::optional<Decimal>& v) {
      if (!v) return std::string();
      return round_places(to_rational(*v) * rate->rate, digits).to_string_fixed(digits);
    };
    m.converted_value = conv(m.value);
    m.converted_low = conv(m.low);
    m.converted_high = conv(m.high);
    // Quoted the usual way: home-currency units per foreign unit (1459 won
    // per dollar whichever way the amount goes).
    Rational quoted = m.currency == opt_.home_currency ? Rational(1) / rate->rate : rate->rate;
    m.rate_used = rate_text(quoted, 6);
    m.rate_source = rate->source;
  }

  const RateTable& rates_;
  const CheckOptions& opt_;
  ExtractResult* result_;
  std::string date_;
  std::vector<Conversion> conversions_;  // per mention, by its place in the result
  Fraction below_, above_;  // 1 - tolerance, 1 + tolerance
};

}  // namespace

int minor_unit_digits(const std::string& iso_code) {
  UChar uc[4] = {0, 0, 0, 0};
  if (iso_code.size() != 3) return 2;
  u_charsToUChars(iso_code.c_str(), uc, 3);
  UErrorCode st = U_ZERO_ERROR;
  int32_t d = ucurr_getDefaultFractionDigits(uc, &st);
  return U_FAILURE(st) ? 2 : d;
}

void check_conversions(const RateTable& rates, const CheckOptions& options, const Document& doc,
                       ExtractResult* result) {
  Checker(rates, options, doc, result).run();
}

}  // namespace krfx
