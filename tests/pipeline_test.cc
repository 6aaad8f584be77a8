// Tests for streaming in parts (krfx/input.h: part_end, read_document_parts,
// append_part_result) and the threaded pipeline (krfx/pipeline.h): records of
// a document read in parts, on any number of threads, are those of the whole
// document read at once.
#include <krfx/check.h>
#include <krfx/engine.h>
#include <krfx/input.h>
#include <krfx/output.h>
#include <krfx/pipeline.h>
#include <krfx/rates.h>

#include "test_support.h"

#include <catch2/catch.hpp>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

const krfx::Engine& engine() {
  static std::unique_ptr<krfx::Engine> e = [] {
    krfx::LoadError err;
    auto r = krfx::Engine::load_default(&err);
    if (!r) FAIL(err.to_string());
    return r;
  }();
  return *e;
}

const krfx::RateTable& rates() {
  static krfx::RateTable t = [] {
    krfx::RateTable r;
    krfx::LoadError err;
    if (!r.add_default(&err)) FAIL(err.to_string());
    return r;
  }();
  return t;
}

using krfx_test::read_file;

using krfx_test::TempFile;

std::string example_path() { return std::string(KRFX_SOURCE_DIR) + "/fixtures/example/000_0fd408c67c35800f.txt"; }

// A multi-paragraph text made of every sentence of fixtures/mentions (money,
// ranges, restatements, traps), 1-4 sentences a paragraph, a blank line
// between "articles" of 1-3 paragraphs, the example article in the middle,
// and an invalid byte near the end.
std::string generated_text() {
  std::vector<std::string> sentences;
  for (const char* f : {"conversions.tsv", "currencies.tsv", "negatives.tsv", "numbers.tsv", "structure.tsv"}) {
    std::istringstream in(read_file(std::string(KRFX_SOURCE_DIR) + "/fixtures/mentions/" + f));
    for (std::string line; std::getline(in, line);) {
      if (line.empty() || line[0] == '#') continue;
      sentences.push_back(line.substr(0, line.find('\t')));
    }
  }
  REQUIRE(sentences.size() > 100);
  std::string text;
  std::size_t k = 0;
  for (int article = 0; k < sentences.size(); ++article) {
    if (article == 7) text += read_file(example_path()) + "\n\n";
    for (int para = 0; para <= article % 3 && k < sentences.size(); ++para) {
      for (int s = 0; s <= (article + para) % 4 && k < sentences.size(); ++s) text += sentences[k++] + " ";
      text += "\n";
    }
    text += article % 5 == 2 ? " \t\r\n" : "\n";  // blank lines, one with blanks in it
  }
  text += "\xFF 300\xFF\xEC\x96\xB5\xEC\x9B\x90\n";
  return text;
}

// What krfx extract --format jsonl gives for the whole text at once.
std::string whole_jsonl(const std::string& id, const std::string& text, const krfx::CheckOptions& copt) {
  krfx::Document doc{id, text, ""};
  krfx::ExtractResult r = engine().extract(doc);
  krfx::check_conversions(rates(), copt, doc, &r);
  std::ostringstream out;
  krfx::make_writer(krfx::Format::kJsonl, out, krfx::WriterOptions{!copt.to_currency.empty()})->write(doc, r.mentions);
  return out.str();
}

struct Run {
  std::string out;
  std::vector<std::string> diagnostics;
  krfx::PipelineStats stats;
};

Run run(const std::vector<std::string>& files, krfx::PipelineOptions opt) {
  Run r;
  krfx::PipelineOutput out;
  const bool conversion_fields = !opt.check.to_currency.empty();
  out.render = [conversion_fields](const krfx::Document& d, const krfx::ExtractResult& x, std::int64_t) {
    std::ostringstream s;
    krfx::make_writer(krfx::Format::kJsonl, s, krfx::WriterOptions{conversion_fields})->write(d, x.mentions);
    return s.str();
  };
  out.on_diagnostic = [&r](const std::string&, const krfx::Document&, const krfx::Diagnostic& d) {
    r.diagnostics.push_back(d.message);
  };
  std::ostringstream s;
  r.stats = krfx::run_pipeline(engine(), rates(), files, opt, out, s);
  r.out = s.str();
  return r;
}

