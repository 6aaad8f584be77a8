// Linking: who did what with each amount. Works on the sentence around an
// amount only: words (eojeol) are split from their particles, clauses end at
// connective endings, and the subject or topic, the nearest action noun and
// the dative (or object) word give entity, action and target. All words come
// from the rules (LinkWords); this stage knows only the procedure.
#ifndef KRFX_SRC_LINK_LINKER_H_
#define KRFX_SRC_LINK_LINKER_H_

#include <memory>
#include <string_view>
#include <vector>

#include "rules/lexicon.h"
#include "structure/structure.h"

namespace krfx::internal {

struct Link {
  std::string entity, action, target;
};

// One Link per draft (normalized text offsets); a conversion gets the link
// of the amount it restates.
std::vector<Link> link_mentions(const Lexicon& lex, std::string_view text, const std::vector<Draft>& drafts);

// The lists of `w` arranged for the linker's per-word questions: one table
// probe answers which lists hold a word, and suffix lists are probed only at
// the lengths their entries have. Built once when the rules are loaded.
std::shared_ptr<const LinkIndex> index_link_words(const LinkWords& w);

}  // namespace krfx::internal

#endif  // KRFX_SRC_LINK_LINKER_H_
