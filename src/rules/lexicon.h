// The Lexicon: a RuleSet turned into what the scanning and value stages use.
// It checks every list entry's data against the list's role, imports CLDR
// currency names, and compiles the RE2 patterns once. Immutable afterwards,
// so any number of threads may share it.
#ifndef KRFX_SRC_RULES_LEXICON_H_
#define KRFX_SRC_RULES_LEXICON_H_

#include <krfx/decimal.h>
#include <krfx/engine.h>
#include <krfx/mention.h>

#include <re2/re2.h>

#include <array>
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "rules/rule_file.h"

namespace krfx::internal {

// Word lists are looked up with pieces of the text (string_view), so their
// hash and equality are transparent: a lookup allocates nothing.
struct WordHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};
using WordSet = std::unordered_set<std::string, WordHash, std::equal_to<>>;
template <typename V>
using WordMap = std::unordered_map<std::string, V, WordHash, std::equal_to<>>;

// A set of byte values. The words of a list start (and end) with few
// distinct bytes: a probe for the list where the text has any other byte
// cannot match, and needs no RE2 call.
class ByteSet {
 public:
  void add(unsigned char b) {
    if (!on_[b]) ++count_;
    on_[b] = true;
    last_ = b;
  }
  bool has(char c) const { return on_[static_cast<unsigned char>(c)]; }
  // The set's byte when it has exactly one: a search for it can then use
  // memchr rather than a test per byte.
  int only() const { return count_ == 1 ? last_ : -1; }

 private:
  std::array<bool, 256> on_{};
  int count_ = 0;
  unsigned char last_ = 0;
};

// A compiled pattern, or one compiled on first use. Any number of threads
// may use it at once; the first to need a pattern compiles it, once, and
// the others wait for that. A pattern is given to later() only once it is
// known to be good (the built-in rules, checked by the tests); rules from a
// directory are compiled when loaded, so their mistakes show then.
class LazyRE2 {
 public:
  LazyRE2() = default;
  explicit LazyRE2(std::unique_ptr<RE2> compiled);
  static LazyRE2 later(std::string pattern, const RE2::Options& options);

  const RE2* get() const {
    if (!state_) return nullptr;
    const RE2* re = state_->ready.load(std::memory_order_acquire);
    return re ? re : compile();
  }
  const RE2& operator*() const { return *get(); }
  const RE2* operator->() const { return get(); }
  explicit operator bool() const { return state_ != nullptr; }

 private:
  struct State {
    std::string pattern;
    RE2::Options options;
    std::mutex mu;
    std::unique_ptr<RE2> re;
    std::atomic<const RE2*> ready{nullptr};
  };
  const RE2* compile() const;
  std::unique_ptr<State> state_;
};

// A pattern that ends in `$` and a small one, its guard, that matches at
// the end of every text the pattern matches (the pattern's last part).
// Match() takes RE2::Match's arguments and asks the guard first: the big
// pattern is compiled and run only where it can match, with the same
// answer.
class GuardedRE2 {
 public:
  GuardedRE2() = default;
  GuardedRE2(LazyRE2 guard, LazyRE2 full) : guard_(std::move(guard)), full_(std::move(full)) {}

  bool Match(const re2::StringPiece& text, std::size_t startpos, std::size_t endpos, RE2::Anchor anchor,
             re2::StringPiece* submatch, int nsubmatch) const {
    // Unanchored: wherever the full match starts, its last part is a
    // match of the guard ending where it ends.
    if (!guard_->Match(text, startpos, endpos, RE2::UNANCHORED, nullptr, 0)) return false;
    return full_->Match(text, startpos, endpos, anchor, submatch, nsubmatch);
  }
  const GuardedRE2* operator->() const { return this; }
  explicit operator bool() const { return static_cast<bool>(full_); }
  const LazyRE2& guard() const { return guard_; }

 private:
  LazyRE2 guard_, full_;
};

