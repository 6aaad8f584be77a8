#include "link/sentences.h"

#include <unicode/uchar.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <array>
#include <bit>
#include <string>

#include "scan/scanner.h"

namespace krfx::internal {

// The Sentence_Break class of characters, from ICU's property data.
class SentenceClasses {
 public:
  // (Looked up by u_getIntPropertyValue: ICU's map of a whole property,
  // u_getIntPropertyMap, is built by visiting every code point, a few
  // milliseconds of every process that links.)
  SentenceClasses() {
    for (UChar32 c = 0; c < 0x80; ++c) {
      ascii_[static_cast<std::size_t>(c)] = u_getIntPropertyValue(c, UCHAR_SENTENCE_BREAK);
      if (ends(ascii_[static_cast<std::size_t>(c)])) stops_.push_back(static_cast<char>(c));
    }
    syllables_ = true;
    for (UChar32 c = 0xAC00; c <= 0xD7A3 && syllables_; ++c)
      syllables_ = u_getIntPropertyValue(c, UCHAR_SENTENCE_BREAK) == U_SB_OLETTER;
  }

  static const SentenceClasses& get() {
    static const SentenceClasses classes;
    return classes;
  }

  int of(UChar32 c) const {
    return c < 0x80 ? ascii_[static_cast<std::size_t>(c)] : u_getIntPropertyValue(c, UCHAR_SENTENCE_BREAK);
  }

  // The class of the character at s[i] and its length in *n; -1 for a byte
  // that starts no valid sequence.
  int at(std::string_view s, std::size_t i, std::size_t* n) const {
    const auto* p = reinterpret_cast<const std::uint8_t*>(s.data());
    if (p[i] < 0x80) {
      *n = 1;
      return ascii_[p[i]];
    }
    auto k = static_cast<int32_t>(i);
    UChar32 c;
    U8_NEXT(p, k, static_cast<int32_t>(s.size()), c);
    *n = static_cast<std::size_t>(k) - i;
    return c < 0 ? -1 : of(c);
  }

  // Classes after which a boundary may fall (UAX #29: a sentence ends only
  // after a terminator or a paragraph separator).
  static bool ends(int sb) {
    return sb == U_SB_ATERM || sb == U_SB_STERM || sb == U_SB_SEP || sb == U_SB_CR || sb == U_SB_LF || sb < 0;
  }

  // The first byte at or after `i` of a character that ends(), or of an
  // invalid sequence; s.size() for none.
  std::size_t next_end(std::string_view s, std::size_t i) const {
    const auto* p = reinterpret_cast<const std::uint8_t*>(s.data());
    const std::size_t n = s.size();
    while (i < n) {
#if defined(__SSE2__)
      if (syllables_ && (i = skip_blocks(p, i, n)) == n) break;
#endif
      const std::uint8_t b = p[i];
      if (b < 0x80) {
        if (ends(ascii_[b])) return i;
        ++i;
        continue;
      }
      // A syllable, most of the text: told by its bytes, no lookup.
      if (syllables_ && is_hangul_at(s, i)) {
        i += 3;
        continue;
      }
      std::size_t len = 0;
      if (ends(at(s, i, &len))) return i;
      i += len;
    }
    return n;
  }