krfx::PipelineOptions options(std::size_t part_bytes, int threads) {
  krfx::PipelineOptions o;
  o.split.part_bytes = part_bytes;
  o.threads = threads;
  return o;
}

std::vector<std::string> parts_of(const std::string& text, const krfx::SplitOptions& opt) {
  std::vector<std::string> parts;
  std::size_t pos = 0, scanned = 0;
  for (;;) {
    std::string_view rest = std::string_view(text).substr(pos);
    std::size_t cut = krfx::part_end(rest, true, opt, &scanned);
    parts.emplace_back(rest.substr(0, cut));
    if (cut == rest.size()) return parts;
    pos += cut;
    scanned = scanned > cut ? scanned - cut : 0;
  }
}

}  // namespace

TEST_CASE("part_end cuts at a blank line, else a line end, else a space or character boundary", "[parts]") {
  krfx::SplitOptions o;
  o.part_bytes = 10;
  o.max_part_bytes = 40;
  // Short text: whole at the end, undecided before.
  CHECK(krfx::part_end("abc", true, o) == 3);
  CHECK(krfx::part_end("abc", false, o) == 0);
  // A blank line at or after 10 bytes, the line of blanks included.
  CHECK(krfx::part_end("0123456789ab\n\ncd", true, o) == 14);
  CHECK(krfx::part_end("0123456789ab\n \t\r\ncd", true, o) == 17);
  // One before 10 bytes does not count; one later is waited for.
  CHECK(krfx::part_end("ab\n\n0123456789 cd\nef", false, o) == 0);
  CHECK(krfx::part_end("ab\n\n0123456789 cd\nef", true, o) == 20);  // the rest fits
  // Past the maximum without a blank line: the first line end after 10.
  std::string lines = "0123456789a\nbcdefghij\nklmnopqrstuvwxyz0123456789ABCDE\nF";
  CHECK(krfx::part_end(lines, true, o) == 12);
  // One long line: the first space after 10, else a character boundary.
  std::string spaced = "aaaaaaaaaaaa bbbbbbbbbbbb cccccccccccc dddddddddddd";
  CHECK(krfx::part_end(spaced, true, o) == 13);
  std::string hangul;
  for (int i = 0; i < 20; ++i) hangul += "\xEC\x9B\x90";  // 60 bytes, 3 a character
  CHECK(krfx::part_end(hangul, true, o) == 39);
  CHECK(krfx::part_end(hangul, false, o) == 39);
}

TEST_CASE("a long line is cut at a space away from digits when there is one", "[parts]") {
  krfx::SplitOptions o;
  o.part_bytes = 100;
  o.max_part_bytes = 400;
  std::string line;
  while (line.size() < 90) line += "pay 5000 or 729 now ";
  const std::size_t quiet_begin = line.size();
  while (line.size() < 600) line += "word ";
  const std::size_t cut = krfx::part_end(line, true, o);
  // The spaces among the figures after byte 100 are passed over for the
  // first one at least 48 bytes from any digit.
  const std::size_t last_digit = quiet_begin - 6;  // the 9 of 729
  CHECK(line[last_digit] == '9');
  CHECK(cut - 1 > last_digit + 48);
  CHECK(cut - 1 <= last_digit + 48 + 5);
  CHECK(line[cut - 1] == ' ');
  // With digits everywhere, the first space after 100 still does.
  std::string dense;
  while (dense.size() < 600) dense += "1 2 ";
  CHECK(krfx::part_end(dense, true, o) == 100);
  // The look-ahead sees digits past the cut: a space at 100 followed by
  // figures is passed over.
  std::string ahead(99, 'a');
  ahead += " 1234";
  while (ahead.size() < 600) ahead += " word";
  const std::size_t c2 = krfx::part_end(ahead, true, o);
  CHECK(c2 > 104 + 48);
  CHECK(ahead[c2 - 1] == ' ');
}

