#include "normalize/normalize.h"

#include <fmt/format.h>
#include <unicode/normalizer2.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <utility>

namespace krfx::internal {
namespace {

const icu::Normalizer2* nfkc() {
  static const icu::Normalizer2* n = [] {
    UErrorCode st = U_ZERO_ERROR;
    return icu::Normalizer2::getNFKCInstance(st);
  }();
  return n;
}

bool is_hangul_syllable(UChar32 c) { return c >= 0xAC00 && c <= 0xD7A3; }

// A character beyond ASCII that NFKC leaves as it is, whatever surrounds
// it (see stays_until).
bool stays(UChar32 c) { return is_hangul_syllable(c) || nfkc()->isInert(c); }

// The end of the run from p[i] of ASCII and precomposed Hangul syllables,
// the bulk of Korean text: they need no lookup, and a syllable's three
// bytes are checked here rather than by U8_NEXT's general decoder (a
// well-formed sequence decoding to AC00..D7A3 is valid UTF-8).
int32_t skip_plain(const uint8_t* p, int32_t i, int32_t len) {
#if defined(__SSE2__)
  // Sixteen bytes at a time while they hold nothing else (Korean text
  // turns from syllables to spaces every few characters, and a branch per
  // character was mispredicted at each turn). `i` is always the start of a
  // character; a block is read with the two bytes after it, which a
  // syllable started in its last lanes needs.
  const auto all = [](int b) { return _mm_set1_epi8(static_cast<char>(b)); };
  const __m128i top = all(0x80);
  const auto bytes = [&](int32_t k) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + k)); };
  // Unsigned byte comparisons, as signed ones with the top bit flipped.
  const auto above = [&](__m128i v, int b) { return _mm_cmpgt_epi8(_mm_xor_si128(v, top), all(b ^ 0x80)); };
  const auto below = [&](__m128i v, int b) { return _mm_cmpgt_epi8(all(b ^ 0x80), _mm_xor_si128(v, top)); };
  const auto is = [&](__m128i v, int b) { return _mm_cmpeq_epi8(v, all(b)); };
  const auto continuation = [&](__m128i v) { return _mm_cmpeq_epi8(_mm_and_si128(v, all(0xC0)), top); };
  while (i + 18 <= len) {
    const __m128i b0 = bytes(i), b1 = bytes(i + 1), b2 = bytes(i + 2);
    // A syllable (AC00..D7A3) is EA B0..BF xx, EB xx xx, EC xx xx, or
    // ED 80..9D xx, ED 9E 80..A3.
    const __m128i in_range = _mm_or_si128(
        _mm_or_si128(_mm_and_si128(is(b0, 0xEA), above(b1, 0xAF)), _mm_or_si128(is(b0, 0xEB), is(b0, 0xEC))),
        _mm_and_si128(is(b0, 0xED), _mm_or_si128(below(b1, 0x9E), _mm_and_si128(is(b1, 0x9E), below(b2, 0xA4)))));
    const __m128i syllable = _mm_and_si128(in_range, _mm_and_si128(continuation(b1), continuation(b2)));
    const unsigned lead = static_cast<unsigned>(_mm_movemask_epi8(syllable));
    const unsigned inside = static_cast<unsigned>(_mm_movemask_epi8(continuation(b0)));
    const unsigned high = static_cast<unsigned>(_mm_movemask_epi8(b0));
    const unsigned covered = ((lead << 1) | (lead << 2)) & 0xFFFFu;
    // Lanes that are neither ASCII, nor a syllable's lead, nor one of its
    // two other bytes.
    const unsigned bad = (high & ~(lead | inside)) | (inside ^ covered);
    if (bad != 0) {
      // Up to the first such lane, all whole characters.
      i += std::countr_zero(bad);
      break;
    }
    i += 16 + (lead >> 15 ? 2 : (lead >> 14) & 1u);
  }
#endif
  while (i < len) {
    const uint8_t b = p[i];
    if (b < 0x80) {
      std::uint64_t w = 0x80;
      if (i + 8 <= len) std::memcpy(&w, p + i, 8);
      i += (w & 0x8080808080808080ULL) == 0 ? 8 : 1;
      continue;
    }
    if (i + 3 > len) break;
    const uint8_t b1 = p[i + 1], b2 = p[i + 2];
    const UChar32 c = ((b & 0x0F) << 12) | ((b1 & 0x3F) << 6) | (b2 & 0x3F);
    // (x ^ 0x80 < 0x40: x is a continuation byte.)
    if ((b & 0xF0) != 0xE0 || ((b1 ^ 0x80) | (b2 ^ 0x80)) >= 0x40 || !is_hangul_syllable(c)) break;
    i += 3;
  }
  return i;
}

// The end of the run from p[i] of characters that NFKC leaves as they are
// whatever surrounds them: the first byte that is invalid or starts another
// character, or len. ASCII and syllables change only with a following
// combining mark or jamo, which are not inert, so such a run needs no
// folding.
int32_t stays_until(const uint8_t* p, int32_t i, int32_t len) {
  while ((i = skip_plain(p, i, len)) < len) {
    const int32_t at = i;
    UChar32 c;
    U8_NEXT(p, i, len, c);
    if (c < 0 || !stays(c)) return at;
  }
  return len;
}

bool valid_from(const uint8_t* p, int32_t i, int32_t len) {
  while ((i = skip_plain(p, i, len)) < len) {
    UChar32 c;
    U8_NEXT(p, i, len, c);
    if (c < 0) return false;
  }
  return true;
}

}  // namespace

