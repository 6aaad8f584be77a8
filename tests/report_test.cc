// krfx report: the corpus of fixtures/reports (documents and the aggregated
// rows they must give; format: fixtures/reports/README.md), unit cases on
// hand-made mentions for the counting rules, and the command line (CSV read
// back by python3, totals against an independent sum over `extract --to`).
#include <krfx/check.h>
#include <krfx/engine.h>
#include <krfx/input.h>
#include <krfx/output.h>
#include <krfx/rates.h>
#include <krfx/report.h>

#include "test_support.h"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace {

const std::string kSource = KRFX_SOURCE_DIR;
const std::string kReports = kSource + "/fixtures/reports";
const std::string kExample = kSource + "/fixtures/example/000_0fd408c67c35800f.txt";

using krfx_test::engine;

krfx::ReportOptions report_options() {
  krfx::ReportOptions o;
  krfx::LoadError err;
  if (!krfx::load_report_words(kSource + "/rules/ko", &o, &err)) FAIL("report.rules does not load: " << err.to_string());
  return o;
}

// RFC 4180 reader: quoted fields, doubled quotes, line breaks inside quotes.
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false, any = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') field += '"', ++i;
      else if (c == '"') quoted = false;
      else field += c;
    } else if (c == '"') {
      quoted = true;
      any = true;
    } else if (c == ',') {
      row.push_back(field), field.clear();
      any = true;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      row.push_back(field), field.clear();
      rows.push_back(row), row.clear();
      any = false;
    } else {
      field += c;
      any = true;
    }
  }
  if (any) row.push_back(field), rows.push_back(row);
  return rows;
}

// Rows as maps from column name to cell.
std::vector<std::map<std::string, std::string>> csv_records(const std::string& text) {
  auto rows = parse_csv(text);
  std::vector<std::map<std::string, std::string>> out;
  if (rows.empty()) return out;
  for (std::size_t r = 1; r < rows.size(); ++r) {
    std::map<std::string, std::string> rec;
    for (std::size_t i = 0; i < rows[0].size() && i < rows[r].size(); ++i) rec[rows[0][i]] = rows[r][i];
    out.push_back(rec);
  }
  return out;
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  std::istringstream in(s);
  while (std::getline(in, cur, sep)) out.push_back(cur);
  if (!s.empty() && s.back() == sep) out.push_back("");
  return out;
}

// The options of a fixture's "# options:" line.
struct RunOptions {
  krfx::ReportOptions report = report_options();
  std::string date;
  std::vector<std::string> rates;
  bool default_rates = true;
};

bool parse_options(const std::string& line, RunOptions* o, std::string* error) {
  std::istringstream in(line);
  std::string opt;
  while (in >> opt) {
    std::string value;
    if (opt == "--no-default-rates") {
      o->default_rates = false;
      continue;
    }
    if (!(in >> value)) return *error = "option " + opt + " needs a value", false;
    if (opt == "--to") o->report.to_currency = value;
    else if (opt == "--date") o->date = value;
    else if (opt == "--rates") o->rates.push_back(kReports + "/" + value);
    else if (opt == "--by") {
      for (const std::string& b : split(value, ',')) {
        if (b == "target") o->report.by_target = true;
        else if (b == "doc") o->report.by_doc = true;
        else return *error = "--by " + b, false;
      }
    } else {
      return *error = "unknown option " + opt, false;
    }
  }
  return true;
}

struct Run {
  std::unique_ptr<krfx::Report> report;
  std::int64_t primaries = 0;              // counted straight from extract()
  std::vector<krfx::Document> docs;
  std::vector<krfx::ExtractResult> results;  // after check_conversions
};