TEST_CASE("parts put back together are the text", "[parts]") {
  const std::string text = generated_text();
  for (std::size_t part : {1, 64, 1000, 100000}) {
    krfx::SplitOptions o;
    o.part_bytes = part;
    o.max_part_bytes = part < 1000 ? 2000 : o.max_part_bytes;
    std::vector<std::string> parts = parts_of(text, o);
    std::string joined;
    for (const std::string& p : parts) {
      CHECK(p.size() <= o.max_part_bytes);
      joined += p;
    }
    CHECK(joined == text);
    if (part < text.size()) CHECK(parts.size() > 1);
  }
}

TEST_CASE("a text file is read in parts with their offsets", "[parts]") {
  std::string text = generated_text();
  while (text.size() < (std::size_t{3} << 20)) text += text;  // past the reader's chunks
  TempFile f(".txt", text);
  krfx::SplitOptions o;
  o.part_bytes = 5000;
  std::string joined;
  int first = 0, last = 0, n = 0;
  std::int64_t errors = krfx::read_document_parts(
      f.path(), krfx::InputKind::kAuto, o,
      [&](krfx::DocumentPart&& p) {
        CHECK(p.id == f.path());
        CHECK(p.byte_offset == static_cast<std::int64_t>(joined.size()));
        first += p.first;
        last += p.last;
        ++n;
        joined += p.text;
      },
      nullptr);
  CHECK(errors == 0);
  CHECK(joined == text);
  CHECK(first == 1);
  CHECK(last == 1);
  CHECK(n > 100);
}

TEST_CASE("a file in parts gives the records of the whole document", "[parts][pipeline]") {
  for (const std::string& text : {read_file(example_path()), generated_text()}) {
    TempFile f(".txt", text);
    krfx::CheckOptions copt;
    const std::string whole = whole_jsonl(f.path(), text, copt);
    REQUIRE(whole.size() > 1000);
    for (std::size_t part : {1, 300, 4096, 1 << 20}) {
      for (int threads : {1, 3}) {
        INFO("part_bytes " << part << ", threads " << threads);
        Run r = run({f.path()}, options(part, threads));
        CHECK(r.out == whole);
      }
    }
  }
}

TEST_CASE("dates, --to and checks are those of the whole document", "[parts][pipeline]") {
  const std::string text = generated_text();
  TempFile f(".txt", text);
  krfx::PipelineOptions o = options(700, 2);
  o.check.default_date = "2025-02-04";
  o.check.to_currency = "USD";
  CHECK(run({f.path()}, o).out == whole_jsonl(f.path(), text, o.check));
}

TEST_CASE("diagnostics of a later part name the byte of the document", "[parts][pipeline]") {
  const std::string text = generated_text();
  TempFile f(".txt", text);
  krfx::ExtractResult whole = engine().extract({f.path(), text, ""});
  REQUIRE(whole.diagnostics.size() == 2);
  Run r = run({f.path()}, options(500, 2));
  REQUIRE(r.diagnostics.size() == 2);
  CHECK(r.diagnostics[0] == whole.diagnostics[0].message);
  CHECK(r.diagnostics[1] == whole.diagnostics[1].message);
  CHECK(r.stats.diagnostics == 2);
}

TEST_CASE("JSONL documents: split, in order, the same on any number of threads", "[parts][pipeline]") {
  const std::string text = generated_text();
  std::string jsonl, want;
  krfx::CheckOptions copt;
  std::vector<std::string> paragraphs = parts_of(text, krfx::SplitOptions{200, 1000});
  for (std::size_t i = 0; i < paragraphs.size(); ++i) {
    std::string escaped;
    for (char c : paragraphs[i]) {
      if (c == '\n') escaped += "\\n";
      else if (c == '\r') escaped += "\\r";
      else if (c == '\t') escaped += "\\t";
      else if (c == '"' || c == '\\') escaped += std::string("\\") + c;
      else escaped += c;
    }
    const std::string id = "d" + std::to_string(i);
    jsonl += "{\"id\":\"" + id + "\",\"text\":\"" + escaped + "\"}\n";
    if (i == 3) jsonl += "{\"id\": broken\n";
    want += whole_jsonl(id, paragraphs[i], copt);
  }
  TempFile f(".jsonl", jsonl + "{\"id\":\"all\",\"text\":\"" + std::string() + "\"}\n");
  for (std::size_t part : {50, 1 << 20})
    for (int threads : {1, 2, 4}) {
      INFO("part_bytes " << part << ", threads " << threads);
      Run r = run({f.path()}, options(part, threads));
      CHECK(r.out == want);
      CHECK(r.stats.input_errors == 1);
      CHECK(r.stats.documents == static_cast<std::int64_t>(paragraphs.size()) + 1);
    }
}

