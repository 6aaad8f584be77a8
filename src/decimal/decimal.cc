#include <krfx/decimal.h>

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <limits>

namespace krfx {
namespace {

using Int = Decimal::Int;

// 10^0 .. 10^19: the powers every amount needs come from this table.
constexpr std::uint64_t kSmallPow10[] = {1ULL,
                                         10ULL,
                                         100ULL,
                                         1000ULL,
                                         10000ULL,
                                         100000ULL,
                                         1000000ULL,
                                         10000000ULL,
                                         100000000ULL,
                                         1000000000ULL,
                                         10000000000ULL,
                                         100000000000ULL,
                                         1000000000000ULL,
                                         10000000000000ULL,
                                         100000000000000ULL,
                                         1000000000000000ULL,
                                         10000000000000000ULL,
                                         100000000000000000ULL,
                                         1000000000000000000ULL,
                                         10000000000000000000ULL};
constexpr int kSmallPow10Count = static_cast<int>(sizeof kSmallPow10 / sizeof kSmallPow10[0]);

Int pow10_int(int n) {
  if (n >= 0 && n < kSmallPow10Count) return Int(kSmallPow10[n]);
  Int r = 1;
  // Square-and-multiply keeps 10^n cheap for the large scales fractions need.
  Int base = 10;
  while (n > 0) {
    if (n & 1) r *= base;
    base *= base;
    n >>= 1;
  }
  return r;
}

// c * 10^n, without a multiplication when n is 0 (the usual case: amounts
// of one document mostly share a scale).
Int shifted(const Int& c, int n) {
  if (n == 0) return c;
  if (n < kSmallPow10Count) return c * kSmallPow10[n];
  return c * pow10_int(n);
}

// Brings two decimals to a common scale so their coefficients line up.
void align(const Decimal& a, const Decimal& b, Int* ca, Int* cb, int* scale) {
  *scale = std::max(a.scale(), b.scale());
  *ca = shifted(a.coefficient(), *scale - a.scale());
  *cb = shifted(b.coefficient(), *scale - b.scale());
}

// c * 10^n in a machine word, false when it does not fit.
bool shifted_word(std::int64_t c, int n, std::int64_t* out) {
  if (n == 0) {
    *out = c;
    return true;
  }
  if (n >= 19) return c == 0 ? (*out = 0, true) : false;
  return !__builtin_mul_overflow(c, static_cast<std::int64_t>(kSmallPow10[n]), out);
}

// Both coefficients at the larger scale in machine words, false when either
// does not fit (or either value is already a cpp_int).
bool align_words(std::int64_t a, int sa, std::int64_t b, int sb, std::int64_t* ca, std::int64_t* cb, int* scale) {
  *scale = std::max(sa, sb);
  return shifted_word(a, *scale - sa, ca) && shifted_word(b, *scale - sb, cb);
}

}  // namespace

Decimal::Decimal(Int coef, int scale) : scale_(scale) {
  if (coef >= std::numeric_limits<std::int64_t>::min() && coef <= std::numeric_limits<std::int64_t>::max()) {
    small_ = coef.convert_to<std::int64_t>();
  } else {
    big_ = std::make_unique<Int>(std::move(coef));
  }
  normalize();
}

Decimal Decimal::from_word(std::int64_t coef, int scale) {
  Decimal d;
  d.small_ = coef;
  // An integer in a word is canonical as it is (most figures, and every
  // product of them).
  if (scale == 0) return d;
  d.scale_ = scale;
  d.normalize();
  return d;
}

void Decimal::normalize() {
  if (scale_ < 0) {
    Int c = coefficient() * pow10_int(-scale_);
    big_.reset();
    small_ = 0;
    scale_ = 0;
    if (c >= std::numeric_limits<std::int64_t>::min() && c <= std::numeric_limits<std::int64_t>::max()) {
      small_ = c.convert_to<std::int64_t>();
    } else {
      big_ = std::make_unique<Int>(std::move(c));
    }
  }
  if (big_) {
    while (scale_ > 0) {
      Int q, r;
      boost::multiprecision::divide_qr(*big_, Int(10), q, r);
      if (r != 0) break;
      *big_ = std::move(q);
      --scale_;
    }
    // Canonical: a coefficient that now fits a word is kept as one.
    if (*big_ >= std::numeric_limits<std::int64_t>::min() && *big_ <= std::numeric_limits<std::int64_t>::max()) {
      small_ = big_->convert_to<std::int64_t>();
      big_.reset();
    }
  }
  if (!big_) {
    if (small_ == 0) {
      scale_ = 0;
      return;
    }
    while (scale_ > 0 && small_ % 10 == 0) {
      small_ /= 10;
      --scale_;
    }
  }
}

std::optional<Decimal> Decimal::parse(std::string_view text) {
  std::size_t i = 0;
  bool neg = false;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) neg = text[i++] == '-';
  // Up to 18 significant digits are gathered in a machine word; longer
  // figures go through cpp_int's string reader.
  const std::size_t first = i;
  std::int64_t small = 0;
  int significant = 0;
  int scale = 0;
  bool seen_point = false, seen_digit = false;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c >= '0' && c <= '9') {
      seen_digit = true;
      if (seen_point) ++scale;
      if (significant == 0 && c == '0') continue;  // no leading zeros (cpp_int would read octal)
      ++significant;
      if (significant <= 18) small = small * 10 + (c - '0');
    } else if (c == '.' && !seen_point) {
      seen_point = true;
    } else {
      return std::nullopt;
    }
  }
  if (!seen_digit) return std::nullopt;
  if (significant <= 18) return from_word(neg ? -small : small, scale);
  // Only now the digits as a string: without the point, and without
  // leading zeros (cpp_int would read octal).
  std::string digits;
  digits.reserve(static_cast<std::size_t>(significant));
  for (std::size_t k = first; k < text.size(); ++k)
    if (text[k] != '.' && (!digits.empty() || text[k] != '0')) digits.push_back(text[k]);
  Int coef(digits);
  if (neg) coef = -coef;
  return Decimal(std::move(coef), scale);
}

