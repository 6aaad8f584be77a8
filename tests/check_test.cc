// Conversion checks and conversions to one currency, driven by
// fixtures/conversions/*.tsv (format: fixtures/README.md), plus the example
// article against the built-in table and, when ../shared is there, the ECB file.
#include <krfx/check.h>
#include <krfx/engine.h>
#include <krfx/rates.h>

#include "test_support.h"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

using krfx_test::engine;

const krfx::RateTable& default_rates() {
  static krfx::RateTable t = [] {
    krfx::RateTable table;
    krfx::LoadError err;
    if (!table.add_default(&err)) FAIL(err.to_string());
    return table;
  }();
  return t;
}

using krfx_test::split;

krfx::ExtractResult run(const std::string& text, const std::string& date, const krfx::RateTable& rates,
                        const std::string& to = "") {
  krfx::Document doc{"d", text, date == "-" ? "" : date};
  krfx::ExtractResult r = engine().extract(doc);
  krfx::CheckOptions opt;
  opt.to_currency = to;
  krfx::check_conversions(rates, opt, doc, &r);
  return r;
}

std::string describe_conversions(const krfx::ExtractResult& r) {
  std::string s;
  for (const krfx::Mention& m : r.mentions) {
    if (m.role != krfx::Role::kConversion) continue;
    s += (s.empty() ? "" : " ; ") +
         fmt::format("{} -> {} = rate {} {}", m.text, m.converts, m.implied_rate, m.rate_check);
  }
  return s.empty() ? "-" : s;
}

using krfx_test::read_file;

const std::string kExample = std::string(KRFX_SOURCE_DIR) + "/fixtures/example/000_0fd408c67c35800f.txt";

}  // namespace

TEST_CASE("conversion corpus", "[check][corpus]") {
  std::vector<fs::path> files;
  for (const auto& f : fs::directory_iterator(std::string(KRFX_SOURCE_DIR) + "/fixtures/conversions"))
    if (f.path().extension() == ".tsv") files.push_back(f.path());
  std::sort(files.begin(), files.end());
  int n = 0;
  for (const fs::path& p : files) {
    std::ifstream in(p);
    std::string line;
    int no = 0;
    while (std::getline(in, line)) {
      ++no;
      if (line.empty() || line[0] == '#') continue;
      auto cols = split(line, "\t");
      std::string where = fmt::format("fixtures/conversions/{}:{}", p.filename().string(), no);
      INFO(where);
      REQUIRE(cols.size() >= 3);
      ++n;
      std::string got = describe_conversions(run(cols[1], cols[0], default_rates()));
      if (got != cols[2])
        FAIL_CHECK(where << "\n  input: " << cols[1] << "\n  want:  " << cols[2] << "\n  got:   " << got);
    }
  }
  CHECK(n > 0);
}

TEST_CASE("the example's four conversions are consistent with the built-in table", "[check][example]") {
  auto r = run(read_file(kExample), "2025-02-04", default_rates());
  CHECK(describe_conversions(r) ==
        "729조원 -> 1 = rate 1458 consistent ; 21조9000억 -> 3 = rate 1460 consistent ; "
        "21조9000억~36조5000억원 -> 5 = rate 1460 consistent ; 58조3000억원 -> 7 = rate 1458 consistent");
  CHECK(r.mentions[1].reference_date == "2025-02-03");
}

TEST_CASE("a tenfold slip in the example is inconsistent", "[check][example]") {
  std::string text = read_file(kExample);
  const std::string from = "729\xEC\xA1\xB0\xEC\x9B\x90";  // 729 jo won
  text.replace(text.find(from), from.size(), "72.9\xEC\xA1\xB0\xEC\x9B\x90");
  for (const char* date : {"2025-02-04", "-"}) {
    auto r = run(text, date, default_rates());
    CHECK(r.mentions[1].rate_check == "inconsistent");
    CHECK(r.mentions[3].rate_check == "consistent");
  }
}