// The library pipeline of `krfx report`: extract, check with --to, add.
Run run(const std::string& input, const RunOptions& o) {
  krfx::RateTable rates;
  krfx::LoadError err;
  for (const std::string& f : o.rates) REQUIRE(rates.add_file(f, &err));
  if (o.default_rates) REQUIRE(rates.add_default(&err));
  krfx::CheckOptions copt;
  copt.default_date = o.date;
  copt.to_currency = o.report.to_currency;
  copt.home_currency = engine().home_currency();
  Run r;
  r.report = std::make_unique<krfx::Report>(o.report);
  std::int64_t errors = krfx::read_documents(
      input, krfx::InputKind::kAuto,
      [&](krfx::Document&& doc) {
        krfx::ExtractResult x = engine().extract(doc);
        for (const krfx::Mention& m : x.mentions) r.primaries += m.role == krfx::Role::kPrimary;
        krfx::check_conversions(rates, copt, doc, &x);
        r.report->add(doc, x);
        r.docs.push_back(doc);
        r.results.push_back(std::move(x));
      },
      [&](const krfx::InputError& e) { FAIL_CHECK(e.to_string()); });
  CHECK(errors == 0);
  return r;
}

std::string write(const krfx::Report& report, krfx::Format f, krfx::ReportWriteOptions w = {}) {
  std::ostringstream out;
  krfx::write_report(report, f, out, w);
  return out.str();
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// ---------------------------------------------------------------------------
// Hand-made mentions for the unit cases.

krfx::Mention money(int id, const std::string& text, const std::string& doc_text, const std::string& value,
                    const std::string& entity, const std::string& action, const std::string& currency = "KRW") {
  krfx::Mention m;
  m.id = id;
  m.text = text;
  m.currency = currency;
  std::size_t at = doc_text.find(text);
  REQUIRE(at != std::string::npos);
  m.byte_start = static_cast<std::int64_t>(at);
  m.byte_end = static_cast<std::int64_t>(at + text.size());
  auto dots = value.find("..");
  if (dots == std::string::npos) {
    m.value = krfx::Decimal::parse(value);
  } else {
    m.low = krfx::Decimal::parse(value.substr(0, dots));
    m.high = krfx::Decimal::parse(value.substr(dots + 2));
  }
  m.entity = entity;
  m.action = action;
  return m;
}

// Finds each mention's text after the previous one, for texts that repeat.
void place(const std::string& doc_text, std::vector<krfx::Mention>* ms) {
  std::size_t from = 0;
  for (krfx::Mention& m : *ms) {
    std::size_t at = doc_text.find(m.text, from);
    REQUIRE(at != std::string::npos);
    m.byte_start = static_cast<std::int64_t>(at);
    m.byte_end = static_cast<std::int64_t>(at + m.text.size());
    from = at + m.text.size();
  }
}

std::vector<krfx::ReportRow> report_of(const std::string& text, std::vector<krfx::Mention> ms,
                                       krfx::ReportOptions o = report_options()) {
  place(text, &ms);
  krfx::Report r(o);
  krfx::ExtractResult x;
  x.mentions = ms;
  r.add(krfx::Document{"d", text, ""}, x);
  return r.rows();
}

const krfx::ReportRow& row(const std::vector<krfx::ReportRow>& rows, const std::string& entity,
                           const std::string& action, const std::string& target = "") {
  for (const krfx::ReportRow& r : rows)
    if (r.entity == entity && r.action == action && r.target == target) return r;
  FAIL("no row " << entity << " / " << action << " / " << target);
  static krfx::ReportRow none;
  return none;
}

std::string s(const std::optional<krfx::Decimal>& d) { return d ? d->to_string() : "-"; }

// ---------------------------------------------------------------------------
// The command line

// build/krfx, next to the test binary's own directory (build/tests).
std::string krfx_binary() {
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return "";
  fs::path bin = self.parent_path().parent_path() / "krfx";
  return fs::exists(bin) ? bin.string() : "";
}

// Runs a shell command; its standard output, and its exit status in *status.
std::string shell(const std::string& cmd, int* status = nullptr) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return out;
  char buf[4096];
  std::size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int rc = pclose(p);
  if (status) *status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  return out;
}

std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

bool have_python() { return shell("python3 -c 'print(1)' 2>/dev/null") == "1\n"; }

}  // namespace

// ---------------------------------------------------------------------------