std::size_t utf8_sequence_length(std::string_view s, std::size_t i) {
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  int32_t len = static_cast<int32_t>(s.size());
  int32_t j = static_cast<int32_t>(i);
  UChar32 c;
  U8_NEXT(p, j, len, c);
  return c < 0 ? 0 : static_cast<std::size_t>(j) - i;
}

NormalizedText normalize(std::string_view original) {
  NormalizedText out;
  const auto* p = reinterpret_cast<const uint8_t*>(original.data());
  const int32_t len = static_cast<int32_t>(original.size());
  // Fast path: most documents are valid and already NFKC, and need no map.
  // A valid text with other characters may still be NFKC, as ICU decides;
  // it is asked before the rest is validated, since most texts that reach
  // it need folding and ICU stops at the first character to fold.
  const int32_t first = stays_until(p, 0, len);
  UErrorCode st = U_ZERO_ERROR;
  if (first == len ||
      (utf8_sequence_length(original, static_cast<std::size_t>(first)) > 0 &&
       nfkc()->isNormalizedUTF8(icu::StringPiece(original.data(), len), st) && U_SUCCESS(st) &&
       valid_from(p, first, len))) {
    out.text.assign(original);
    return out;
  }
  out.text.reserve(original.size());
  // Characters that stay as they are are copied in stretches; a new piece
  // starts only after a folded or replaced character.
  auto add_piece = [&](std::size_t orig, bool folded) {
    out.pieces.push_back({static_cast<std::uint32_t>(out.text.size()), static_cast<std::uint32_t>(orig), folded});
  };
  // (The stretch before `first` is known from the fast path's pass.)
  bool in_copy = first > 0;
  if (in_copy) {
    add_piece(0, false);
    out.text.append(original.data(), static_cast<std::size_t>(first));
  }
  int32_t i = first;
  std::string piece;
  // A text repeats its few characters to fold (no-break spaces, ellipses):
  // ICU is asked once for each.
  constexpr std::size_t kKeptFolds = 16;
  std::vector<std::pair<UChar32, std::string>> folds;
  while (i < len) {
    int32_t start = i;
    UChar32 c = 0;
    // Found a stretch at a time and appended at once: a text is folded for
    // one ellipsis among thousands of syllables.
    i = stays_until(p, i, len);
    if (i > start) {
      if (!in_copy) add_piece(static_cast<std::size_t>(start), false);
      in_copy = true;
      out.text.append(original.data() + start, static_cast<std::size_t>(i - start));
      if (i == len) break;
    }
    start = i;
    U8_NEXT(p, i, len, c);
    if (c < 0) {
      out.diagnostics.push_back(
          {start, fmt::format("invalid UTF-8 byte 0x{:02X} at byte {}", static_cast<unsigned>(p[start]), start)});
      // One replacement per bad byte keeps later offsets aligned with a
      // decoder that does the same.
      i = start + 1;
      piece = "\xEF\xBF\xBD";
    } else if (auto f = std::find_if(folds.begin(), folds.end(), [&](const auto& x) { return x.first == c; });
               f != folds.end()) {
      piece = f->second;
    } else {
      // Folded one code point at a time, so every output byte has a source.
      icu::UnicodeString src(c), dst;
      UErrorCode e = U_ZERO_ERROR;
      nfkc()->normalize(src, dst, e);
      piece.clear();
      if (U_FAILURE(e)) {
        piece.assign(original.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(i - start)));
      } else {
        dst.toUTF8String(piece);
        if (folds.size() < kKeptFolds) folds.emplace_back(c, piece);
      }
    }
    add_piece(static_cast<std::size_t>(start), true);
    in_copy = false;
    out.text += piece;
  }
  // The end of the text maps to the end of the original.
  out.pieces.push_back({static_cast<std::uint32_t>(out.text.size()), static_cast<std::uint32_t>(len), false});
  return out;
}

std::int64_t CodePointCounter::at(std::size_t byte) {
  if (byte < byte_) {
    byte_ = 0;
    cp_ = 0;
  }
  if (valid_) {
    // Valid UTF-8: every byte but a continuation byte starts a code point.
    // Eight bytes at a time: a continuation byte is 10xxxxxx.
    const std::size_t to = std::min(byte, text_.size());
    const char* t = text_.data();
    std::size_t i = byte_;
    std::int64_t cp = cp_;
    for (; i + 8 <= to; i += 8) {
      std::uint64_t w;
      std::memcpy(&w, t + i, 8);
      // (Summed by a multiply, not std::popcount: without -mpopcnt, which
      // the x86-64 baseline lacks, that is a call into libgcc per word.)
      const std::uint64_t cont = (w & ~(w << 1) & 0x8080808080808080ULL) >> 7;
      cp += 8 - static_cast<std::int64_t>((cont * 0x0101010101010101ULL) >> 56);
    }
    for (; i < to; ++i) cp += (static_cast<unsigned char>(t[i]) & 0xC0) != 0x80;
    byte_ = i;
    cp_ = cp;
    return cp_;
  }
  while (byte_ < byte && byte_ < text_.size()) {
    auto c = static_cast<unsigned char>(text_[byte_]);
    std::size_t n = c < 0x80 ? 1 : utf8_sequence_length(text_, byte_);
    byte_ += n == 0 ? 1 : n;
    ++cp_;
  }
  return cp_;
}

}  // namespace krfx::internal