TEST_CASE("amounts in one currency use the document's median rate", "[check][example]") {
  auto usd = run(read_file(kExample), "-", default_rates(), "USD");
  const krfx::Mention& price = usd.mentions[8];  // 350 man won
  CHECK(price.converted_value == "2398.90");
  CHECK(price.rate_used == "1459");
  CHECK(price.rate_source == "document");
  CHECK(usd.mentions[0].converted_value == "500000000000");
  CHECK(usd.mentions[0].rate_source == "same");
  auto krw = run(read_file(kExample), "-", default_rates(), "KRW");
  CHECK(krw.mentions[2].converted_value == "21885000000000");  // 150 eok dollars at 1459
}

TEST_CASE("the ECB file gives the day's cross rate", "[check][shared]") {
  const std::string ecb = std::string(KRFX_SOURCE_DIR) + "/../shared/rates/eurofxref-hist.csv";
  if (!fs::exists(ecb)) {
    WARN("skipped: " << ecb << " not found (a user's clone has no ../shared)");
    return;
  }
  krfx::RateTable table;
  krfx::LoadError err;
  REQUIRE(table.add_file(ecb, &err));
  auto rate = table.find("USD", "KRW", "2025-02-04");
  REQUIRE(rate);
  CHECK(krfx::round_places(rate->value, 2).to_string() == "1455.45");
  auto r = run(read_file(kExample), "2025-02-04", table);
  CHECK(describe_conversions(r) ==
        "729조원 -> 1 = rate 1458 consistent ; 21조9000억 -> 3 = rate 1460 consistent ; "
        "21조9000억~36조5000억원 -> 5 = rate 1460 consistent ; 58조3000억원 -> 7 = rate 1458 consistent");
}

TEST_CASE("rate files: both layouts, cross rates, nearest earlier date", "[check][rates]") {
  krfx::RateTable t;
  krfx::LoadError err;
  REQUIRE(t.add_csv("# comment\ndate,base,quote,rate\n2025-01-02,USD,KRW,1470\n2025-01-10,USD,KRW,1460.5\n",
                    "long.csv", &err));
  REQUIRE(t.add_csv("Date,USD,JPY,\n2025-01-09,1.03,161.2,\n", "ecb.csv", &err));
  CHECK(krfx::round_places(t.find("USD", "KRW", "2025-01-09")->value, 2).to_string() == "1470");
  CHECK(t.find("USD", "KRW", "2025-01-31")->value == krfx::Rational(14605, 10));
  CHECK(t.find("KRW", "USD", "2025-01-31")->value == krfx::Rational(10, 14605));
  CHECK_FALSE(t.find("USD", "KRW", "2024-12-31"));
  // JPY per USD through EUR: 161.2 / 1.03, exactly.
  CHECK(t.find("USD", "JPY", "2025-01-09")->value == krfx::Rational(1612, 10) / krfx::Rational(103, 100));
  // JPY -> KRW needs two hops; there is no such path.
  CHECK_FALSE(t.find("JPY", "GBP", "2025-01-09"));
}

TEST_CASE("malformed rate files name file, line and column", "[check][rates]") {
  struct Bad {
    const char* csv;
    const char* where;
    const char* what;
  };
  const Bad cases[] = {
      {"", "bad.csv:1:1", "no header"},
      {"when,who\n", "bad.csv:1:1", "header"},
      {"date,base,quote,rate\n2025-13-01,USD,KRW,1\n", "bad.csv:2:1", "not a date"},
      {"date,base,quote,rate\n2025-01-01,usd,KRW,1\n", "bad.csv:2:12", "not a currency code"},
      {"date,base,quote,rate\n2025-01-01,USD,KRW,-3\n", "bad.csv:2:20", "not a positive decimal"},
      {"Date,USD,KRW\n2025-01-01,1.1,abc\n", "bad.csv:2:16", "not a positive decimal"},
      {"Date,USD,Korea\n", "bad.csv:1:10", "not a currency code"},
  };
  for (const Bad& b : cases) {
    krfx::RateTable t;
    krfx::LoadError err;
    INFO(b.csv);
    CHECK_FALSE(t.add_csv(b.csv, "bad.csv", &err));
    CHECK(err.to_string().rfind(b.where, 0) == 0);
    CHECK(err.to_string().find(b.what) != std::string::npos);
    CHECK(t.empty());
  }
}