TEST_CASE("windows of a large document keep ids and offsets of the whole", "[parts][pipeline]") {
  const std::string text = generated_text();
  TempFile f(".txt", text);
  krfx::PipelineOptions o = options(300, 2);
  o.window_bytes = 2000;  // checks see a window, records count from the start
  std::atomic<int> windows{0};
  krfx::PipelineOutput out;
  // Runs on the workers, several at once: no Catch assertions in here.
  out.render = [&](const krfx::Document& d, const krfx::ExtractResult& r, std::int64_t text_offset) {
    ++windows;
    std::string s;
    for (const krfx::Mention& m : r.mentions) {
      const bool found = d.text.compare(static_cast<std::size_t>(m.byte_start - text_offset), m.text.size(), m.text) == 0;
      s += std::to_string(m.id) + " " + std::to_string(m.byte_start) + (found ? "\n" : " not in the window's text\n");
    }
    return s;
  };
  std::ostringstream got;
  krfx::run_pipeline(engine(), rates(), {f.path()}, o, out, got);
  std::string want;
  for (const krfx::Mention& m : engine().extract({"", text, ""}).mentions)
    want += std::to_string(m.id) + " " + std::to_string(m.byte_start) + "\n";
  CHECK(got.str() == want);
  CHECK(windows > 10);
}

TEST_CASE("a window closes at window_mentions, however few bytes it holds", "[parts][pipeline]") {
  const std::string text = generated_text();
  TempFile f(".txt", text);
  const std::size_t all = engine().extract({"", text, ""}).mentions.size();
  REQUIRE(all > 40);
  for (int threads : {1, 2}) {
    krfx::PipelineOptions o = options(300, threads);
    o.window_bytes = std::size_t{1} << 30;  // bytes alone would make one window
    o.window_mentions = 10;
    std::mutex mu;
    std::size_t largest = 0, seen = 0;
    int windows = 0;
    krfx::PipelineOutput out;
    out.render = [&](const krfx::Document&, const krfx::ExtractResult& r, std::int64_t) {
      std::lock_guard<std::mutex> lock(mu);
      ++windows;
      largest = std::max(largest, r.mentions.size());
      seen += r.mentions.size();
      return std::string();
    };
    std::ostringstream sink;
    krfx::run_pipeline(engine(), rates(), {f.path()}, o, out, sink);
    INFO("threads " << threads);
    CHECK(seen == all);
    CHECK(windows >= static_cast<int>(all / 40));
    // A window closes before the part that would follow its tenth mention,
    // so it holds at most 9 mentions plus one part's worth.
    krfx::SplitOptions split = o.split;
    std::size_t most_in_a_part = 0;
    std::string_view rest(text);
    while (!rest.empty()) {
      const std::size_t cut = krfx::part_end(rest, true, split);
      most_in_a_part = std::max(most_in_a_part, engine().extract({"", std::string(rest.substr(0, cut)), ""}).mentions.size());
      rest.remove_prefix(cut);
    }
    CHECK(largest <= 9 + most_in_a_part);
  }
}

TEST_CASE("an exception from render stops the run and comes back", "[pipeline]") {
  TempFile f(".txt", generated_text());
  for (int threads : {1, 2}) {
    krfx::PipelineOutput out;
    out.render = [](const krfx::Document&, const krfx::ExtractResult&, std::int64_t) -> std::string {
      throw std::runtime_error("render failed");
    };
    std::ostringstream sink;
    CHECK_THROWS_WITH(krfx::run_pipeline(engine(), rates(), {f.path(), f.path()}, options(100, threads), out, sink),
                      "render failed");
  }
}
