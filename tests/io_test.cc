// Tests for document input (krfx/input.h) and output writers (krfx/output.h).
#include <krfx/input.h>
#include <krfx/output.h>

#include "test_support.h"

#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace {

using krfx::Document;
using krfx::InputError;

struct Parsed {
  bool ok = false;
  Document doc;
  InputError error;
};

Parsed parse(const std::string& line) {
  Parsed p;
  p.ok = krfx::parse_document_line(line, &p.doc, &p.error);
  return p;
}

// A temporary file that is removed when the test ends.
using krfx_test::TempFile;

struct ReadResult {
  std::vector<Document> docs;
  std::vector<InputError> errors;
  std::int64_t count = 0;
};

ReadResult read_all(const std::string& path, krfx::InputKind kind = krfx::InputKind::kAuto) {
  ReadResult r;
  r.count = krfx::read_documents(
      path, kind, [&](Document&& d) { r.docs.push_back(std::move(d)); },
      [&](const InputError& e) { r.errors.push_back(e); });
  return r;
}

krfx::Mention sample_mention() {
  krfx::Mention m;
  m.id = 1;
  m.start = 3;
  m.end = 10;
  m.byte_start = 9;
  m.byte_end = 24;
  m.text = "150억달러";
  m.currency = "USD";
  m.value = krfx::Decimal(15000000000LL);
  m.approx = true;
  m.bound = krfx::Bound::kGe;
  return m;
}

std::string render(krfx::Format format, const Document& doc,
                   const std::vector<krfx::Mention>& mentions) {
  std::ostringstream out;
  auto w = krfx::make_writer(format, out);
  w->begin();
  w->write(doc, mentions);
  w->end();
  return out.str();
}

}  // namespace

// ---------------------------------------------------------------------------
// parse_document_line

TEST_CASE("parse_document_line reads id, text and date", "[input]") {
  Parsed p = parse(R"({"id": "a1", "text": "소프트뱅크 150억달러", "date": "2025-01-22"})");
  REQUIRE(p.ok);
  CHECK(p.doc.id == "a1");
  CHECK(p.doc.text == "소프트뱅크 150억달러");
  CHECK(p.doc.date == "2025-01-22");
}

TEST_CASE("parse_document_line decodes all escapes", "[input]") {
  Parsed p = parse(R"({"text": "q\" b\\ s\/ \b\f\n\r\t \u0041\u00e9\uAC00"})");
  REQUIRE(p.ok);
  CHECK(p.doc.text == "q\" b\\ s/ \b\f\n\r\t A\xC3\xA9\xEA\xB0\x80");
}

TEST_CASE("parse_document_line joins surrogate pairs", "[input]") {
  Parsed p = parse(R"({"text": "\ud83d\udcb0 \uD83D\uDE00"})");
  REQUIRE(p.ok);
  CHECK(p.doc.text == "\xF0\x9F\x92\xB0 \xF0\x9F\x98\x80");

  CHECK_FALSE(parse(R"({"text": "\ud83d"})").ok);
  CHECK_FALSE(parse(R"({"text": "\ud83d x"})").ok);
  CHECK_FALSE(parse(R"({"text": "\ud83d\u0041"})").ok);
  Parsed lone_low = parse(R"({"text": "\udcb0"})");
  CHECK_FALSE(lone_low.ok);
  CHECK(lone_low.error.column == 11);
  CHECK_THAT(lone_low.error.message, Catch::Contains("surrogate"));
}

TEST_CASE("parse_document_line keeps raw bytes of strings", "[input]") {
  // Invalid UTF-8 is the engine's to diagnose; the reader passes it through.
  Parsed p = parse("{\"text\": \"a\xFF\xC3 b\"}");
  REQUIRE(p.ok);
  CHECK(p.doc.text == "a\xFF\xC3 b");
}

