// Decimal arithmetic: the contract's canonical form and exactness beyond
// 64 bits. Most value behaviour is covered by fixtures/values; these are the
// cases a corpus cannot reach.
#include <krfx/decimal.h>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

using krfx::Decimal;

static Decimal D(const char* s) { return *Decimal::parse(s); }

TEST_CASE("canonical form drops trailing zeros and keeps no exponent", "[decimal]") {
  CHECK(D("1.50").to_string() == "1.5");
  CHECK(D("-0.0").to_string() == "0");
  CHECK(D(".25").to_string() == "0.25");
  CHECK(D("4.").to_string() == "4");
  CHECK(D("0012").to_string() == "12");
  CHECK((D("1") * Decimal::pow10(20)).to_string() == "100000000000000000000");
}

TEST_CASE("parse rejects what is not a plain decimal", "[decimal]") {
  for (const char* bad : {"", "-", ".", "1e5", "1,000", "1.2.3", "+-1", "abc", "1 000"})
    CHECK_FALSE(Decimal::parse(bad).has_value());
}

TEST_CASE("arithmetic is exact beyond 64 bits", "[decimal]") {
  Decimal big = D("9999") * Decimal::pow10(16);
  CHECK(big.to_string() == "99990000000000000000");
  CHECK((big + D("0.01")).to_string() == "99990000000000000000.01");
  CHECK((D("0.1") + D("0.2")).to_string() == "0.3");
  CHECK((D("1.5") - D("2")).to_string() == "-0.5");
  CHECK(D("2") < D("10"));
  CHECK(D("-3") < D("-2.5"));
}

TEST_CASE("divide_exact gives terminating quotients only", "[decimal]") {
  CHECK(Decimal::divide_exact(D("3"), D("5"))->to_string() == "0.6");
  CHECK(Decimal::divide_exact(D("1"), D("128"))->to_string() == "0.0078125");
  CHECK(Decimal::divide_exact(D("-1"), D("2500"))->to_string() == "-0.0004");
  CHECK_FALSE(Decimal::divide_exact(D("1"), D("3")).has_value());
  CHECK_FALSE(Decimal::divide_exact(D("1"), D("0")).has_value());
}

TEST_CASE("lowest_place is the step of a band", "[decimal]") {
  CHECK(D("20000000").lowest_place().to_string() == "10000000");
  CHECK(D("1500000000000").lowest_place().to_string() == "100000000000");
  CHECK(D("1.25").lowest_place().to_string() == "0.01");
  CHECK(D("7").lowest_place().to_string() == "1");
}

TEST_CASE("rounding is half to even and exact", "[decimal]") {
  using krfx::Rational;
  CHECK(krfx::round_significant(Rational(14575, 10), 4).to_string() == "1458");
  CHECK(krfx::round_significant(Rational(14585, 10), 4).to_string() == "1458");
  CHECK(krfx::round_significant(Rational(2919, 2), 4).to_string() == "1460");
  CHECK(krfx::round_significant(Rational(7, 10000), 4).to_string() == "0.0007");
  CHECK(krfx::round_significant(Rational(-1, 3), 4).to_string() == "-0.3333");
  CHECK(krfx::round_significant(Rational(999995, 100), 4).to_string() == "10000");
  CHECK(krfx::round_places(Rational(3500000, 1459), 2).to_string() == "2398.9");
  CHECK(krfx::round_places(Rational(125, 1000), 2).to_string() == "0.12");
  CHECK(krfx::round_places(Rational(135, 1000), 2).to_string() == "0.14");
  CHECK(krfx::round_places(Rational(-25, 10), 0).to_string() == "-2");
  CHECK(krfx::round_places(Rational(1250), -2).to_string() == "1200");
  // The implied rate of 1jo 2345eok 6789man won for 8eok 4567man dollars,
  // exactly: 1234567890000 / 845670000 = 1459.8695...
  Rational exact = krfx::to_rational(*krfx::Decimal::parse("1234567890000")) /
                   krfx::to_rational(*krfx::Decimal::parse("845670000"));
  CHECK(krfx::round_significant(exact, 4).to_string() == "1460");
  CHECK(krfx::round_places(exact, 6).to_string() == "1459.869559");
}

// Values in a machine word and values in cpp_int take different paths;
// every operation must agree with exact rational arithmetic on both, and at
// the edges where a word result overflows into cpp_int.
TEST_CASE("word and cpp_int forms agree with exact arithmetic", "[decimal]") {
  using krfx::Rational;
  using krfx::to_rational;
  std::vector<Decimal> values;
  for (const char* s : {"0", "1", "-1", "7", "0.5", "-0.25", "1234567.891", "9223372036854775807",
                        "-9223372036854775808", "9223372036854775808", "-9223372036854775809",
                        "4611686018427387904", "3037000500", "-3037000500", "0.000000000000000001",
                        "99990000000000000000", "123456789012345678901234567890.5", "10000000000000000000",
                        "922337203685477580.7", "-0.9223372036854775808"})
    values.push_back(D(s));
  // A fixed sequence of mixed magnitudes and scales (a small LCG, so the
  // cases are the same on every platform).
  std::uint64_t x = 12345;
  for (int i = 0; i < 200; ++i) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    std::string s = std::to_string(x >> (x % 50));
    if (x % 3 == 0) s.insert(s.size() - std::min<std::size_t>(s.size(), x % 7), ".");
    if (s.front() == '.') s.insert(0, "0");
    if (x % 2 == 0) s.insert(0, "-");
    values.push_back(D(s.c_str()));
  }
  for (const Decimal& a : values) {
    // Canonical text reads back to the same value; append_to adds the same
    // text after what is there.
    CHECK(D(a.to_string().c_str()) == a);
    std::string appended = "x=";
    a.append_to(&appended);
    CHECK(appended == "x=" + a.to_string());
    CHECK(to_rational(-a) == -to_rational(a));
    for (const Decimal& b : values) {
      CHECK(to_rational(a + b) == to_rational(a) + to_rational(b));
      CHECK(to_rational(a - b) == to_rational(a) - to_rational(b));
      CHECK(to_rational(a * b) == to_rational(a) * to_rational(b));
      CHECK((a < b) == (to_rational(a) < to_rational(b)));
      CHECK((a == b) == (to_rational(a) == to_rational(b)));
    }
  }
}
