// The corpus runner: every line of fixtures/mentions/*.tsv and
// fixtures/values/*.tsv is a case (format: fixtures/README.md). Adding a case
// is adding a line; a failure names file:line.
#include <krfx/engine.h>

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

struct Case {
  std::string where;  // file:line
  std::vector<std::string> cols;
};

using krfx_test::split;

std::vector<Case> read_cases(const std::string& subdir) {
  std::vector<fs::path> files;
  for (const auto& f : fs::directory_iterator(std::string(KRFX_SOURCE_DIR) + "/fixtures/" + subdir))
    if (f.path().extension() == ".tsv") files.push_back(f.path());
  std::sort(files.begin(), files.end());
  std::vector<Case> cases;
  for (const fs::path& p : files) {
    std::ifstream in(p);
    std::string line;
    int n = 0;
    while (std::getline(in, line)) {
      ++n;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.empty() || line[0] == '#') continue;
      cases.push_back({fmt::format("fixtures/{}/{}:{}", subdir, p.filename().string(), n), split(line, "\t")});
    }
  }
  return cases;
}

// A mention in the fixture notation: TEXT = CUR AMOUNT [approx] [bound] [conversion]
std::string describe(const krfx::Mention& m) {
  std::string amount = m.value ? m.value->to_string() : m.low->to_string() + ".." + m.high->to_string();
  std::string s = fmt::format("{} = {} {}", m.text, m.currency, amount);
  if (m.approx) s += " approx";
  if (m.bound != krfx::Bound::kNone) s += fmt::format(" {}", krfx::to_string(m.bound));
  if (m.role == krfx::Role::kConversion) s += " conversion";
  return s;
}

std::string describe_all(const std::vector<krfx::Mention>& ms) {
  if (ms.empty()) return "-";
  std::string s;
  for (const auto& m : ms) s += (s.empty() ? "" : " ; ") + describe(m);
  return s;
}

// A NOTE starting with "known:" marks a case the engine is known to get
// wrong; it is reported apart and must be unmarked once it passes.
bool is_known_failure(const Case& c) { return c.cols.size() > 2 && c.cols[2].rfind("known:", 0) == 0; }

}  // namespace

TEST_CASE("mention corpus", "[corpus]") {
  auto cases = read_cases("mentions");
  REQUIRE(cases.size() > 0);
  int passed = 0, known = 0;
  for (const Case& c : cases) {
    INFO(c.where);
    REQUIRE(c.cols.size() >= 2);
    krfx::Document doc{"case", c.cols[0], ""};
    std::string got = describe_all(engine().extract(doc).mentions);
    bool ok = got == c.cols[1];
    if (is_known_failure(c)) {
      ++known;
      if (ok) FAIL_CHECK(c.where << ": marked known but passes now; remove the mark");
      continue;
    }
    if (!ok) FAIL_CHECK(c.where << "\n  input: " << c.cols[0] << "\n  want:  " << c.cols[1] << "\n  got:   " << got);
    passed += ok;
  }
  WARN(fmt::format("mention corpus: {} passed, {} known failures, {} cases", passed, known, cases.size()));
}

TEST_CASE("value corpus", "[corpus]") {
  auto cases = read_cases("values");
  REQUIRE(cases.size() > 0);
  for (const Case& c : cases) {
    INFO(c.where);
    REQUIRE(c.cols.size() >= 2);
    krfx::ValueResult r = engine().value(c.cols[0]);
    std::string want_currency = c.cols.size() > 2 ? c.cols[2] : "";
    std::string got = !r.ok ? "!" : r.value ? r.value->to_string() : r.low->to_string() + ".." + r.high->to_string();
    if (got != c.cols[1] || (r.ok && r.currency != want_currency))
      FAIL_CHECK(c.where << "\n  expr: " << c.cols[0] << "\n  want: " << c.cols[1] << " " << want_currency
                         << "\n  got:  " << got << " " << r.currency << (r.ok ? "" : " (" + r.error + ")"));
  }
}

TEST_CASE("the embedded rules are the rules of the source tree", "[rules]") {
  krfx::LoadError err;
  auto embedded = krfx::Engine::load_default(&err);
  REQUIRE(embedded);
  krfx::Document doc{"d", "5000억달러(약 729조원)", ""};
  CHECK(describe_all(embedded->extract(doc).mentions) == describe_all(engine().extract(doc).mentions));
}

TEST_CASE("the example article gives its golden output", "[corpus][example]") {
  const std::string dir = std::string(KRFX_SOURCE_DIR) + "/fixtures/example/";
  std::ifstream text_in(dir + "000_0fd408c67c35800f.txt", std::ios::binary);
  REQUIRE(text_in);
  std::string text((std::istreambuf_iterator<char>(text_in)), std::istreambuf_iterator<char>());
  std::ifstream want_in(dir + "000_0fd408c67c35800f.expected");
  REQUIRE(want_in);
  std::vector<std::string> want;
  for (std::string line; std::getline(want_in, line);)
    if (!line.empty() && line[0] != '#') want.push_back(line);
  auto got = engine().extract({"example", text, ""}).mentions;
  REQUIRE(got.size() == want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    const auto& m = got[i];
    std::string line = fmt::format("{}\t{}\t{}\t{}\t{}", m.id, m.start, m.end, describe(m), m.converts);
    CHECK(line == want[i]);
  }
}

// Normalization reads runs of syllables and ASCII sixteen bytes at a time:
// a character that is neither, at any place in or after a run, ends the run
// there, and an amount after it keeps its offsets and value. (The edge
// characters are those next to the syllables: U+ABFF before them, U+D7A4
// and U+D7B0 after, a surrogate and a lone lead byte, which are invalid;
// and ones that fold.)
TEST_CASE("characters next to syllables at any offset keep the amount after them", "[corpus][normalize]") {
  const std::vector<std::string> edges = {"\xEA\xAF\xBF", "\xED\x9E\xA4", "\xED\x9E\xB0", "\xED\x9F\xBF",
                                          "\xEA\x80\x80", "\xED\xA0\x80", "\xEA",         "\xC2\xA0",
                                          "\xE2\x80\xA6", "\xEF\xBC\x95", "\xE3\x80\x80"};
  const std::string syllable = "\xEA\xB0\x80";  // ga, the first syllable
  const std::string last = "\xED\x9E\xA3";      // hih, the last one
  const std::string amount = "5\xEC\x96\xB5\xEC\x9B\x90";  // 5 eok won
  for (const std::string& edge : edges)
    for (int before = 0; before < 24; ++before) {
      std::string text;
      for (int k = 0; k < before; ++k) text += k % 3 == 2 ? std::string(" ") : k % 2 ? last : syllable;
      text += edge;
      for (int k = 0; k < 8; ++k) text += last;
      const std::size_t at = text.size() + 1;
      text += " " + amount + " " + syllable + syllable;
      const krfx::ExtractResult result = engine().extract({"d", text, ""});
      const auto& got = result.mentions;
      INFO("edge " << edge << ", " << before << " characters before it");
      CHECK(result.diagnostics.size() == engine().extract({"d", edge, ""}).diagnostics.size());
      REQUIRE(got.size() == 1);
      CHECK(got[0].byte_start == static_cast<std::int64_t>(at));
      CHECK(got[0].text == amount);
      CHECK(got[0].value->to_string() == "500000000");
    }
}