// The words of some lists as one matcher, a space in a word matching one
// optional space: the language of their list_pattern() alternation, whose
// longest match at a position it finds without a compiled regex. Plain
// data once built; any number of threads may use it.
class WordTrie {
 public:
  // `tag` is kept with the word; words that differ only in spaces must
  // be given the same tag.
  void add(std::string_view surface, int tag = 0);
  bool empty() const { return nodes_.size() == 1; }
  // Room for words of `bytes` bytes in all, so that adding them does not
  // move the nodes again and again.
  void reserve(std::size_t bytes) { nodes_.reserve(nodes_.size() + bytes); }
  // Bytes of the longest word at text[pos, end), or 0; *tag, when given,
  // gets that word's tag. *plain, when given, is set when no word with a
  // space was in reach there: every word found then matched all of its
  // surface, so the list's leftmost-first pattern (longest surface first)
  // matches the same bytes.
  std::size_t longest_at(std::string_view text, std::size_t pos, std::size_t end, int* tag = nullptr,
                         bool* plain = nullptr) const {
    return walk<false>(text, pos, end > pos ? end - pos : 0, tag, plain);
  }
  // For words added reversed: the bytes of the longest word that ends at
  // `end` and starts at `from` or later, or 0. One walk back from `end`
  // does what a probe at every start would.
  void add_reversed(std::string_view surface);
  std::size_t longest_ending_at(std::string_view text, std::size_t from, std::size_t end) const {
    return walk<true>(text, end, end > from ? end - from : 0, nullptr, nullptr);
  }

 private:
  // A node keeps its first few children in itself (most nodes have one or
  // two), so a step reads one node and no list elsewhere; one with more
  // finds the next byte in a table.
  static constexpr std::size_t kInline = 4;
  struct Node {
    std::array<unsigned char, kInline> byte{};  // the inline children's bytes
    std::array<int, kInline> to{};              // and nodes
    int children = 0;                           // inline ones, unless dense
    int space = -1;                             // after an optional space
    int dense = -1;                             // its row of dense_, if any
    int tag = 0;                                // the tag of the word ending here
    bool word = false;                          // a word ends here
  };
  int child(int node, unsigned char c) const {
    const Node& n = nodes_[static_cast<std::size_t>(node)];
    if (n.dense >= 0) return dense_[static_cast<std::size_t>(n.dense)][c];
    for (int i = 0; i < n.children; ++i)
      if (n.byte[static_cast<std::size_t>(i)] == c) return n.to[static_cast<std::size_t>(i)];
    return -1;
  }
  // longest_at (forwards from `pos`) and longest_ending_at (backwards from
  // before it), over `n` bytes. Inline, and one node at a time: most probes
  // end a byte or two in, where no node in reach has an optional space, and
  // a call that set up the sets of nodes for spaces cost them more than
  // their walk.
  template <bool kBack>
  std::size_t walk(std::string_view text, std::size_t pos, std::size_t n, int* tag, bool* plain) const {
    // The k-th byte read: forwards from pos, or backwards from before it.
    const auto byte = [&](std::size_t k) {
      return static_cast<unsigned char>(kBack ? text[pos - 1 - k] : text[pos + k]);
    };
    int at = 0, best_node = -1;
    std::size_t i = 0, best = 0;
    if (plain) *plain = true;
    while (nodes_[static_cast<std::size_t>(at)].space < 0) {
      if (i >= n || (at = child(at, byte(i))) < 0) {
        if (tag && best_node >= 0) *tag = nodes_[static_cast<std::size_t>(best_node)].tag;
        return best;
      }
      ++i;
      if (nodes_[static_cast<std::size_t>(at)].word) {
        best = i;
        best_node = at;
      }
    }
    if (plain) *plain = false;
    return walk_spaced<kBack>(text, pos, n, at, i, best, best_node, tag);
  }
  // walk() on from node `at`, i bytes in, which has an optional space.
  template <bool kBack>
  std::size_t walk_spaced(std::string_view text, std::size_t pos, std::size_t n, int at, std::size_t i,
                          std::size_t best, int best_node, int* tag) const;
  std::vector<Node> nodes_{1};
  std::vector<std::array<int, 256>> dense_;  // the children of nodes with many
};

