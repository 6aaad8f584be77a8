// Sentence boundaries for the linker, exactly as ICU's sentence break
// iterator gives them, found a line at a time and only as far as asked.
#ifndef KRFX_SRC_LINK_SENTENCES_H_
#define KRFX_SRC_LINK_SENTENCES_H_

#include <unicode/brkiter.h>
#include <unicode/utext.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

namespace krfx::internal {

class SentenceClasses;  // ICU's Sentence_Break classes (sentences.cc)

// The sentence boundaries of one line, as byte offsets from its start: 0
// first and the line's end last, each one a boundary `bi` (ICU's sentence
// break iterator, the caller's) gives on the line. The line must be valid
// UTF-8, as normalized text is; with a null `bi` it is one sentence.
//
// ICU's iterator reads every character, and the line copied to UTF-16 for
// it, where most terminators decide a boundary by themselves: the line is
// walked from terminator to terminator, and UAX #29 (which ICU's rules
// implement) gives the boundary after those of a few plain forms (see
// walk()), by ICU's own Sentence_Break data; ICU is started only at another,
// from the last boundary found. (Each of ICU's steps starts afresh from the
// boundary before, as at the start of a text, so its boundaries after a
// boundary are those of the text from there.) tests/sentences_test.cc holds the
// two to the same boundaries on generated lines.
class SentenceBreaks {
 public:
  explicit SentenceBreaks(icu::BreakIterator* bi);
  SentenceBreaks(const SentenceBreaks&) = delete;
  SentenceBreaks& operator=(const SentenceBreaks&) = delete;
  ~SentenceBreaks();

  // Starts on `line`, which must outlive the calls for it.
  void set_line(std::string_view line);

  // The boundaries so far, holding every one up to the first past `pos`
  // (or all of them, the line's end last).
  const std::vector<std::size_t>& through(std::size_t pos);

 private:
  static constexpr std::size_t kMaxUtf16Line = std::size_t{1} << 16;

  // Walks on to the next terminator and past it. False, having moved
  // nothing, at a terminator whose boundary the walk does not decide.
  bool walk();

  // ICU from the last boundary found to the end of the line.
  void start_icu();

  // False, with units_ unspecified, when `line` is not strict UTF-8.
  bool to_utf16(std::string_view line);

  void finish();
  void close();

  icu::BreakIterator* bi_;
  const SentenceClasses& classes_;
  // Opened anew for every line in the same struct: no allocation per line.
  UText text_ = UTEXT_INITIALIZER;
  UText* ut_ = nullptr;  // &text_ while it is open
  std::string_view line_;
  std::vector<std::size_t> breaks_;
  std::unique_ptr<UChar[]> buffer_;
  std::unique_ptr<std::uint32_t[]> bytes_;  // per unit of buffer_, its byte after from_
  std::size_t capacity_ = 0, units_ = 0;
  std::size_t walked_ = 0;  // the walk has read the line up to here
  std::size_t from_ = 0;    // where ICU's text starts in the line
  bool utf16_ = false;
  bool done_ = true;
};


}  // namespace krfx::internal

#endif  // KRFX_SRC_LINK_SENTENCES_H_