TEST_CASE("report corpus", "[report]") {
  std::vector<fs::path> files;
  for (const auto& f : fs::directory_iterator(kReports))
    if (f.path().extension() == ".expected") files.push_back(f.path());
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 5);
  for (const fs::path& file : files) {
    const std::string name = "fixtures/reports/" + file.filename().string();
    INFO(name);
    std::ifstream in(file);
    std::string line, input;
    RunOptions opt;
    std::vector<std::string> header;
    std::vector<std::pair<int, std::vector<std::string>>> want;
    int n = 0;
    while (std::getline(in, line)) {
      ++n;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.rfind("# input:", 0) == 0) {
        std::istringstream(line.substr(8)) >> input;
      } else if (line.rfind("# options:", 0) == 0) {
        std::string error;
        if (!parse_options(line.substr(10), &opt, &error)) FAIL(name << ":" << n << ": " << error);
      } else if (line.empty() || line[0] == '#') {
        continue;
      } else if (header.empty()) {
        header = split(line, '\t');
      } else {
        want.push_back({n, split(line, '\t')});
      }
    }
    REQUIRE(!input.empty());
    REQUIRE(!header.empty());
    Run r = run(kReports + "/" + input, opt);
    auto got = csv_records(write(*r.report, krfx::Format::kCsv));
    auto names = krfx::report_field_names(opt.report);
    for (const std::string& h : header)
      if (std::find(names.begin(), names.end(), h) == names.end()) FAIL(name << ": no column '" << h << "'");
    std::string got_text, want_text;
    for (const auto& rec : got) {
      std::vector<std::string> cells;
      for (const std::string& h : header) cells.push_back(rec.at(h));
      got_text += fmt::format("{}\n", fmt::join(cells, "\t"));
    }
    for (const auto& [line_no, cells] : want) {
      if (cells.size() != header.size())
        FAIL_CHECK(name << ":" << line_no << ": " << cells.size() << " cells, header has " << header.size());
      want_text += fmt::format("{}\n", fmt::join(cells, "\t"));
    }
    if (got_text != want_text)
      FAIL_CHECK(name << "\n  columns: " << fmt::format("{}", fmt::join(header, "\t")) << "\n  want:\n" << want_text
                      << "  got:\n" << got_text);

    // Nothing is lost: every primary mention is counted or a skipped repeat.
    std::int64_t counted = 0, skipped = 0;
    for (const krfx::ReportRow& row : r.report->rows()) counted += row.mentions, skipped += row.repeats_skipped;
    CHECK(counted + skipped == r.primaries);
    CHECK(r.report->summary().primary_mentions == r.primaries);
  }
}

TEST_CASE("report: the example article, as the issue states it", "[report]") {
  RunOptions opt;
  opt.report.to_currency = "USD";
  Run r = run(kExample, opt);
  auto rows = r.report->rows();
  const krfx::ReportRow& sb = row(rows, "소프트뱅크", "투자");
  CHECK(s(sb.total_low) == "40000000000");
  CHECK(s(sb.total_high) == "40000000000");
  CHECK(sb.bound == "floor");
  CHECK(sb.parts_subsumed == 2);
  CHECK(sb.mentions == 3);
  CHECK(sb.currencies == std::vector<std::string>{"USD"});  // no won restatement
  CHECK(sb.conversions == 3);
  CHECK(sb.conversions_checked == 3);
  CHECK(sb.conversions_inconsistent == 0);
  const krfx::ReportRow& partners = row(rows, "소프트뱅크·오픈AI·오라클", "투자");
  CHECK(s(partners.total_low) == "500000000000");
  CHECK(partners.conversions_checked == 1);
  std::int64_t skipped = 0, counted = 0;
  for (const auto& x : rows) skipped += x.repeats_skipped, counted += x.mentions;
  CHECK(skipped == 3);  // the portal's headline list is shown twice
  CHECK(counted + skipped == r.primaries);
  CHECK(r.primaries == 10);
}