// The numeral token pattern: Arabic figures (a regex) and words, those of
// numerals and those that stop a numeral (currencies, qualifiers,
// counters...), as one WordTrie: RE2 took milliseconds to compile the
// thousand-odd alternatives, and a call per probe, most of which find no
// figure. Match() answers an anchored longest match of the alternation of
// both as one pattern would (the longer of the two), with RE2::Match's
// arguments. The figure regex is asked only where a figure can start, by
// its PossibleMatchRange.
class TokenPattern {
 public:
  TokenPattern() = default;
  TokenPattern(LazyRE2 figures, unsigned char first_lo, unsigned char first_hi, WordTrie words)
      : figures_(std::move(figures)), first_lo_(first_lo), first_hi_(first_hi), words_(std::move(words)) {}

  // Only an anchored start (RE2::ANCHOR_START) and the whole match.
  // *word_tag, when given, is the tag of the word the match is (its index
  // in Lexicon::token_words), or -1 when it is a figure's match only.
  bool Match(const re2::StringPiece& text, std::size_t startpos, std::size_t endpos, RE2::Anchor anchor,
             re2::StringPiece* submatch, int nsubmatch, int* word_tag = nullptr) const;
  const TokenPattern* operator->() const { return this; }
  const LazyRE2& numerals() const { return figures_; }

 private:
  LazyRE2 figures_;
  unsigned char first_lo_ = 0, first_hi_ = 255;  // the bytes a figure may start with
  WordTrie words_;
};

// Token classes of numerals; which list a word came from.
enum class Tok {
  kNone,
  kArabic,
  kDigit,
  kSmallUnit,
  kBigUnit,
  kPoint,
  kVague,
  kApproxInfix,
  kNativeUnit,
  kNativeTens,
  kMinus,
  kFractionOf,
  kFractionAnd,
  kNamed,
  kOrdinal,
  kOther,  // a known non-numeral word: a particle, qualifier, currency...
};

struct CurrencyWord {
  std::string iso;
  Decimal factor{1};  // 0.01 for a subunit such as a cent
};

struct Qualifier {
  bool approx = false;
  Bound bound = Bound::kNone;
};

// What a particle at the end of a word says about the word (linking).
enum class Particle { kNone, kTopic, kSubject, kObject, kDative, kSource, kLocative, kGenitive, kConjunct, kOther };

struct LinkIndex;  // the linker's own form of these lists (link/linker.h)

// The word lists of the linker (rules/ko/linking.rules). `enabled` is false
// when the rules have no such lists; mentions then stay unlinked.
struct LinkWords {
  bool enabled = false;
  WordMap<Particle> particles;       // surface -> role
  std::size_t longest_particle = 0;                          // in bytes
  LazyRE2 action;                                           // any action noun
  LazyRE2 action_tail;                                      // a word ending in one
  WordMap<std::string> action_name;  // as reported
  std::vector<std::string> org_suffixes, titles;
  WordSet clause_endings;
  std::size_t longest_ending = 0;
  std::vector<std::string> verb_stem_endings, passive_endings, company_marks;
  WordSet clause_exceptions, clause_words, not_targets, title_set, not_entities,
      phrase_stops, classifiers, generic_heads, topic_words, respectively, priced_nouns, personal_actions,
      unsplit_words, source_followers, cleft_heads, clause_nouns, place_actions, given_names, surnames,
      title_prefixes, weak_particles, recipient_passives,
      owned_metrics, counters, member_nouns, compound_actions, no_place_actions,
      weak_actions, means_nouns, traded_thing_actions;
  std::vector<std::string> office_titles, time_suffixes, linked_endings, unit_suffixes;
  std::vector<std::string> connective_syllables, copula_endings, personal_verbs, quote_endings;
  std::shared_ptr<const LinkIndex> index;  // built from the lists above once they are filled
};

struct Lexicon {
  std::string home_currency;
  LinkWords link;

  // Surface (spaces removed) -> data, per role.
  WordMap<Decimal> numbers;  // digit, units, native, named, scale words
  WordMap<std::pair<Decimal, Decimal>> vague;
  WordMap<CurrencyWord> currency, currency_prefix;
  WordSet iso_codes;
  WordMap<Qualifier> prefix_qualifier, suffix_qualifier;
  struct Connector {
    std::string closer;                   // kkaji after buteo: ends the range
    std::vector<std::string> not_before;  // euro after eseo: a change, not a range
  };
  WordMap<Connector> connectors;

