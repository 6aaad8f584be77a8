#include "normalize/normalize.h"

#include <fmt/format.h>
#include <unicode/normalizer2.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

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

bool valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    std::size_t n = utf8_sequence_length(s, i);
    if (n == 0) return false;
    i += n;
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
  UErrorCode st = U_ZERO_ERROR;
  // Fast path: most documents are valid and already NFKC, and need no map.
  if (valid_utf8(original) &&
      nfkc()->isNormalizedUTF8(icu::StringPiece(original.data(), static_cast<int32_t>(original.size())), st) &&
      U_SUCCESS(st)) {
    out.text.assign(original);
    return out;
  }
  out.text.reserve(original.size());
  out.to_original.reserve(original.size() + 1);
  const auto* p = reinterpret_cast<const uint8_t*>(original.data());
  const int32_t len = static_cast<int32_t>(original.size());
  int32_t i = 0;
  std::string piece;
  while (i < len) {
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(p, i, len, c);
    if (c < 0) {
      out.diagnostics.push_back(
          {start, fmt::format("invalid UTF-8 byte 0x{:02X} at byte {}", static_cast<unsigned>(p[start]), start)});
      // One replacement per bad byte keeps later offsets aligned with a
      // decoder that does the same.
      i = start + 1;
      piece = "\xEF\xBF\xBD";
    } else if (c < 0x80 || is_hangul_syllable(c) || nfkc()->isInert(c)) {
      piece.assign(original.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(i - start)));
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
      }
    }
    out.text += piece;
    out.to_original.insert(out.to_original.end(), piece.size(), static_cast<std::uint32_t>(start));
  }
  out.to_original.push_back(static_cast<std::uint32_t>(len));
  return out;
}

std::int64_t CodePointCounter::at(std::size_t byte) {
  if (byte < byte_) {
    byte_ = 0;
    cp_ = 0;
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