 private:
#if defined(__SSE2__)
  // From `i`, a character's start, past blocks of sixteen bytes that hold
  // no ASCII terminator and no character but ASCII and syllables, to a
  // character that next_end must look at, or near the end. The text is
  // normalized, so valid UTF-8: a character led by EB or EC is a syllable,
  // one led by EA or ED is when the byte after it says so (ED 9E, rare, is
  // looked at).
  std::size_t skip_blocks(const std::uint8_t* p, std::size_t i, std::size_t n) const {
    const auto all = [](int b) { return _mm_set1_epi8(static_cast<char>(b)); };
    const __m128i top = all(0x80);
    const auto is = [&](__m128i v, int b) { return _mm_cmpeq_epi8(v, all(b)); };
    for (; i + 17 <= n; i += 16) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
      const __m128i next = _mm_xor_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i + 1)), top);
      // Lead bytes (C0 and up), as signed bytes with the top bit flipped.
      const __m128i lead = _mm_cmpgt_epi8(_mm_xor_si128(v, top), all(0x3F));
      const __m128i syllable = _mm_or_si128(
          _mm_or_si128(is(v, 0xEB), is(v, 0xEC)),
          _mm_or_si128(_mm_and_si128(is(v, 0xEA), _mm_cmpgt_epi8(next, all(0xAF ^ 0x80))),
                       _mm_and_si128(is(v, 0xED), _mm_cmpgt_epi8(all(0x9E ^ 0x80), next))));
      __m128i look = _mm_andnot_si128(syllable, lead);
      for (char c : stops_) look = _mm_or_si128(look, is(v, static_cast<unsigned char>(c)));
      if (const auto hits = static_cast<unsigned>(_mm_movemask_epi8(look)); hits != 0)
        return i + static_cast<std::size_t>(std::countr_zero(hits));
    }
    while (i < n && (p[i] & 0xC0) == 0x80) ++i;  // (the rest of a character the last block began)
    return i;
  }
#endif

  std::array<int, 128> ascii_{};
  std::string stops_;       // the ASCII characters that end()
  bool syllables_ = false;  // every precomposed syllable is OLetter
};

SentenceBreaks::SentenceBreaks(icu::BreakIterator* bi) : bi_(bi), classes_(SentenceClasses::get()) {}

SentenceBreaks::~SentenceBreaks() { close(); }

void SentenceBreaks::set_line(std::string_view line) {
  close();
  line_ = line;
  breaks_.assign(1, 0);
  walked_ = 0;
  done_ = !bi_;
  if (done_) finish();
}

const std::vector<std::size_t>& SentenceBreaks::through(std::size_t pos) {
  while (!done_ && breaks_.back() <= pos) {
    if (ut_) {
      int32_t p = bi_->next();
      if (p == icu::BreakIterator::DONE) {
        close();
        finish();
      } else {
        breaks_.push_back(from_ + (utf16_ ? bytes_[static_cast<std::size_t>(p)] : static_cast<std::size_t>(p)));
      }
    } else if (!walk()) {
      start_icu();
    }
  }
  return breaks_;
}

bool SentenceBreaks::walk() {
  const SentenceClasses& sc = classes_;
  const std::size_t n = line_.size();
  const std::size_t k = sc.next_end(line_, walked_);
  if (k == n) {
    walked_ = n;
    finish();
    return true;
  }
  std::size_t len = 0, j = k;
  int sb = sc.at(line_, j, &len);
  int terms = 0, last = sb;
  const bool aterm = sb == U_SB_ATERM;
  for (; sb == U_SB_ATERM || sb == U_SB_STERM; sb = j < n ? sc.at(line_, j, &len) : -2) last = sb, j += len, ++terms;
  if (terms == 0) return false;  // a separator or an invalid byte
  // SB6: a full stop before a digit ("1.5") ends nothing.
  if (terms == 1 && aterm && sb == U_SB_NUMERIC) {
    walked_ = j;
    return true;
  }
  for (; sb == U_SB_CLOSE; sb = j < n ? sc.at(line_, j, &len) : -2) j += len;
  int spaces = 0;
  for (; sb == U_SB_SP; sb = j < n ? sc.at(line_, j, &len) : -2) j += len, ++spaces;
  // Terminators, closing marks and spaces end the line: SB8a, SB9 and
  // SB10 keep them together, and the line's end is the boundary.
  if (j == n) {
    walked_ = n;
    finish();
    return true;
  }
  // SB11 then, before a letter of no case (Hangul), or a capital after a
  // space: SB7 needs the capital right after a full stop, SB8 a small
  // letter, SB8a another terminator, SB9 and SB10 a closing mark, space
  // or separator.
  if (sb == U_SB_OLETTER || (spaces > 0 && sb == U_SB_UPPER)) {
    walked_ = j;
    breaks_.push_back(j);
    return true;
  }
  // A figure after the spaces ("...haetda. 2019nyeon"): SB11 too, unless
  // the terminator is a full stop and a small letter comes before any
  // other letter, terminator or separator (SB8).
  if (spaces > 0 && sb == U_SB_NUMERIC) {
    std::size_t q = j;
    int next = sb;
    while (next != U_SB_OLETTER && next != U_SB_UPPER && next != U_SB_LOWER && !sc.ends(next)) {
      q += len;
      next = q < n ? sc.at(line_, q, &len) : -2;
    }
    if (next == -1) return false;  // an invalid byte
    walked_ = j;
    if (next != U_SB_LOWER || last != U_SB_ATERM) breaks_.push_back(j);
    return true;
  }
  return false;
}

