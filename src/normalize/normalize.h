// Normalization: the text the scanner reads, with a map back to the text as
// given. Compatibility forms are folded by ICU NFKC (５０００ -> 5000,
// ～ -> ~), invalid UTF-8 bytes become U+FFFD and are reported. Offsets in
// the output always point into the original text.
#ifndef KRFX_SRC_NORMALIZE_NORMALIZE_H_
#define KRFX_SRC_NORMALIZE_NORMALIZE_H_

#include <krfx/mention.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace krfx::internal {

struct NormalizedText {
  std::string text;                 // what the scanner reads
  // to_original[i] = byte of the original text where normalized byte i came
  // from, with one extra entry for the end. Empty when text == original.
  std::vector<std::uint32_t> to_original;
  std::vector<Diagnostic> diagnostics;

  std::size_t original_byte(std::size_t normalized_byte) const {
    return to_original.empty() ? normalized_byte : to_original[normalized_byte];
  }
};

NormalizedText normalize(std::string_view original);

// Maps byte offsets of `text` to code-point offsets, moving forward: calls
// must come with non-decreasing byte offsets, or it starts over. An invalid
// byte counts as one code point, as a replacing decoder would.
class CodePointCounter {
 public:
  explicit CodePointCounter(std::string_view text) : text_(text) {}
  std::int64_t at(std::size_t byte);

 private:
  std::string_view text_;
  std::size_t byte_ = 0;
  std::int64_t cp_ = 0;
};

// Length of the UTF-8 sequence starting at s[i] if it is valid, else 0.
std::size_t utf8_sequence_length(std::string_view s, std::size_t i);

}  // namespace krfx::internal

#endif  // KRFX_SRC_NORMALIZE_NORMALIZE_H_
