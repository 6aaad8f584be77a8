// Structure: atoms become mentions. Subunits join their amount (1dalreo 20senteu),
// two atoms around a connector become one range (150eok~250eokdalreo), an
// amount in parentheses after an amount in another currency becomes its
// conversion, and qualifiers on either side set approx and bound.
#ifndef KRFX_SRC_STRUCTURE_STRUCTURE_H_
#define KRFX_SRC_STRUCTURE_STRUCTURE_H_

#include <krfx/mention.h>

#include <string_view>
#include <vector>

#include "rules/lexicon.h"
#include "scan/scanner.h"

namespace krfx::internal {

// A mention in normalized byte offsets; `restates` indexes the result.
struct Draft {
  Draft() {}  // (user-provided: see Atom's)
  std::size_t begin = 0, end = 0;
  std::string currency;
  std::optional<Decimal> value, low, high;
  bool approx = false;
  Bound bound = Bound::kNone;
  Role role = Role::kPrimary;
  int restates = -1;
};

struct Structured {
  std::vector<Draft> mentions;        // in text order
  std::vector<StatedRate> rates;      // exchange rates the text states
};

Structured build_mentions(const Lexicon& lex, std::string_view text, std::vector<Atom> atoms);

}  // namespace krfx::internal

#endif  // KRFX_SRC_STRUCTURE_STRUCTURE_H_