TEST_CASE("parse_document_line ignores unknown keys of any shape", "[input]") {
  Parsed p = parse(R"({"meta": {"tags": ["a", 1, -2.5e3, true, false, null, {}], "x": []},)"
                   R"( "text": "t", "n": 0, "id": 42})");
  REQUIRE(p.ok);
  CHECK(p.doc.text == "t");
  CHECK(p.doc.id == "42");  // a numeric id keeps its text
  CHECK(p.doc.date.empty());
}

TEST_CASE("parse_document_line rejects malformed lines with a column", "[input]") {
  SECTION("unterminated string") {
    Parsed p = parse(R"({"text": "abc)");
    CHECK_FALSE(p.ok);
    CHECK(p.error.column == 10);
    CHECK_THAT(p.error.message, Catch::Contains("unterminated string"));
  }
  SECTION("missing text") {
    Parsed p = parse(R"({"id": "x"})");
    CHECK_FALSE(p.ok);
    CHECK(p.error.column == 1);
    CHECK_THAT(p.error.message, Catch::Contains("missing \"text\""));
  }
  SECTION("text of the wrong type") {
    Parsed p = parse(R"({"text": 12})");
    CHECK_FALSE(p.ok);
    CHECK(p.error.column == 10);
    CHECK_THAT(p.error.message, Catch::Contains("must be a string"));
  }
  SECTION("id or date of the wrong type") {
    CHECK_FALSE(parse(R"({"text": "t", "id": ["x"]})").ok);
    CHECK_FALSE(parse(R"({"text": "t", "date": 20250101})").ok);
    CHECK_FALSE(parse(R"({"text": "t", "id": null})").ok);
  }
  SECTION("not an object") {
    CHECK_FALSE(parse(R"(["text"])").ok);
    CHECK_FALSE(parse("").ok);
    CHECK_FALSE(parse("text").ok);
  }
  SECTION("trailing garbage") {
    Parsed p = parse(R"({"text": "t"} x)");
    CHECK_FALSE(p.ok);
    CHECK(p.error.column == 15);
  }
  SECTION("grammar errors") {
    CHECK_FALSE(parse(R"({"text": "t",})").ok);
    CHECK_FALSE(parse(R"({"text" "t"})").ok);
    CHECK_FALSE(parse(R"({"text": "t" "id": "x"})").ok);
    CHECK_FALSE(parse(R"({'text': 't'})").ok);
    CHECK_FALSE(parse(R"({"text": "t", "n": 01})").ok);
    CHECK_FALSE(parse(R"({"text": "t", "n": 1.})").ok);
    CHECK_FALSE(parse(R"({"text": "t", "n": -})").ok);
    CHECK_FALSE(parse(R"({"text": "t", "n": tru})").ok);
    CHECK_FALSE(parse(R"({"text": "a\qb"})").ok);
    CHECK_FALSE(parse(R"({"text": "\u12G4"})").ok);
    CHECK_FALSE(parse("{\"text\": \"a\tb\"}").ok);  // raw control character
    CHECK_FALSE(parse(R"({"text": "t", "text": "u"})").ok);
  }
}

TEST_CASE("parse_document_line limits nesting depth", "[input]") {
  const auto nested = [](int levels) {
    return R"({"text": "t", "x": )" + std::string(levels, '[') +
           std::string(levels, ']') + "}";
  };
  CHECK(parse(nested(63)).ok);   // 64 levels with the document object
  CHECK_FALSE(parse(nested(64)).ok);

  Parsed deep = parse(nested(10000));
  CHECK_FALSE(deep.ok);
  CHECK_THAT(deep.error.message, Catch::Contains("nesting"));

  std::string objects = R"({"text": "t", "x": )";
  for (int i = 0; i < 10000; ++i) objects += R"({"a": )";
  CHECK_FALSE(parse(objects).ok);
  CHECK_FALSE(parse(std::string(10000, '{')).ok);
}

