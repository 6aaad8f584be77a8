// Normalization: the text the scanner reads, with a map back to the text as
// given. Compatibility forms are folded by ICU NFKC (５０００ -> 5000,
// ～ -> ~), invalid UTF-8 bytes become U+FFFD and are reported. Offsets in
// the output always point into the original text.
#ifndef KRFX_SRC_NORMALIZE_NORMALIZE_H_
#define KRFX_SRC_NORMALIZE_NORMALIZE_H_

#include <krfx/mention.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace krfx::internal {

struct NormalizedText {
  std::string text;                 // what the scanner reads
  // Where the map from `text` back to the original changes: from `norm` on,
  // bytes come from `orig` on, one for one (a copied stretch) or all from
  // `orig` (the bytes of one folded character). Sorted by `norm`; empty when
  // text == original. Most documents need at most a few entries, not one per
  // byte.
  struct Piece {
    std::uint32_t norm, orig;
    bool folded;
  };
  std::vector<Piece> pieces;
  std::vector<Diagnostic> diagnostics;

  // The byte of the original text where normalized byte `n` (a character
  // start, or text.size()) came from.
  std::size_t original_byte(std::size_t n) const {
    if (pieces.empty()) return n;
    auto it = std::upper_bound(pieces.begin(), pieces.end(), n,
                               [](std::size_t v, const Piece& p) { return v < p.norm; });
    const Piece& p = *(it - 1);
    return p.folded ? p.orig : p.orig + (n - p.norm);
  }
};

NormalizedText normalize(std::string_view original);

// Maps byte offsets of `text` to code-point offsets, moving forward: calls
// must come with non-decreasing byte offsets, or it starts over. An invalid
// byte counts as one code point, as a replacing decoder would. `valid` says
// the text is known to be valid UTF-8, which allows a cheaper count.
class CodePointCounter {
 public:
  explicit CodePointCounter(std::string_view text, bool valid = false) : text_(text), valid_(valid) {}
  std::int64_t at(std::size_t byte);

 private:
  std::string_view text_;
  bool valid_;
  std::size_t byte_ = 0;
  std::int64_t cp_ = 0;
};

// Length of the UTF-8 sequence starting at s[i] if it is valid, else 0.
std::size_t utf8_sequence_length(std::string_view s, std::size_t i);

}  // namespace krfx::internal

#endif  // KRFX_SRC_NORMALIZE_NORMALIZE_H_