  // Compiled patterns. token: any numeral word, Arabic figure or stopping
  // word, matched longest; token_class says which (Arabic: not listed).
  TokenPattern token;
  WordMap<Tok> token_class;
  // The token pattern's words by their tag: the class and, for a numeral
  // word, the value (nullptr for others), so that a word read needs no
  // lookup by its surface.
  struct TokenWord {
    Tok kind;
    const Decimal* value;
  };
  std::vector<TokenWord> token_words;
  LazyRE2 scan;           // candidate starts
  LazyRE2 currency_re;    // a currency word or symbol, one group (match anchored or not)
  LazyRE2 prefix_re;      // anchored currency symbol before a number
  LazyRE2 iso_re;         // anchored 3 capital letters
  LazyRE2 scale_re;       // anchored English scale word
  LazyRE2 suffix_q_re;    // anchored suffix qualifier
  LazyRE2 connector_re;   // anchored range connector
  LazyRE2 band_re;        // anchored band suffix
  LazyRE2 follow_re;      // anchored currency follower
  LazyRE2 veto_re;        // anchored veto word
  LazyRE2 counter_re;     // anchored counter
  LazyRE2 prefix_q_tail;  // prefix qualifier at the end of a window
  LazyRE2 attach_tail;    // attach prefix at the end of a window
  LazyRE2 sign_tail;      // negative sign at the end of a window
  LazyRE2 label_re;       // anchored restatement label (optional)
  GuardedRE2 per_tail;    // (currency word) per-word at the end of a window
  LazyRE2 rate_word_re;   // a rate word anywhere in a window
  // Some lists' words as tries: where one finds no word, the list's
  // pattern finds none either, and need not be asked.
  WordTrie currency_words, suffix_q_words, band_words, follow_words, connector_words, rate_words, prefix_words,
      veto_words;
  // The currency words' tags in currency_words: what each word is, found
  // with no lookup by its surface.
  std::vector<const CurrencyWord*> currency_tags;
  // The same, reversed (see WordTrie::longest_ending_at), for the lists
  // matched at the end of a window ('$'): where no word ends at the
  // window's end, the pattern does not match there.
  WordTrie prefix_q_words, attach_words, sign_words;
  // First bytes of the words of the other anchored lists, last bytes of
  // those matched at the end of a window (see ByteSet).
  ByteSet scale_first;
  ByteSet prefix_q_last, attach_last, sign_last;
  ByteSet per_last;  // per_tail's words' last bytes (before a trailing space, too)
  ByteSet rate_first;  // rate words' first bytes (after a leading space, too)
  // A numeral that is one unit word alone (eok won) is an amount only up to
  // this value (man won is; eok won alone is a column heading). Empty: no limit.
  std::optional<Decimal> lone_unit_max;

  // Compiles the patterns not compiled yet, in the order extraction first
  // needs them, all but `scan` (which the caller compiles on first use) and
  // the rarely needed ones; stops early once *stop is set. For a second
  // thread while the first begins to extract.
  void compile_ahead(const std::atomic<bool>& stop) const;

  // Builds the lexicon; false with *error naming the offending rule. With
  // `lazy`, patterns are compiled on first use and definitions the engine
  // does not use are not compiled: only for rules known to be good.
  // The RuleSet is copied (the CLDR import adds to it), or taken when moved in.
  static bool build(const RuleSet& rules, Lexicon* out, LoadError* error, bool lazy = false);
  static bool build(RuleSet&& rules, Lexicon* out, LoadError* error, bool lazy = false);
};

// Removes spaces so "hongkong dalreo" and "hongkongdalreo" find the same entry.
std::string squeeze(std::string_view s);

// m.find(squeeze(surface)), building no string when the surface has no
// space, as nearly every one has not.
template <typename Map>
auto find_squeezed(const Map& m, std::string_view surface) {
  return surface.find(' ') == std::string_view::npos ? m.find(surface) : m.find(squeeze(surface));
}

// m.at(squeeze(surface)), the same way.
template <typename Map>
const auto& at_squeezed(const Map& m, std::string_view surface) {
  auto it = find_squeezed(m, surface);
  if (it == m.end()) throw std::out_of_range("no such word");
  return it->second;
}

}  // namespace krfx::internal

#endif  // KRFX_SRC_RULES_LEXICON_H_