TEST_CASE("parse_document_line survives arbitrary bytes", "[input]") {
  std::mt19937 rng(12345);
  const std::string alphabet = "{}[]\":,\\u0123456789abcdefnrtl- \t\xFF\xC3";
  for (int round = 0; round < 20000; ++round) {
    std::string line = round % 2 == 0 ? R"({"text": ")" : "";
    const std::size_t len = rng() % 40;
    for (std::size_t i = 0; i < len; ++i) {
      line.push_back(round % 3 == 0 ? static_cast<char>(rng() % 256)
                                    : alphabet[rng() % alphabet.size()]);
    }
    Parsed p = parse(line);
    if (!p.ok) {
      CHECK(p.error.column >= 1);
      CHECK(p.error.column <= static_cast<std::int64_t>(line.size()) + 1);
    }
  }
}

TEST_CASE("InputError::to_string omits missing positions", "[input]") {
  CHECK(InputError{"a.jsonl", 3, 7, "bad"}.to_string() == "a.jsonl:3:7: bad");
  CHECK(InputError{"a.jsonl", 3, 0, "bad"}.to_string() == "a.jsonl:3: bad");
  CHECK(InputError{"dir", 0, 0, "Is a directory"}.to_string() == "dir: Is a directory");
}

// ---------------------------------------------------------------------------
// read_documents

TEST_CASE("read_documents delivers good lines and reports the bad one", "[input]") {
  TempFile file(".jsonl",
                "{\"id\": \"d1\", \"text\": \"one\"}\n"
                "\n"
                "{\"text\": \"two\", \"date\": \"2025-01-02\"}\r\n"
                "{\"id\": \"d3\", \"text\": \"unterminated}\n"
                "   \n"
                "{\"id\": \"d5\", \"text\": \"five\"}");  // no final newline
  ReadResult r = read_all(file.path());
  REQUIRE(r.docs.size() == 3);
  CHECK(r.docs[0].id == "d1");
  CHECK(r.docs[0].text == "one");
  CHECK(r.docs[1].id == file.path() + ":3");  // missing id -> FILE:LINE
  CHECK(r.docs[1].date == "2025-01-02");
  CHECK(r.docs[1].text == "two");            // the "\r" was stripped
  CHECK(r.docs[2].id == "d5");
  REQUIRE(r.errors.size() == 1);
  CHECK(r.count == 1);
  CHECK(r.errors[0].file == file.path());
  CHECK(r.errors[0].line == 4);
  CHECK(r.errors[0].column == 22);
  CHECK_THAT(r.errors[0].to_string(), Catch::StartsWith(file.path() + ":4:22: "));
}

TEST_CASE("read_documents skips a leading byte order mark", "[input]") {
  TempFile file(".jsonl", "\xEF\xBB\xBF{\"text\": \"t\"}\n\xEF\xBB\xBF{\"text\": \"u\"}\n");
  ReadResult r = read_all(file.path());
  REQUIRE(r.docs.size() == 1);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].line == 2);
  CHECK(r.errors[0].column == 1);
}

TEST_CASE("read_documents reads lines longer than one chunk", "[input]") {
  const std::string big(200000, 'x');
  TempFile file(".jsonl", "{\"text\": \"" + big + "\"}\n{\"text\": \"small\"}\n");
  ReadResult r = read_all(file.path());
  REQUIRE(r.docs.size() == 2);
  CHECK(r.docs[0].text == big);
  CHECK(r.docs[1].text == "small");
}

TEST_CASE("read_documents reads a text file as one document", "[input]") {
  const std::string text = "첫 줄 150억달러\n{\"not\": json}\n";
  TempFile file(".txt", text);
  ReadResult r = read_all(file.path());
  REQUIRE(r.docs.size() == 1);
  CHECK(r.errors.empty());
  CHECK(r.docs[0].id == file.path());
  CHECK(r.docs[0].text == text);
  CHECK(r.docs[0].date.empty());

  ReadResult forced = read_all(file.path(), krfx::InputKind::kJsonl);
  CHECK(forced.docs.empty());
  CHECK(forced.errors.size() == 2);
}

