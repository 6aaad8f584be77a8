// krfx/decimal.h — exact decimal numbers.
//
// Every amount krfx reports is a Decimal: an arbitrary-precision integer
// coefficient and a base-10 scale, value = coefficient / 10^scale. There is
// no binary floating point anywhere on a value's path, so `21jo9000eok` is
// exactly 21900000000000 and `1hae` (10^20) does not overflow.
//
//   krfx::Decimal d = krfx::Decimal::parse("1.50").value();
//   d.to_string();                       // "1.5"  (canonical: no exponent,
//                                        //  no separators, no trailing zeros)
//   (d * krfx::Decimal::pow10(8)).to_string();   // "150000000"
//
// Decimal is a regular value type: copyable, comparable, thread-compatible.
// A coefficient that fits 64 bits (nearly every amount) is kept in a machine
// word and its arithmetic is checked machine arithmetic; larger ones, and any
// result that would overflow, are exact cpp_int. Which form a value has is
// invisible: the results are the same.
#ifndef KRFX_DECIMAL_H_
#define KRFX_DECIMAL_H_

#include <boost/multiprecision/cpp_int.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace krfx {

class Decimal {
 public:
  using Int = boost::multiprecision::cpp_int;

  Decimal() = default;                       // zero
  explicit Decimal(long long v) : small_(v) {}
  Decimal(const Decimal& o)
      : small_(o.small_), big_(o.big_ ? std::make_unique<Int>(*o.big_) : nullptr), scale_(o.scale_) {}
  Decimal(Decimal&&) noexcept = default;
  Decimal& operator=(const Decimal& o) {
    if (this != &o) {
      small_ = o.small_;
      big_ = o.big_ ? std::make_unique<Int>(*o.big_) : nullptr;
      scale_ = o.scale_;
    }
    return *this;
  }
  Decimal& operator=(Decimal&&) noexcept = default;
  ~Decimal() = default;
  Decimal(Int coef, int scale);              // coef / 10^scale, normalized

  // Parses plain decimal text: optional '-', digits, optional '.' and digits
  // (".25" and "4." are accepted). No separators, no exponent. Returns
  // nullopt on anything else.
  static std::optional<Decimal> parse(std::string_view text);

  // 10^n for n >= 0.
  static Decimal pow10(int n);

  // Exact quotient a / b when it terminates in base 10 (the reduced
  // denominator has no prime factors but 2 and 5); nullopt otherwise or
  // when b is zero. `3/5` -> 0.6, `1/3` -> nullopt.
  static std::optional<Decimal> divide_exact(const Decimal& a, const Decimal& b);

  // Canonical contract form: "-12.5", "0", "21900000000000".
  std::string to_string() const;
  // Appends to_string() to *out: a writer that keeps one buffer allocates
  // nothing for the value (to_string does for 16 digits and more).
  void append_to(std::string* out) const;

  // Exactly `places` digits after the point, padding with zeros (money in a
  // currency's minor unit: "2398.90"). The value must not need more digits.
  std::string to_string_fixed(int places) const;

  bool is_zero() const { return !big_ && small_ == 0; }
  bool is_negative() const { return big_ ? *big_ < 0 : small_ < 0; }
  bool is_integer() const { return scale_ == 0; }
  int scale() const { return scale_; }
  Int coefficient() const { return big_ ? *big_ : Int(small_); }

  // The place value of the lowest non-zero digit: 2000 -> 1000, 1.25 -> 0.01,
  // 0 -> 1. A band such as `2cheonmanwondae` spans [v, v + lowest_place(v)).
  Decimal lowest_place() const;

  friend Decimal operator+(const Decimal& a, const Decimal& b);
  friend Decimal operator-(const Decimal& a, const Decimal& b);
  friend Decimal operator*(const Decimal& a, const Decimal& b);
  Decimal operator-() const;
  // Both forms are canonical (a coefficient that fits a word is never kept
  // as cpp_int), so equal values have equal representations.
  friend bool operator==(const Decimal& a, const Decimal& b) {
    if (a.scale_ != b.scale_ || bool(a.big_) != bool(b.big_)) return false;
    return a.big_ ? *a.big_ == *b.big_ : a.small_ == b.small_;
  }
  friend bool operator!=(const Decimal& a, const Decimal& b) { return !(a == b); }
  friend bool operator<(const Decimal& a, const Decimal& b);
  friend bool operator<=(const Decimal& a, const Decimal& b) { return !(b < a); }
  friend bool operator>(const Decimal& a, const Decimal& b) { return b < a; }

 private:
  static Decimal from_word(std::int64_t coef, int scale);  // coef / 10^scale, normalized
  void normalize();
  std::int64_t small_ = 0;     // the coefficient, when big_ is empty
  std::unique_ptr<Int> big_;   // the coefficient, only when it does not fit 64 bits
                               // (a pointer: a Decimal stays three words, as
                               // amounts are held by the hundred thousand)
  int scale_ = 0;           // always >= 0 after normalize(); trailing zeros removed
};

// Exact ratios, for exchange rates: 729 jo / 5000 eok and cross rates such
// (KRW per EUR) / (USD per EUR) stay exact until they are printed.
using Rational = boost::multiprecision::cpp_rational;

Rational to_rational(const Decimal& d);

// Rounds half to even to `places` digits after the point (may be negative:
// -2 rounds to hundreds). 2398.903 at 2 -> 2398.9; 0.125 at 2 -> 0.12.
Decimal round_places(const Rational& r, int places);

// Rounds half to even to `digits` significant digits: 1457.5 at 4 -> 1458,
// 0.000700123 at 4 -> 0.0007001. Zero stays zero.
Decimal round_significant(const Rational& r, int digits);

}  // namespace krfx

#endif  // KRFX_DECIMAL_H_