TEST_CASE("report: restatements are never summed", "[report]") {
  std::string text = "A사는 B에 100억달러(약 14조원)를 투자한다.";
  auto usd = money(1, "100억달러", text, "10000000000", "A사", "투자", "USD");
  auto krw = money(2, "14조원", text, "14000000000000", "A사", "투자");
  krw.role = krfx::Role::kConversion;
  krw.converts = 1;
  krw.rate_check = "inconsistent";
  usd.converted_currency = krw.converted_currency = "KRW";
  usd.converted_value = "14000000000000";
  krw.converted_value = "14000000000000";
  auto rows = report_of(text, {usd, krw});
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].mentions == 1);
  CHECK(s(rows[0].total_low) == "14000000000000");
  CHECK(rows[0].currencies == std::vector<std::string>{"USD"});
  CHECK(rows[0].conversions == 1);
  CHECK(rows[0].conversions_checked == 1);
  CHECK(rows[0].conversions_inconsistent == 1);
}

TEST_CASE("report: stated totals replace the parts they sum", "[report]") {
  SECTION("a range and a point, then the total") {
    std::string text = "A사는 B에 150억원을, C에 150억~250억원을 투자하는 등 총 400억원 이상을 투자한다.";
    auto rows = report_of(text, {money(1, "150억원", text, "15000000000", "A사", "투자"),
                                 money(2, "150억~250억원", text, "15000000000..25000000000", "A사", "투자"),
                                 money(3, "400억원", text, "40000000000", "A사", "투자")});
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].parts_subsumed == 2);
    CHECK(rows[0].mentions == 3);
    CHECK(s(rows[0].total_low) == "40000000000");
    CHECK(s(rows[0].total_high) == "40000000000");
    CHECK(s(rows[0].min) == "15000000000");
    CHECK(s(rows[0].max) == "40000000000");
  }
  SECTION("the other total words, glued or after a qualifier") {
    for (std::string lead : {"합계 ", "모두 ", "전체 ", "합쳐 ", "총", "총 약 ", "모두 합쳐 최대 "}) {
      std::string text = "A사는 B에 10억원, C에 20억원을 빌려줬다. " + lead + "30억원이다.";
      INFO(text);
      auto rows = report_of(text, {money(1, "10억원", text, "1000000000", "A사", "대출"),
                                   money(2, "20억원", text, "2000000000", "A사", "대출"),
                                   money(3, "30억원", text, "3000000000", "A사", "대출")});
      CHECK(rows[0].parts_subsumed == 2);
      CHECK(s(rows[0].total_low) == "3000000000");
    }
  }
  SECTION("no total word: every amount counts") {
    for (std::string lead : {"", "매출총 ", "총액은 ", "전체적으로 "}) {
      std::string text = "A사는 B에 10억원, C에 20억원을 빌려줬다. 그리고 " + lead + "30억원이다.";
      INFO(text);
      auto rows = report_of(text, {money(1, "10억원", text, "1000000000", "A사", "대출"),
                                   money(2, "20억원", text, "2000000000", "A사", "대출"),
                                   money(3, "30억원", text, "3000000000", "A사", "대출")});
      CHECK(rows[0].parts_subsumed == 0);
      CHECK(s(rows[0].total_low) == "6000000000");
    }
  }
  SECTION("another entity or action is not a part") {
    std::string text = "A사는 10억원, B사는 20억원을 투자했고 A사는 5억원을 빌렸다. A사는 총 30억원을 투자했다.";
    auto rows = report_of(text, {money(1, "10억원", text, "1000000000", "A사", "투자"),
                                 money(2, "20억원", text, "2000000000", "B사", "투자"),
                                 money(3, "5억원", text, "500000000", "A사", "대출"),
                                 money(4, "30억원", text, "3000000000", "A사", "투자")});
    CHECK(row(rows, "A사", "투자").parts_subsumed == 1);
    CHECK(s(row(rows, "A사", "투자").total_low) == "3000000000");
    CHECK(s(row(rows, "B사", "투자").total_low) == "2000000000");
    CHECK(s(row(rows, "A사", "대출").total_low) == "500000000");
  }
  SECTION("parts are taken only while they fit in the total and its rounding") {
    // 30 + 15 fits 40 (which stands for up to 45); adding 50 would not.
    std::string text = "A사는 X에 50억원을 투자했다. 이어 Y에 30억원, Z에 15억원을 투자해 총 40억원을 투자했다.";
    auto rows = report_of(text, {money(1, "50억원", text, "5000000000", "A사", "투자"),
                                 money(2, "30억원", text, "3000000000", "A사", "투자"),
                                 money(3, "15억원", text, "1500000000", "A사", "투자"),
                                 money(4, "40억원", text, "4000000000", "A사", "투자")});
    CHECK(rows[0].parts_subsumed == 2);
    CHECK(s(rows[0].total_low) == "9000000000");
  }
  SECTION("a later total takes an earlier one with its parts") {
    std::string text = "1분기 A사 매출은 10억원과 20억원, 합계 30억원. 2분기 40억원. 상반기 매출은 총 70억원이다.";
    auto rows = report_of(text, {money(1, "10억원", text, "1000000000", "A사", "매출"),
                                 money(2, "20억원", text, "2000000000", "A사", "매출"),
                                 money(3, "30억원", text, "3000000000", "A사", "매출"),
                                 money(4, "40억원", text, "4000000000", "A사", "매출"),
                                 money(5, "70억원", text, "7000000000", "A사", "매출")});
    CHECK(rows[0].parts_subsumed == 4);
    CHECK(s(rows[0].total_low) == "7000000000");
  }
  SECTION("a total with neither entity nor action takes nothing") {
    std::string text = "10억원이 들었다. 총 10억원이다.";
    auto rows = report_of(text, {money(1, "10억원", text, "1000000000", "", ""),
                                 money(2, "10억원", text, "1000000000", "", "")});
    CHECK(rows[0].entity == krfx::kUnattributed);
    CHECK(rows[0].parts_subsumed == 0);
    CHECK(s(rows[0].total_low) == "2000000000");
  }
  SECTION("with --by target the total's row carries the amount") {
    std::string text = "A사는 B에 10억원을, C에 20억원을 투자해 총 30억원을 투자한다.";
    std::vector<krfx::Mention> ms{money(1, "10억원", text, "1000000000", "A사", "투자"),
                                  money(2, "20억원", text, "2000000000", "A사", "투자"),
                                  money(3, "30억원", text, "3000000000", "A사", "투자")};
    ms[0].target = "B";
    ms[1].target = "C";
    auto o = report_options();
    o.by_target = true;
    auto rows = report_of(text, ms, o);
    REQUIRE(rows.size() == 3);
    CHECK(row(rows, "A사", "투자", "B").parts_subsumed == 1);
    CHECK(!row(rows, "A사", "투자", "B").total_low);
    CHECK(s(row(rows, "A사", "투자", "B").min) == "1000000000");
    CHECK(s(row(rows, "A사", "투자", "").total_low) == "3000000000");
  }
}