TEST_CASE("read_documents reports a directory or a missing file", "[input]") {
  const std::string dir = std::filesystem::temp_directory_path().string();
  ReadResult r = read_all(dir);
  CHECK(r.docs.empty());
  REQUIRE(r.errors.size() == 1);
  CHECK(r.count == 1);
  CHECK(r.errors[0].line == 0);
  CHECK(r.errors[0].file == dir);
  CHECK_THAT(r.errors[0].message, Catch::Contains("directory", Catch::CaseSensitive::No));

  ReadResult missing = read_all(dir + "/krfx-no-such-file.jsonl");
  REQUIRE(missing.errors.size() == 1);
  CHECK_THAT(missing.errors[0].message, Catch::Contains("No such file"));
}

// ---------------------------------------------------------------------------
// Writers

TEST_CASE("field_names follow the contract", "[output]") {
  const std::vector<std::string> expected = {
      "doc",  "id",      "start",  "end",      "byte_start",   "byte_end",   "text",
      "currency", "value", "low",  "high",     "approx",       "bound",      "role",
      "converts", "implied_rate", "rate_check", "entity", "action", "target", "rate_deviation"};
  CHECK(krfx::field_names() == expected);
  krfx::WriterOptions with_to;
  with_to.conversion_fields = true;
  std::vector<std::string> longer = expected;
  longer.insert(longer.end(), {"converted_currency", "converted_value", "converted_low", "converted_high",
                               "rate_used", "rate_source"});
  CHECK(krfx::field_names(with_to) == longer);
}

TEST_CASE("to_string spells bounds and roles", "[output]") {
  CHECK(std::string(krfx::to_string(krfx::Bound::kNone)).empty());
  CHECK(std::string(krfx::to_string(krfx::Bound::kGe)) == "ge");
  CHECK(std::string(krfx::to_string(krfx::Bound::kGt)) == "gt");
  CHECK(std::string(krfx::to_string(krfx::Bound::kLe)) == "le");
  CHECK(std::string(krfx::to_string(krfx::Bound::kLt)) == "lt");
  CHECK(std::string(krfx::to_string(krfx::Role::kPrimary)) == "primary");
  CHECK(std::string(krfx::to_string(krfx::Role::kConversion)) == "conversion");
}

TEST_CASE("JSONL writes the contract keys in order", "[output]") {
  Document doc{"a1", "", ""};
  krfx::Mention conv;
  conv.id = 2;
  conv.text = "21조9000억원";
  conv.currency = "KRW";
  conv.low = krfx::Decimal(20);
  conv.high = krfx::Decimal(30);
  conv.role = krfx::Role::kConversion;
  conv.converts = 1;
  conv.entity = "소프트뱅크";
  const std::string out = render(krfx::Format::kJsonl, doc, {sample_mention(), conv});
  CHECK(out ==
        R"({"doc":"a1","id":1,"start":3,"end":10,"byte_start":9,"byte_end":24,)"
        R"("text":"150억달러","currency":"USD","value":"15000000000","low":"","high":"",)"
        R"("approx":true,"bound":"ge","role":"primary","converts":"","implied_rate":"",)"
        R"("rate_check":"","entity":"","action":"","target":"","rate_deviation":""})"
        "\n"
        R"({"doc":"a1","id":2,"start":0,"end":0,"byte_start":0,"byte_end":0,)"
        R"("text":"21조9000억원","currency":"KRW","value":"","low":"20","high":"30",)"
        R"("approx":false,"bound":"","role":"conversion","converts":"1","implied_rate":"",)"
        R"("rate_check":"","entity":"소프트뱅크","action":"","target":"","rate_deviation":""})"
        "\n");
}