Decimal Decimal::pow10(int n) {
  if (n >= 0 && n <= 18) return from_word(static_cast<std::int64_t>(kSmallPow10[n]), 0);
  return Decimal(pow10_int(n), 0);
}

std::optional<Decimal> Decimal::divide_exact(const Decimal& a, const Decimal& b) {
  if (b.is_zero()) return std::nullopt;
  // a/b = (ca / cb) with both at a common scale.
  Int num, den;
  int scale;
  align(a, b, &num, &den, &scale);
  Int g = boost::multiprecision::gcd(num, den);
  if (g != 0) {
    num /= g;
    den /= g;
  }
  if (den < 0) {
    den = -den;
    num = -num;
  }
  int twos = 0, fives = 0;
  Int d = den;
  while (d % 2 == 0) { d /= 2; ++twos; }
  while (d % 5 == 0) { d /= 5; ++fives; }
  if (d != 1) return std::nullopt;
  // num/den = num * 10^k / den / 10^k with k = max(twos, fives): exact.
  int k = std::max(twos, fives);
  Int scaled = num * pow10_int(k) / den;
  return Decimal(std::move(scaled), k);
}

std::string Decimal::to_string() const {
  std::string s;
  append_to(&s);
  return s;
}

void Decimal::append_to(std::string* out) const {
  const bool neg = is_negative();
  std::string big_digits;
  std::string_view digits;
  // The magnitude as unsigned, which also holds that of the lowest int64.
  const std::uint64_t m = neg ? 0 - static_cast<std::uint64_t>(small_) : static_cast<std::uint64_t>(small_);
  const fmt::format_int small_digits(m);
  if (!big_) {
    digits = std::string_view(small_digits.data(), small_digits.size());
  } else {
    big_digits = (neg ? Int(-*big_) : *big_).str();
    digits = big_digits;
  }
  if (neg) out->push_back('-');
  const auto scale = static_cast<std::size_t>(scale_);
  if (scale == 0) {
    out->append(digits);
  } else if (digits.size() <= scale) {
    out->append("0.");
    out->append(scale - digits.size(), '0');
    out->append(digits);
  } else {
    out->append(digits.substr(0, digits.size() - scale));
    out->push_back('.');
    out->append(digits.substr(digits.size() - scale));
  }
}

std::string Decimal::to_string_fixed(int places) const {
  std::string s = to_string();
  if (places <= 0) return s;
  std::size_t dot = s.find('.');
  int have = dot == std::string::npos ? 0 : static_cast<int>(s.size() - dot - 1);
  if (dot == std::string::npos) s.push_back('.');
  s.append(static_cast<std::size_t>(std::max(0, places - have)), '0');
  return s;
}