TEST_CASE("report: a sentence repeated in a document counts once", "[report]") {
  std::string line = "• 기아, 인도 공장에 2억달러 투자\n";
  std::string text = line + "본문이다.\n" + line + "  •   기아,  인도 공장에 2억달러 투자\n" + "매출 1억원\n매출 1억원\n";
  std::vector<krfx::Mention> ms;
  for (int i = 1; i <= 3; ++i) ms.push_back(money(i, "2억달러", text, "200000000", "기아", "투자", "USD"));
  ms.push_back(money(4, "1억원", text, "100000000", "", "매출"));
  ms.push_back(money(5, "1억원", text, "100000000", "", "매출"));
  auto o = report_options();
  o.to_currency = "USD";
  auto rows = report_of(text, ms, o);
  const auto& kia = row(rows, "기아", "투자");
  CHECK(kia.mentions == 1);
  CHECK(kia.repeats_skipped == 2);  // whitespace runs compare equal
  CHECK(s(kia.total_low) == "200000000");
  // A sentence of one or two words (a table cell) is never a repeat.
  const auto& sales = row(rows, krfx::kUnattributed, "매출");
  CHECK(sales.mentions == 2);
  CHECK(sales.repeats_skipped == 0);
  CHECK(sales.unconverted == 2);  // KRW without a rate to USD
  CHECK(!sales.total_low);

  // The same sentence in two documents counts in both.
  krfx::Report r(o);
  krfx::ExtractResult x;
  x.mentions = {money(1, "2억달러", line, "200000000", "기아", "투자", "USD")};
  r.add(krfx::Document{"a", line, ""}, x);
  r.add(krfx::Document{"b", line, ""}, x);
  r.add(krfx::Document{"a", line, ""}, x);  // an id given twice is listed once
  CHECK(r.rows().at(0).mentions == 3);
  CHECK(r.rows().at(0).docs == std::vector<std::string>{"a", "b"});
}

