// Scanning: finds the atoms of money text in normalized text. An atom is a
// numeral with whatever currency is written right next to it (before: $,
// US$, USD; after: dalreo, won, hongkong dalreo, with an English scale word between),
// and a band suffix (wondae). Atoms without a currency are kept: they may be
// the first end of a range (150eok~) or a restatement (yak 21jo9000eok).
#ifndef KRFX_SRC_SCAN_SCANNER_H_
#define KRFX_SRC_SCAN_SCANNER_H_

#include <algorithm>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "rules/lexicon.h"
#include "value/numeral.h"

namespace krfx::internal {

struct Atom {
  // User-provided: emplace_back() value-initializes, which for an implicit
  // constructor zeroes the whole struct (a `rep stos`, slow to start) before
  // the initializers below run again.
  Atom() {}
  std::size_t begin = 0, end = 0;  // normalized bytes: symbol, number, currency, band
  std::size_t number_end = 0;      // where the numeral (and scale word) ends
  Number number;
  Decimal scale{1};                // English scale word, 1 when none
  std::string currency;            // ISO code, empty when none is written
  Decimal factor{1};               // subunit fraction (senteu: 0.01)
  bool band = false;               // wondae
  bool spelled = false;            // no Arabic digit
  bool negative = false;           // a minus sign stands right before it
  std::size_t sign_begin = 0;      // where that sign starts
};

// All atoms of `text`, in order, not overlapping.
std::vector<Atom> scan_atoms(const Lexicon& lex, std::string_view text);

bool is_hangul_at(std::string_view text, std::size_t byte);
bool hangul_before(std::string_view text, std::size_t byte);

inline re2::StringPiece piece(std::string_view t) { return re2::StringPiece(t.data(), t.size()); }

// Words and symbols are short; a bounded window keeps each match cheap
// however long the document is.
constexpr std::size_t kMatchWindow = 256;

// Length of an anchored match of `re` at `pos` within kMatchWindow bytes,
// or npos.
std::size_t match_at(const RE2& re, std::string_view text, std::size_t pos);

// match_at for a list pattern whose words start with a byte of `first`.
inline std::size_t match_list_at(const LazyRE2& re, const ByteSet& first, std::string_view text, std::size_t pos) {
  if (pos >= text.size() || !first.has(text[pos])) return std::string_view::npos;
  return match_at(*re, text, pos);
}

// match_at for a list pattern that is its words' alternation, and nothing
// more: the trie of those words rules out most places without RE2, and
// where no word with a space is in reach (nearly everywhere) its longest
// word is the pattern's match, an RE2 call saved per amount. *tag, when
// given, gets the trie's tag of that word, or -1 when RE2 was asked. The
// pattern is compiled only when it is asked: a process that reads one
// article often needs none of them.
inline std::size_t match_words_at(const LazyRE2& re, const WordTrie& words, std::string_view text, std::size_t pos,
                                  int* tag = nullptr) {
  if (tag) *tag = -1;
  if (pos >= text.size()) return std::string_view::npos;
  bool plain = false;
  int found = -1;
  const std::size_t n = words.longest_at(text, pos, std::min(text.size(), pos + kMatchWindow), &found, &plain);
  if (n == 0) return std::string_view::npos;
  if (!plain) return match_at(*re, text, pos);
  if (tag) *tag = found;
  return n;
}

// Whether a word of `words`, whose first bytes are `first`, lies within
// text[from, end): false rules out a search of that window for the list.
inline bool has_word_in(const WordTrie& words, const ByteSet& first, std::string_view text, std::size_t from,
                        std::size_t end) {
  if (const int b = first.only(); b >= 0) {
    // A Hangul lead byte starts a good share of all syllables: memchr
    // passes over the window a vector at a time, a test per byte did not.
    for (std::size_t i = from; i < end;) {
      const void* hit = std::memchr(text.data() + i, b, end - i);
      if (!hit) return false;
      i = static_cast<std::size_t>(static_cast<const char*>(hit) - text.data());
      if (words.longest_at(text, i, end) > 0) return true;
      ++i;
    }
    return false;
  }
  for (std::size_t i = from; i < end; ++i)
    if (first.has(text[i]) && words.longest_at(text, i, end) > 0) return true;
  return false;
}

// Whether a word of `reversed` (see WordTrie::longest_ending_at) spans
// text[b, end) for some b >= from: false rules out a search of
// text[from, end) for the list's pattern ending in '$'.
inline bool word_ends_at(const WordTrie& reversed, std::string_view text, std::size_t from, std::size_t end) {
  return reversed.longest_ending_at(text, from, end) > 0;
}

// Whether a word of a list whose words end with a byte of `last` can end
// right before `end`: false rules out a window match ending there.
inline bool may_end_at(const ByteSet& last, std::string_view text, std::size_t end) {
  return end > 0 && end <= text.size() && last.has(text[end - 1]);
}

inline bool capital_at(std::string_view text, std::size_t pos) {
  return pos < text.size() && text[pos] >= 'A' && text[pos] <= 'Z';
}

// A Hangul word glued to more Hangul at `end` is part of another word
// unless what follows is a listed particle or ending (currency_follow).
bool follows_well(const Lexicon& lex, std::string_view text, std::size_t end);

}  // namespace krfx::internal

#endif  // KRFX_SRC_SCAN_SCANNER_H_