TEST_CASE("JSONL escapes control characters and replaces invalid bytes", "[output]") {
  krfx::Mention m = sample_mention();
  m.text = "a\"b\\c\nd\te\x01 \xFF\xE2\x82 \xED\xA0\x80";
  const std::string out = render(krfx::Format::kJsonl, Document{"d\r", "", ""}, {m});
  CHECK_THAT(out, Catch::Contains(R"("doc":"d\r")"));
  CHECK_THAT(out, Catch::Contains(
                      R"("text":"a\"b\\c\nd\te\u0001 )"
                      "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\""));
  // The output line parses back with our own strict reader.
  Document back;
  InputError err;
  std::string line = out.substr(0, out.size() - 1);
  CHECK(krfx::parse_document_line(line, &back, &err));
}

TEST_CASE("CSV writes a header and quotes per RFC 4180", "[output]") {
  krfx::Mention m = sample_mention();
  m.text = "1,000\"달러\"";
  m.entity = "line1\nline2";
  m.action = "plain";
  const std::string out = render(krfx::Format::kCsv, Document{"a,1", "", ""}, {m});
  const std::string header =
      "doc,id,start,end,byte_start,byte_end,text,currency,value,low,high,approx,bound,"
      "role,converts,implied_rate,rate_check,entity,action,target,rate_deviation\n";
  CHECK(out == header +
                   "\"a,1\",1,3,10,9,24,\"1,000\"\"달러\"\"\",USD,15000000000,,,true,ge,"
                   "primary,,,,\"line1\nline2\",plain,,\n");
  CHECK(render(krfx::Format::kCsv, Document{"x", "", ""}, {}) == header);
}

TEST_CASE("display_width counts wide characters twice", "[output]") {
  CHECK(krfx::display_width("") == 0);
  CHECK(krfx::display_width("USD 150") == 7);
  CHECK(krfx::display_width("달러") == 4);
  CHECK(krfx::display_width("150억달러") == 9);
  CHECK(krfx::display_width("\xEF\xBC\x91\xEF\xBC\x92") == 4);  // fullwidth digits
  CHECK(krfx::display_width("e\xCC\x81") == 1);                  // combining acute
  CHECK(krfx::display_width("\xE1\x84\x80\xE1\x85\xA1") == 2);    // conjoining jamo
  CHECK(krfx::display_width("\xFF") == 1);
}

TEST_CASE("table aligns Hangul columns", "[output]") {
  krfx::Mention a = sample_mention();
  krfx::Mention b = sample_mention();
  b.id = 2;
  b.text = "$5bn";
  b.value.reset();
  b.low = krfx::Decimal(1);
  b.high = krfx::Decimal(2);
  const std::string out = render(krfx::Format::kTable, Document{"d", "", ""}, {a, b});
  std::istringstream lines(out);
  std::vector<std::string> rows;
  for (std::string line; std::getline(lines, line);) rows.push_back(line);
  REQUIRE(rows.size() == 4);
  CHECK_THAT(rows[0], Catch::StartsWith("doc  id  text"));
  CHECK_THAT(rows[3], Catch::Contains("1..2"));
  // The currency column starts at the same display column on every row.
  const auto currency_col = [](const std::string& row, const std::string& word) {
    return krfx::display_width(row.substr(0, row.find(word)));
  };
  CHECK(currency_col(rows[0], "currency") == currency_col(rows[2], "USD"));
  CHECK(currency_col(rows[2], "USD") == currency_col(rows[3], "USD"));
}

TEST_CASE("table shows control characters as escapes", "[output]") {
  krfx::Mention m = sample_mention();
  m.text = "a\nb\x1B[31m\xC2\x9B\xFF";
  const std::string out = render(krfx::Format::kTable, Document{"d", "", ""}, {m});
  CHECK_THAT(out, Catch::Contains("a\\nb\\x1b[31m\\u009b\xEF\xBF\xBD"));
  CHECK(out.find('\x1B') == std::string::npos);
}