TEST_CASE("report: bounds and approximations of the sum", "[report]") {
  std::string text = "A사 a 1억원 b 2억원 c 3억원 d 4억원";
  auto with = [&](std::vector<krfx::Bound> bounds) {
    std::vector<krfx::Mention> ms;
    const char* texts[] = {"1억원", "2억원", "3억원", "4억원"};
    for (std::size_t i = 0; i < bounds.size(); ++i) {
      ms.push_back(money(static_cast<int>(i + 1), texts[i], text, std::to_string(i + 1) + "00000000", "A사", "x"));
      ms.back().bound = bounds[i];
    }
    return report_of(text, ms).at(0);
  };
  using B = krfx::Bound;
  CHECK(with({B::kNone, B::kNone}).bound == "");
  CHECK(with({B::kNone, B::kGe}).bound == "floor");
  CHECK(with({B::kGt, B::kNone}).bound == "floor");
  CHECK(with({B::kLe, B::kLt}).bound == "ceiling");
  CHECK(with({B::kGe, B::kLe}).bound == "mixed");
  CHECK(s(with({B::kNone, B::kNone, B::kNone, B::kNone}).total_low) == "1000000000");
}

TEST_CASE("report: CSV, JSONL and table output", "[report]") {
  auto o = report_options();
  krfx::Report r(o);
  std::string text = "\"쉼표, 따옴표\"사는 1억원을 투자했다.";
  krfx::ExtractResult x;
  x.mentions = {money(1, "1억원", text, "100000000", "\"쉼표, 따옴표\"사", "투자")};
  x.mentions[0].approx = true;
  r.add(krfx::Document{"doc,1", text, ""}, x);
  x.mentions = {money(1, "1억원", text, "150000000..250000000", "", "")};
  r.add(krfx::Document{"doc2", text, ""}, x);

  std::string csv = write(r, krfx::Format::kCsv, {true, 20});
  REQUIRE(csv.rfind("\xEF\xBB\xBF", 0) == 0);
  auto recs = csv_records(csv.substr(3));
  REQUIRE(recs.size() == 2);
  CHECK(recs[0]["entity"] == "\"쉼표, 따옴표\"사");
  CHECK(recs[0]["doc_ids"] == "doc,1");
  CHECK(recs[0]["total"] == "100000000");
  CHECK(recs[0]["approx"] == "true");
  CHECK(recs[1]["entity"] == "(unattributed)");
  CHECK(recs[1]["total"] == "");
  CHECK(recs[1]["total_low"] == "150000000");
  CHECK(recs[1]["total_high"] == "250000000");
  CHECK(write(r, krfx::Format::kCsv).rfind("entity,action,mentions,", 0) == 0);

  std::string jsonl = write(r, krfx::Format::kJsonl);
  CHECK(jsonl.find("{\"entity\":\"\\\"쉼표, 따옴표\\\"사\",\"action\":\"투자\",\"mentions\":1,") == 0);
  CHECK(jsonl.find("\"approx\":true") != std::string::npos);
  CHECK(jsonl.find("\"doc_ids\":[\"doc,1\"]") != std::string::npos);
  CHECK(jsonl.find("\"total_low\":\"150000000\"") != std::string::npos);
  CHECK(std::count(jsonl.begin(), jsonl.end(), '\n') == 2);

  // The table: largest first, every line as wide as the rule under the header.
  std::string table = write(r, krfx::Format::kTable);
  auto lines = split(table, '\n');
  REQUIRE(lines.size() >= 5);
  CHECK(lines[2].find("(unattributed)") == 0);  // 250000000 > 100000000
  CHECK(lines[4].find("2 of 2 rows") == 0);
  // Right-aligned counts end in the same terminal column as their header,
  // whatever the width of the Hangul before them.
  const int column_end = krfx::display_width(lines[0].substr(0, lines[0].find("mentions") + 8));
  for (int i : {2, 3}) {
    const std::string& l = lines[static_cast<std::size_t>(i)];
    bool aligned = false;
    for (std::size_t b = 1; b < l.size(); ++b)
      if ((static_cast<unsigned char>(l[b]) & 0xC0) != 0x80 && krfx::display_width(l.substr(0, b)) == column_end)
        aligned = l[b - 1] == '1' && l[b] == ' ';
    CHECK(aligned);
    CHECK(krfx::display_width(l) <= static_cast<int>(lines[1].size()));
  }
}