Decimal Decimal::lowest_place() const {
  if (is_zero()) return Decimal(1);
  if (!big_) {
    // The magnitude's trailing zeros; the lowest int64 ends in 8, not 0.
    std::int64_t c = small_;
    int zeros = 0;
    while (c % 10 == 0) {
      c /= 10;
      ++zeros;
    }
    return from_word(static_cast<std::int64_t>(kSmallPow10[zeros]), scale_);
  }
  Int c = *big_ < 0 ? Int(-*big_) : *big_;
  int zeros = 0;
  while (c % 10 == 0) { c /= 10; ++zeros; }
  return Decimal(pow10_int(zeros), scale_);
}

Decimal Decimal::operator-() const {
  if (!big_ && small_ != std::numeric_limits<std::int64_t>::min()) return from_word(-small_, scale_);
  return Decimal(-coefficient(), scale_);
}

Decimal operator+(const Decimal& a, const Decimal& b) {
  std::int64_t ca, cb, sum;
  int s;
  if (!a.big_ && !b.big_ && align_words(a.small_, a.scale_, b.small_, b.scale_, &ca, &cb, &s) &&
      !__builtin_add_overflow(ca, cb, &sum))
    return Decimal::from_word(sum, s);
  Int ia, ib;
  align(a, b, &ia, &ib, &s);
  return Decimal(ia + ib, s);
}

Decimal operator-(const Decimal& a, const Decimal& b) {
  std::int64_t ca, cb, diff;
  int s;
  if (!a.big_ && !b.big_ && align_words(a.small_, a.scale_, b.small_, b.scale_, &ca, &cb, &s) &&
      !__builtin_sub_overflow(ca, cb, &diff))
    return Decimal::from_word(diff, s);
  Int ia, ib;
  align(a, b, &ia, &ib, &s);
  return Decimal(ia - ib, s);
}

Decimal operator*(const Decimal& a, const Decimal& b) {
  std::int64_t product;
  if (!a.big_ && !b.big_ && !__builtin_mul_overflow(a.small_, b.small_, &product))
    return Decimal::from_word(product, a.scale_ + b.scale_);
  return Decimal(a.coefficient() * b.coefficient(), a.scale_ + b.scale_);
}

bool operator<(const Decimal& a, const Decimal& b) {
  std::int64_t ca, cb;
  int s;
  if (!a.big_ && !b.big_ && align_words(a.small_, a.scale_, b.small_, b.scale_, &ca, &cb, &s)) return ca < cb;
  Int ia, ib;
  align(a, b, &ia, &ib, &s);
  return ia < ib;
}

Rational to_rational(const Decimal& d) {
  return Rational(d.coefficient(), pow10_int(d.scale()));
}

Decimal round_places(const Rational& r, int places) {
  // The scaled ratio is left unreduced: the quotient and the comparison of
  // twice the remainder with the denominator do not depend on it, and a
  // gcd of big integers is most of a rounding's cost.
  Int num = boost::multiprecision::numerator(r), den = boost::multiprecision::denominator(r);
  if (places >= 0) {
    num *= pow10_int(places);
  } else {
    den *= pow10_int(-places);
  }
  bool neg = num < 0;
  if (neg) num = -num;
  Int q, rem;
  boost::multiprecision::divide_qr(num, den, q, rem);
  // Half to even: compare twice the remainder with the denominator.
  Int twice = rem * 2;
  if (twice > den || (twice == den && q % 2 == 1)) q += 1;
  if (neg) q = -q;
  if (places >= 0) return Decimal(q, places);
  return Decimal(q * pow10_int(-places), 0);
}

Decimal round_significant(const Rational& r, int digits) {
  if (r == 0) return Decimal();
  // e: the power of ten of the leading digit, 10^e <= |r| < 10^(e+1),
  // found on the integers n / d (compared, never reduced).
  Int n = boost::multiprecision::abs(boost::multiprecision::numerator(r));
  const Int& d = boost::multiprecision::denominator(r);
  int e = 0;
  if (n >= d) {
    for (Int t = d * 10; n >= t; t *= 10) ++e;
  } else {
    for (; n < d; n *= 10) --e;
  }
  return round_places(r, digits - 1 - e);
}

}  // namespace krfx
