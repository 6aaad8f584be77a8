// Shared by the libFuzzer harnesses in this directory: a check that stops
// the process (so libFuzzer and the replay driver both report it), and an
// independent count of code points with the engine's convention for
// invalid UTF-8 (every byte of an ill-formed sequence counts as one).
#ifndef KRFX_TESTS_FUZZ_FUZZ_CHECK_H_
#define KRFX_TESTS_FUZZ_FUZZ_CHECK_H_

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#define KRFX_FUZZ_CHECK(cond, ...)                                          \
  do {                                                                      \
    if (!(cond)) {                                                          \
      std::fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__, \
                   #cond);                                                  \
      std::fprintf(stderr, __VA_ARGS__);                                    \
      std::fprintf(stderr, "\n");                                           \
      std::abort();                                                         \
    }                                                                       \
  } while (0)

namespace krfx_fuzz {

// Length of the well-formed UTF-8 sequence at s[i] (Unicode table 3-7), or 0.
inline std::size_t utf8_length(std::string_view s, std::size_t i) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const unsigned char c = b(0);
  if (c < 0x80) return 1;
  std::size_t n = 0;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) n = 2;
  else if (c == 0xE0) n = 3, lo = 0xA0;
  else if (c >= 0xE1 && c <= 0xEC) n = 3;
  else if (c == 0xED) n = 3, hi = 0x9F;
  else if (c >= 0xEE && c <= 0xEF) n = 3;
  else if (c == 0xF0) n = 4, lo = 0x90;
  else if (c >= 0xF1 && c <= 0xF3) n = 4;
  else if (c == 0xF4) n = 4, hi = 0x8F;
  else return 0;
  if (i + n > s.size()) return 0;
  if (b(1) < lo || b(1) > hi) return 0;
  for (std::size_t k = 2; k < n; ++k)
    if (b(k) < 0x80 || b(k) > 0xBF) return 0;
  return n;
}

// Code points in s[0, byte), an invalid byte counting as one.
inline std::int64_t code_points_before(std::string_view s, std::size_t byte) {
  std::int64_t cp = 0;
  for (std::size_t i = 0; i < byte && i < s.size(); ++cp) {
    const std::size_t n = utf8_length(s, i);
    i += n == 0 ? 1 : n;
  }
  return cp;
}

// Whether `byte` falls between two code points (or at the end) of s.
inline bool is_boundary(std::string_view s, std::size_t byte) {
  std::size_t i = 0;
  while (i < byte && i < s.size()) {
    const std::size_t n = utf8_length(s, i);
    i += n == 0 ? 1 : n;
  }
  return i == byte;
}

inline bool is_iso_code(std::string_view c) {
  if (c.size() != 3) return false;
  for (char x : c)
    if (x < 'A' || x > 'Z') return false;
  return true;
}

}  // namespace krfx_fuzz

#endif  // KRFX_TESTS_FUZZ_FUZZ_CHECK_H_