TEST_CASE("report: report.rules loads from a rules directory or the embedded copy", "[report]") {
  krfx::ReportOptions from_source = report_options(), embedded;
  krfx::LoadError err;
  REQUIRE(krfx::load_report_words("", &embedded, &err));
  CHECK(embedded.total_words == from_source.total_words);
  CHECK(embedded.total_gap_words == from_source.total_gap_words);
  CHECK(std::find(embedded.total_words.begin(), embedded.total_words.end(), "총") != embedded.total_words.end());
  // A rules directory without report.rules falls back to the embedded words.
  krfx::ReportOptions fallback;
  REQUIRE(krfx::load_report_words(kSource + "/fixtures/bad-rules/bad-iso", &fallback, &err));
  CHECK(fallback.total_words == embedded.total_words);
  // A broken report.rules is an error with its position.
  fs::path dir = fs::temp_directory_path() / "krfx-report-rules-test";
  fs::create_directories(dir);
  std::ofstream(dir / "report.rules") << "list total_word\n  x\n";
  krfx::ReportOptions bad;
  CHECK(!krfx::load_report_words(dir.string(), &bad, &err));
  CHECK(err.to_string().find("report.rules") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("krfx report on the command line", "[report][cli]") {
  std::string bin = krfx_binary();
  if (bin.empty()) {
    WARN("build/krfx not found next to the test binary; skipped");
    return;
  }
  int rc = -1;
  std::string csv = shell(quote(bin) + " report --bom --to USD " + quote(kExample), &rc);
  REQUIRE(rc == 0);
  REQUIRE(csv.rfind("\xEF\xBB\xBF", 0) == 0);
  auto recs = csv_records(csv.substr(3));
  bool found = false;
  for (auto& rec : recs) {
    if (rec["entity"] != "소프트뱅크" || rec["action"] != "투자") continue;
    found = true;
    CHECK(rec["total"] == "40000000000");
    CHECK(rec["bound"] == "floor");
    CHECK(rec["parts_subsumed"] == "2");
    CHECK(rec["conversions_checked"] == "3");
    CHECK(rec["conversions_inconsistent"] == "0");
  }
  CHECK(found);

  // Nothing is lost: counted + skipped == the primary mentions extract finds.
  std::string extracted = shell(quote(bin) + " extract --format csv " + quote(kExample));
  std::int64_t primaries = 0, counted = 0;
  for (auto& rec : csv_records(extracted)) primaries += rec["role"] == "primary";
  for (auto& rec : recs) counted += std::stoll(rec["mentions"]) + std::stoll(rec["repeats_skipped"]);
  CHECK(primaries == 10);
  CHECK(counted == primaries);

  // Bad usage.
  shell(quote(bin) + " report --by entity " + quote(kExample) + " 2>/dev/null", &rc);
  CHECK(rc == 2);
  shell(quote(bin) + " report --bom --format table " + quote(kExample) + " 2>/dev/null", &rc);
  CHECK(rc == 2);
  shell(quote(bin) + " report --top x " + quote(kExample) + " 2>/dev/null", &rc);
  CHECK(rc == 2);
  // A missing file is named, the rest still reported, exit 1.
  std::string partial = shell(quote(bin) + " report " + quote(kExample) + " /nonexistent.txt 2>/dev/null", &rc);
  CHECK(rc == 1);
  CHECK(partial.find("소프트뱅크") != std::string::npos);
}

TEST_CASE("krfx report: python3 reads back the decimals; totals match an independent sum", "[report][cli]") {
  std::string bin = krfx_binary();
  if (bin.empty() || !have_python()) {
    WARN("build/krfx or python3 not available; skipped");
    return;
  }
  fs::path tmp = fs::temp_directory_path() / fmt::format("krfx-report-test-{}", ::getpid());
  fs::create_directories(tmp);
  const std::string input = kReports + "/currencies.jsonl";
  const std::string rates = "--no-default-rates --rates " + quote(kReports + "/rates.csv");
  for (std::string to : {"USD", "KRW", "EUR"}) {
    INFO("--to " << to);
    std::string report_csv = (tmp / ("report-" + to + ".csv")).string();
    std::string extract_csv = (tmp / ("extract-" + to + ".csv")).string();
    int rc = -1;
    shell(quote(bin) + " report --bom --to " + to + " " + rates + " " + quote(input) + " > " + quote(report_csv), &rc);
    REQUIRE(rc == 0);
    shell(quote(bin) + " extract --format csv --to " + to + " " + rates + " " + quote(input) + " > " +
              quote(extract_csv),
          &rc);
    REQUIRE(rc == 0);
    // Python's csv module and Decimal: the report as read back, and the sum
    // of the converted amounts of the primary mentions per entity and action.
    const char* script = R"PY(
import csv, sys
from decimal import Decimal
with open(sys.argv[1], newline='', encoding='utf-8-sig') as f:
    for r in csv.DictReader(f):
        print('report', r['entity'], r['action'], r['total_low'], r['total_high'], r['min'], r['max'], sep='\t')
sums = {}
with open(sys.argv[2], newline='', encoding='utf-8') as f:
    for r in csv.DictReader(f):
        if r['role'] != 'primary':
            continue
        key = (r['entity'] or '(unattributed)', r['action'])
        lo = Decimal(r['converted_value'] or r['converted_low'])
        hi = Decimal(r['converted_value'] or r['converted_high'])
        s = sums.setdefault(key, [Decimal(0), Decimal(0)])
        s[0] += lo
        s[1] += hi
for (e, a), (lo, hi) in sums.items():
    print('extract', e, a, lo, hi, sep='\t')
)PY";
    std::string script_file = (tmp / "sum.py").string();
    std::ofstream(script_file) << script;
    std::string out = shell("python3 " + quote(script_file) + " " + quote(report_csv) + " " + quote(extract_csv), &rc);
    REQUIRE(rc == 0);
    std::map<std::string, std::string> from_report, from_extract;
    for (const std::string& line : split(out, '\n')) {
      auto c = split(line, '\t');
      if (c.size() < 5) continue;
      std::string key = c[1] + "|" + c[2];
      // Python's sums keep trailing zeros (2398.90): compare as decimals.
      auto canon = [](const std::string& v) {
        auto d = krfx::Decimal::parse(v);
        return d ? d->to_string() : "not a plain decimal: " + v;
      };
      std::string value = canon(c[3]) + ".." + canon(c[4]);
      (c[0] == "report" ? from_report : from_extract)[key] = value;
    }
    CHECK(from_report == from_extract);
    CHECK(from_report.size() == 4);
    // The CSV's decimals are exactly the library's.
    RunOptions opt;
    opt.report.to_currency = to;
    opt.default_rates = false;
    opt.rates = {kReports + "/rates.csv"};
    Run lib = run(input, opt);
    for (const krfx::ReportRow& row : lib.report->rows())
      CHECK(from_report[row.entity + "|" + row.action] == s(row.total_low) + ".." + s(row.total_high));
  }
  fs::remove_all(tmp);
}
