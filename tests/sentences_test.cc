// The linker's sentence boundaries (src/link/sentences.h) against ICU's
// sentence break iterator run over each whole line. The linker walks from
// terminator to terminator and decides the plain cases by UAX #29 itself,
// starting ICU only after the last boundary it found: on lines built at
// random from the characters that decide sentence boundaries, both must
// give ICU's boundaries, whatever order they are asked for in. No corpus
// reaches these mixtures, hence a unit test.
#include "link/sentences.h"

#include <catch2/catch.hpp>
#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/utext.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace {

std::unique_ptr<icu::BreakIterator> sentence_iterator() {
  UErrorCode st = U_ZERO_ERROR;
  std::unique_ptr<icu::BreakIterator> bi(icu::BreakIterator::createSentenceInstance(icu::Locale::getKorean(), st));
  if (U_FAILURE(st)) bi.reset();
  return bi;
}

// ICU alone over the whole line, read as UTF-8: its boundaries in bytes.
std::vector<std::size_t> icu_breaks(icu::BreakIterator& bi, const std::string& line) {
  UErrorCode st = U_ZERO_ERROR;
  UText* text = utext_openUTF8(nullptr, line.data(), static_cast<int64_t>(line.size()), &st);
  bi.setText(text, st);
  std::vector<std::size_t> out;
  for (int32_t p = bi.first(); p != icu::BreakIterator::DONE; p = bi.next()) out.push_back(static_cast<std::size_t>(p));
  utext_close(text);
  return out;
}

// splitmix64: the same lines on every machine.
struct Random {
  std::uint64_t state;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }
};

// Pieces of every Sentence_Break class that matters around a terminator,
// written as UTF-8 bytes (no Hangul in the sources of this project).
const std::vector<std::string>& pieces() {
  static const std::vector<std::string> p = {
      // syllables (OLetter), some words of them, the usual sentence end
      "\xEA\xB0\x80", "\xEB\x8B\xA4", "\xEB\x8A\x94", "\xED\x96\x88\xEB\x8B\xA4", "\xEC\x9B\x90", "\xED\x9E\xA3",
      // Latin upper and lower, an abbreviation, digits (Numeric)
      "A", "Z", "a", "z", "U.S", "Mr", "e.g", "1", "2019", "3,5", "\xEF\xBC\x91",
      // terminators: ATerm, STerm, ideographic and fullwidth full stops, ellipsis
      ".", ".", ".", "?", "!", "\xE3\x80\x82", "\xEF\xBC\x8E", "\xE2\x80\xA6", "\xE2\x80\xBC",
      // closing marks and quotes
      "\"", "'", ")", "]", "\xE2\x80\x9D", "\xE2\x80\x99", "\xE3\x80\x8D", "\xC2\xBB", "(",
      // spaces: space, tab, no-break space, ideographic space
      " ", " ", " ", "  ", "\t", "\xC2\xA0", "\xE3\x80\x80",
      // separators: paragraph separator, NEL, CR
      "\xE2\x80\xA9", "\xC2\x85", "\r",
      // SContinue, Extend (a combining acute), Format (soft hyphen, ZWJ)
      ",", ";", ":", "-", "\xE3\x80\x81", "\xCC\x81", "\xC2\xAD", "\xE2\x80\x8D",
      // others: a four-byte character, a Han character, symbols
      "\xF0\x9F\x98\x80", "\xE6\xBC\xA2", "%", "$", "\xE2\x82\xA9"};
  return p;
}

}  // namespace

TEST_CASE("sentence boundaries are ICU's, walked or not", "[link][sentences]") {
  auto reference = sentence_iterator();
  auto own = sentence_iterator();
  REQUIRE(reference);
  REQUIRE(own);
  krfx::internal::SentenceBreaks breaks(own.get());
  Random random{20261128};
  const std::vector<std::string>& p = pieces();
  for (int n = 0; n < 20000; ++n) {
    std::string line;
    const std::size_t count = 1 + random.below(40);
    for (std::size_t k = 0; k < count; ++k) line += p[random.below(p.size())];
    breaks.set_line(line);
    // Asked as the linker asks, a little further each time, then to the end.
    for (std::size_t at = random.below(line.size() + 1); at < line.size(); at += 1 + random.below(16))
      breaks.through(at);
    const std::vector<std::size_t> got = breaks.through(line.size());
    INFO("line " << n << ": '" << line << "'");
    REQUIRE(got == icu_breaks(*reference, line));
  }
}

TEST_CASE("without an ICU iterator a line is one sentence", "[link][sentences]") {
  krfx::internal::SentenceBreaks breaks(nullptr);
  const std::string line = "A. B? C";
  breaks.set_line(line);
  CHECK(breaks.through(0) == std::vector<std::size_t>{0, line.size()});
}
