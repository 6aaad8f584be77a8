// Numerals to exact values. A numeral is read as tokens from the Lexicon
// (digits, unit words, points, vague words) and combined the Korean way:
// small units (sip baek cheon) multiply within a group of four places, big units
// (man eok jo gyeong hae) close a group. Only the rules know the words; this stage
// knows the arithmetic.
#ifndef KRFX_SRC_VALUE_NUMERAL_H_
#define KRFX_SRC_VALUE_NUMERAL_H_

#include <krfx/decimal.h>
#include <krfx/engine.h>

#include <optional>
#include <string_view>

#include "rules/lexicon.h"

namespace krfx::internal {

// kMoney reads what running text can hold (no native numerals, fractions or
// minus words; at most one space between tokens; spelled digits and Arabic
// digits not mixed). kValue reads everything `krfx value` accepts.
enum class Mode { kMoney, kValue };

struct Number {
  std::size_t end = 0;        // byte after the last token used
  Decimal lo, hi;             // equal unless a vague word made it a band
  bool vague = false;         // subaekeok: lo..hi
  bool approx = false;        // 100yeoeok: an approx infix was read
  bool has_unit = false;      // any unit word (sip baek cheon man eok ...)
  bool has_arabic = false;
  Decimal top_big_unit{1};    // the largest big unit read, 1 when none
  Decimal unit_tail{1};       // units right after the leading number when
                              // nothing else follows: 6cheonman -> 10^7
  int tokens = 0;
};

// The longest well-formed numeral starting exactly at `pos` into *out, a
// blank Number; false when there is none.
bool read_number(const Lexicon& lex, std::string_view text, std::size_t pos, Mode mode, Number* out);

// Reads a whole expression for `krfx value`: a numeral, a fraction, generic
// notation (1.5e3, 2.5^-1, 3/4, 1 234 567), with an optional currency.
ValueResult evaluate_expression(const Lexicon& lex, std::string_view expr);

}  // namespace krfx::internal

#endif  // KRFX_SRC_VALUE_NUMERAL_H_