void SentenceBreaks::start_icu() {
  from_ = breaks_.back();
  const std::string_view rest = line_.substr(from_);
  UErrorCode st = U_ZERO_ERROR;
  // ICU's UTF-8 text hands the iterator 32 characters at a time, and
  // refilling was a third of its time; the same code points in one UTF-16
  // buffer give the same boundaries. Text that is not strict UTF-8 (ICU
  // would read it as replacement characters) and very long lines (the
  // buffer would grow with the input) stay on the UTF-8 path.
  utf16_ = rest.size() <= kMaxUtf16Line && to_utf16(rest);
  if (utf16_) {
    ut_ = utext_openUChars(&text_, buffer_.get(), static_cast<int64_t>(units_), &st);
  } else {
    ut_ = utext_openUTF8(&text_, rest.data(), static_cast<int64_t>(rest.size()), &st);
  }
  if (U_FAILURE(st)) {
    close();
    return finish();
  }
  bi_->setText(ut_, st);
}

bool SentenceBreaks::to_utf16(std::string_view line) {
  // A line never has more UTF-16 units than bytes.
  if (capacity_ < line.size() + 1) {
    capacity_ = std::max(line.size() + 1, 2 * capacity_);
    buffer_ = std::make_unique<UChar[]>(capacity_);
    bytes_ = std::make_unique<std::uint32_t[]>(capacity_);
  }
  UChar* out = buffer_.get();
  std::uint32_t* at = bytes_.get();
  const auto* p = reinterpret_cast<const std::uint8_t*>(line.data());
  const auto len = static_cast<std::int32_t>(line.size());
  for (std::int32_t i = 0; i < len;) {
    const std::uint8_t b = p[i];
    *at++ = static_cast<std::uint32_t>(i);
    if (b < 0x80) {
      *out++ = b;
      ++i;
      continue;
    }
    // A well-formed three-byte sequence other than one led by E0, as
    // Hangul is: decoded without U8_NEXT's checks for every length.
    if (b >= 0xE1 && b <= 0xEF && i + 2 < len && (p[i + 1] & 0xC0) == 0x80 && (b != 0xED || p[i + 1] < 0xA0) &&
        (p[i + 2] & 0xC0) == 0x80) {
      *out++ = static_cast<UChar>(((b & 0x0Fu) << 12) | ((p[i + 1] & 0x3Fu) << 6) | (p[i + 2] & 0x3Fu));
      i += 3;
      continue;
    }
    UChar32 c;
    U8_NEXT(p, i, len, c);
    if (c < 0) return false;
    if (c <= 0xFFFF) {
      *out++ = static_cast<UChar>(c);
    } else {
      *at++ = static_cast<std::uint32_t>(i);  // (inside the character: never a boundary)
      *out++ = U16_LEAD(c);
      *out++ = U16_TRAIL(c);
    }
  }
  *at = static_cast<std::uint32_t>(len);
  units_ = static_cast<std::size_t>(out - buffer_.get());
  return true;
}

void SentenceBreaks::finish() {
  done_ = true;
  if (breaks_.back() != line_.size()) breaks_.push_back(line_.size());
}

void SentenceBreaks::close() {
  if (ut_) utext_close(ut_);
  ut_ = nullptr;
}

}  // namespace krfx::internal
