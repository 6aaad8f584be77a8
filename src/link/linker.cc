#include "link/linker.h"

#include <unicode/brkiter.h>
#include <unicode/locid.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <cstdint>
#include <cstring>
#include <deque>
#include <memory>

#include "link/sentences.h"
#include "scan/scanner.h"

namespace krfx::internal {
namespace {

// The lists of LinkWords, numbered for LinkIndex: bit L of a word's mask says
// that list L holds the word. The last group is probed as suffixes.
enum List : int {
  kClauseException, kClauseWord, kNotTarget, kTitle, kNotEntity, kPhraseStop, kClassifier, kGenericHead,
  kTopicWord, kRespectively, kPricedNoun, kPersonalAction, kUnsplit, kSourceFollower, kCleftHead, kClauseNoun,
  kPlaceAction, kGivenName, kSurname, kTitlePrefix, kWeakParticle, kRecipientPassive, kOwnedMetric, kCounter,
  kMemberNoun, kCompoundAction, kNoPlaceAction, kWeakAction, kMeansNoun, kTradedThingAction,
  kOrgSuffix, kVerbStemEnding, kTimeSuffix, kConnective, kClauseEnding, kParticle, kUnitSuffix, kLinkedEnding,
  kQuoteEnding, kAction, kListCount
};
static_assert(kListCount <= 64);

bool in(std::uint64_t lists, List l) { return (lists >> l) & 1u; }

std::size_t utf8_len(unsigned char c) { return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4; }

// The code point of the sequence at s[i, i + n), as its bytes say; invalid
// bytes give some value, the same wherever they stand.
char32_t decode(std::string_view s, std::size_t i, std::size_t n) {
  auto u = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  if (n == 1) return u(i);
  if (n == 2) return ((u(i) & 0x1Fu) << 6) | (u(i + 1) & 0x3Fu);
  if (n == 3) return ((u(i) & 0x0Fu) << 12) | ((u(i + 1) & 0x3Fu) << 6) | (u(i + 2) & 0x3Fu);
  return ((u(i) & 0x07u) << 18) | ((u(i + 1) & 0x3Fu) << 12) | ((u(i + 2) & 0x3Fu) << 6) | (u(i + 3) & 0x3Fu);
}

// Each lead byte followed by as many continuation bytes as it announces.
bool valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    if ((c & 0xC0) == 0x80 || c >= 0xF8) return false;
    std::size_t n = utf8_len(c);
    if (i + n > s.size()) return false;
    for (std::size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    i += n;
  }
  return true;
}

// a[0, n) == b[0, n) for the short keys of the linker's tables, in word
// loads (memcmp's call and dispatch cost more than the comparison itself).
bool same_bytes(const char* a, const char* b, std::size_t n) {
  auto load8 = [](const char* p) {
    std::uint64_t v;
    std::memcpy(&v, p, 8);
    return v;
  };
  auto load4 = [](const char* p) {
    std::uint32_t v;
    std::memcpy(&v, p, 4);
    return v;
  };
  if (n >= 8) {
    std::uint64_t diff = load8(a + n - 8) ^ load8(b + n - 8);
    for (std::size_t i = 0; i + 8 < n; i += 8) diff |= load8(a + i) ^ load8(b + i);
    return diff == 0;
  }
  if (n >= 4) return ((load4(a) ^ load4(b)) | (load4(a + n - 4) ^ load4(b + n - 4))) == 0;
  for (std::size_t i = 0; i < n; ++i)
    if (a[i] != b[i]) return false;
  return true;
}

std::size_t pair_key(char32_t a, char32_t b) {
  return static_cast<std::size_t>(((std::uint64_t{a} * 0x9E3779B97F4A7C15ull) ^ (std::uint64_t{b} * 0xC2B2AE3D27D4EB4Full)) >> 48);
}

}  // namespace

// Hashing std::string keys in a node table for every small list, one list
// at a time, was most of the linker's time: one open-addressed table holds
// every entry of every list with the set of lists it is in.
struct LinkIndex {
  struct Slot {
    std::string key;
    std::uint64_t lists = 0;
    Particle role = Particle::kNone;
  };
  // Unique in the process: what a thread remembers of words analysed with
  // one index is not taken for another's.
  std::uint64_t id = 0;
  std::vector<Slot> slots;
  // Per slot, 0 when it is empty, else high bits of its key's hash (odd):
  // most words are in no list, and their probes stay in this small array.
  std::vector<std::uint32_t> tags;
  std::size_t mask = 0;
  // Per suffix-probed list, the byte lengths of its entries, longest first:
  // a word is probed at those lengths only.
  std::array<std::vector<std::size_t>, kListCount> lengths;
  // Per hash of a word's last three bytes, the suffix-probed lists with an
  // entry ending in those bytes: most words end in no listed suffix, and are
  // answered without a probe. Lists with an entry shorter than three bytes
  // are in `short_entries` and always probed.
  std::vector<std::uint64_t> tails;
  std::uint64_t short_entries = 0;
  // The first two code points of every action noun (hashed into a bit set):
  // a word without such a pair holds no action, and the action pattern need
  // not run on it. Off when an action is shorter than two code points.
  std::vector<std::uint64_t> action_pairs;
  bool action_filter = false;
  // Every action noun is plain text without a space, as the pattern's
  // alternatives then are: its first match is the longest noun at the
  // leftmost place where one starts, found here without the regex engine.
  bool literal_actions = false;

  static std::uint64_t hash(std::string_view s) {
    std::uint64_t h = 0x9E3779B97F4A7C15ull ^ s.size();
    const char* p = s.data();
    std::size_t n = s.size();
    for (; n >= 8; p += 8, n -= 8) {
      std::uint64_t v;
      std::memcpy(&v, p, 8);
      h = (h ^ v) * 0xBF58476D1CE4E5B9ull;
      h ^= h >> 29;
    }
    // The tail in at most two loads (overlapping when 4 < n < 8): copying
    // it byte by byte into one word stalls the load that reads the word.
    std::uint64_t v = 0;
    if (n >= 4) {
      std::uint32_t a, b;
      std::memcpy(&a, p, 4);
      std::memcpy(&b, p + n - 4, 4);
      v = (std::uint64_t{a} << 32) | b;
    } else if (n > 0) {
      auto u = [&](std::size_t k) { return std::uint64_t{static_cast<unsigned char>(p[k])}; };
      v = (u(0) << 16) | (u(n / 2) << 8) | u(n - 1);
    }
    h = (h ^ v) * 0x94D049BB133111EBull;
    return h ^ (h >> 32);
  }

  static std::uint32_t tag(std::uint64_t h) { return static_cast<std::uint32_t>(h >> 32) | 1u; }

  const Slot* find(std::string_view s) const {
    const std::uint64_t h = hash(s);
    const std::uint32_t t = tag(h);
    for (std::size_t i = h & mask;; i = (i + 1) & mask) {
      if (tags[i] == 0) return nullptr;
      if (tags[i] == t && slots[i].key.size() == s.size() && same_bytes(slots[i].key.data(), s.data(), s.size()))
        return &slots[i];
    }
  }

  static std::size_t tail_key(std::string_view s) {
    const char* p = s.data() + s.size() - 3;
    auto u = [&](int k) { return std::uint32_t{static_cast<unsigned char>(p[k])}; };
    return ((u(0) << 16 | u(1) << 8 | u(2)) * 0x9E3779B1u) >> 21;
  }

  // False only when no entry of list `l` can end `s`.
  bool may_end_in(List l, std::string_view s) const {
    if (in(short_entries, l)) return true;
    return s.size() >= 3 && in(tails[tail_key(s)], l);
  }

  std::uint64_t lists(std::string_view s) const {
    const Slot* x = find(s);
    return x ? x->lists : 0;
  }

  // Some entry of list `l` ends `s` (and is shorter than it, if `proper`).
  bool ends_in(List l, std::string_view s, bool proper) const {
    if (!may_end_in(l, s)) return false;
    for (std::size_t n : lengths[l]) {
      if (n > s.size() || (proper && n == s.size())) continue;
      if (in(lists(std::string_view(s.data() + s.size() - n, n)), l)) return true;
    }
    return false;
  }

  // The first match of the action pattern in s[from, end) as the pattern
  // would find it (leftmost, then longest, as its alternatives are ordered
  // longest first): its start, and its length in *len; npos for none.
  // Only for literal_actions and an `s` without spaces.
  std::size_t match_action(std::string_view s, std::size_t from, std::size_t* len) const {
    for (std::size_t i = from; i < s.size(); ++i) {
      auto c = static_cast<unsigned char>(s[i]);
      if ((c & 0xC0) == 0x80) continue;  // no action starts inside a character
      std::size_t n1 = utf8_len(c), j = i + n1;
      if (j >= s.size()) continue;
      std::size_t n2 = utf8_len(static_cast<unsigned char>(s[j]));
      if (j + n2 > s.size()) continue;
      std::size_t k = pair_key(decode(s, i, n1), decode(s, j, n2));
      if (!((action_pairs[k / 64] >> (k % 64)) & 1u)) continue;
      for (std::size_t n : lengths[kAction])
        if (n <= s.size() - i && in(lists(std::string_view(s.data() + i, n)), kAction)) return *len = n, i;
    }
    return std::string_view::npos;
  }

  // False only when no action noun can occur in `s`.
  bool may_hold_action(std::string_view s) const {
    if (!action_filter) return true;
    for (std::size_t i = 0; i < s.size(); ++i) {
      auto c = static_cast<unsigned char>(s[i]);
      if ((c & 0xC0) == 0x80) continue;
      if (c == ' ') return true;  // the pattern allows a space inside an action
      std::size_t n1 = utf8_len(c), j = i + n1;
      if (j >= s.size()) continue;
      std::size_t n2 = utf8_len(static_cast<unsigned char>(s[j]));
      if (j + n2 > s.size()) continue;
      std::size_t k = pair_key(decode(s, i, n1), decode(s, j, n2));
      if ((action_pairs[k / 64] >> (k % 64)) & 1u) return true;
    }
    return false;
  }
};

std::shared_ptr<const LinkIndex> index_link_words(const LinkWords& w) {
  auto ix = std::make_shared<LinkIndex>();
  static std::atomic<std::uint64_t> next_id{0};
  ix->id = ++next_id;
  std::unordered_map<std::string, LinkIndex::Slot> entries;
  auto add = [&](const std::string& key, List l) -> LinkIndex::Slot& {
    LinkIndex::Slot& e = entries[key];
    e.key = key;
    e.lists |= std::uint64_t{1} << l;
    return e;
  };
  auto set = [&](const WordSet& words, List l) {
    for (const std::string& x : words) add(x, l);
  };
  ix->tails.assign(std::size_t{1} << 11, 0);
  auto tail = [&](const std::string& x, List l) {
    if (x.size() < 3)
      ix->short_entries |= std::uint64_t{1} << l;
    else
      ix->tails[LinkIndex::tail_key(x)] |= std::uint64_t{1} << l;
  };
  auto suffixes = [&](const auto& words, List l) {
    for (const std::string& x : words) {
      add(x, l);
      tail(x, l);
      ix->lengths[l].push_back(x.size());
    }
  };
  set(w.clause_exceptions, kClauseException);
  set(w.clause_words, kClauseWord);
  set(w.not_targets, kNotTarget);
  set(w.not_entities, kNotEntity);
  set(w.phrase_stops, kPhraseStop);
  set(w.topic_words, kTopicWord);
  set(w.respectively, kRespectively);
  set(w.priced_nouns, kPricedNoun);
  set(w.personal_actions, kPersonalAction);
  set(w.unsplit_words, kUnsplit);
  set(w.source_followers, kSourceFollower);
  set(w.cleft_heads, kCleftHead);
  set(w.clause_nouns, kClauseNoun);
  set(w.place_actions, kPlaceAction);
  set(w.given_names, kGivenName);
  set(w.surnames, kSurname);
  set(w.title_prefixes, kTitlePrefix);
  set(w.weak_particles, kWeakParticle);
  set(w.recipient_passives, kRecipientPassive);
  set(w.owned_metrics, kOwnedMetric);
  set(w.counters, kCounter);
  set(w.member_nouns, kMemberNoun);
  set(w.compound_actions, kCompoundAction);
  set(w.no_place_actions, kNoPlaceAction);
  set(w.weak_actions, kWeakAction);
  set(w.means_nouns, kMeansNoun);
  set(w.traded_thing_actions, kTradedThingAction);
  set(w.title_set, kTitle);
  suffixes(w.titles, kTitle);
  suffixes(w.classifiers, kClassifier);
  suffixes(w.generic_heads, kGenericHead);
  suffixes(w.org_suffixes, kOrgSuffix);
  suffixes(w.verb_stem_endings, kVerbStemEnding);
  suffixes(w.time_suffixes, kTimeSuffix);
  suffixes(w.connective_syllables, kConnective);
  suffixes(w.unit_suffixes, kUnitSuffix);
  suffixes(w.linked_endings, kLinkedEnding);
  suffixes(w.quote_endings, kQuoteEnding);
  suffixes(w.counters, kCounter);
  // Particles and clause endings are probed from one byte up; a word is
  // never all particle or all ending.
  for (const std::string& x : w.clause_endings)
    if (!x.empty()) {
      add(x, kClauseEnding);
      tail(x, kClauseEnding);
      ix->lengths[kClauseEnding].push_back(x.size());
    }
  for (const auto& [p, role] : w.particles)
    if (!p.empty()) {
      add(p, kParticle).role = role;
      tail(p, kParticle);
      ix->lengths[kParticle].push_back(p.size());
    }
  for (auto& v : ix->lengths) {
    std::sort(v.begin(), v.end(), std::greater<>());
    v.erase(std::unique(v.begin(), v.end()), v.end());
  }
  ix->action_pairs.assign((std::size_t{1} << 16) / 64, 0);
  ix->action_filter = !w.action_name.empty();
  ix->literal_actions = ix->action_filter;
  for (const auto& [surface, name] : w.action_name) {
    std::string s;
    for (char c : surface)
      if (c != ' ') s += c;
    std::size_t n1 = s.empty() ? 0 : utf8_len(static_cast<unsigned char>(s[0]));
    if (s.empty() || (static_cast<unsigned char>(s[0]) & 0xC0) == 0x80 || n1 >= s.size() ||
        n1 + utf8_len(static_cast<unsigned char>(s[n1])) > s.size()) {
      ix->action_filter = false;
      break;
    }
    std::size_t k = pair_key(decode(s, 0, n1), decode(s, n1, utf8_len(static_cast<unsigned char>(s[n1]))));
    ix->action_pairs[k / 64] |= std::uint64_t{1} << (k % 64);
    ix->literal_actions = ix->literal_actions && s == surface && valid_utf8(s);
  }
  ix->literal_actions = ix->literal_actions && ix->action_filter;
  if (ix->literal_actions) {
    for (const auto& [surface, name] : w.action_name) {
      add(surface, kAction);
      ix->lengths[kAction].push_back(surface.size());
    }
    auto& v = ix->lengths[kAction];
    std::sort(v.begin(), v.end(), std::greater<>());
    v.erase(std::unique(v.begin(), v.end()), v.end());
  }
  std::size_t cap = 16;
  while (cap < 2 * entries.size()) cap *= 2;
  ix->slots.resize(cap);
  ix->tags.assign(cap, 0);
  ix->mask = cap - 1;
  for (auto& [key, e] : entries) {
    const std::uint64_t h = LinkIndex::hash(key);
    std::size_t i = h & ix->mask;
    while (ix->tags[i]) i = (i + 1) & ix->mask;
    ix->slots[i] = std::move(e);
    ix->tags[i] = LinkIndex::tag(h);
  }
  return ix;
}

namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && same_bytes(s.data() + s.size() - suffix.size(), suffix.data(), suffix.size());
}

// The code point before byte `end` (UTF-8), or 0.
char32_t last_code_point_slow(std::string_view s, std::size_t end) {
  if (end == 0) return 0;
  std::size_t b = end - 1;
  while (b > 0 && (static_cast<unsigned char>(s[b]) & 0xC0) == 0x80) --b;
  auto u = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  std::size_t n = end - b;
  if (n == 1) return u(b);
  if (n == 2) return ((u(b) & 0x1Fu) << 6) | (u(b + 1) & 0x3Fu);
  if (n == 3) return ((u(b) & 0x0Fu) << 12) | ((u(b + 1) & 0x3Fu) << 6) | (u(b + 2) & 0x3Fu);
  return ((u(b) & 0x07u) << 18) | ((u(b + 1) & 0x3Fu) << 12) | ((u(b + 2) & 0x3Fu) << 6) | (u(b + 3) & 0x3Fu);
}

// As last_code_point_slow, with its two common cases (a byte that is no
// continuation, three bytes led by one) inline: the linker asks for the
// last character of nearly every word.
inline char32_t last_code_point(std::string_view s, std::size_t end) {
  auto u = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  auto continuation = [&](std::size_t i) { return (u(i) & 0xC0) == 0x80; };
  if (end >= 1 && !continuation(end - 1)) return u(end - 1);
  if (end >= 3 && continuation(end - 2) && !continuation(end - 3))
    return ((u(end - 3) & 0x0Fu) << 12) | ((u(end - 2) & 0x3Fu) << 6) | (u(end - 1) & 0x3Fu);
  return last_code_point_slow(s, end);
}

bool is_hangul(char32_t c) { return c >= 0xAC00 && c <= 0xD7A3; }
bool has_final_consonant(char32_t c) { return is_hangul(c) && (c - 0xAC00) % 28 != 0; }
bool is_latin_or_digit(char32_t c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// Punctuation that wraps words without being part of them: quotes,
// brackets, ellipses, sentence marks.
bool is_wrapper(char32_t c) {
  switch (c) {
    case '"': case '\'': case '(': case ')': case '[': case ']': case '<': case '>': case '.': case '!':
    case '?': case ';': case ':': case ',':
    case 0x201C: case 0x201D: case 0x2018: case 0x2019: case 0x300C: case 0x300D: case 0x300E:
    case 0x300F: case 0x300A: case 0x300B: case 0x3008: case 0x3009: case 0x2026: case 0x00B7:
    case 0x25B2: case 0x25B6: case 0x2022: case 0x25A0: case 0x25A1: case 0x25C6: case 0x25CB: case 0x25CF:
    case 0x203B: case 0x2013: case '-': case '*': case '=':
      return true;
    default:
      return false;
  }
}

// Marks that open a list item.
bool is_bullet(char32_t c) {
  switch (c) {
    case 0x25B2: case 0x25B6: case 0x2022: case 0x25A0: case 0x25A1: case 0x25C6: case 0x25CB: case 0x25CF:
    case 0x203B: case 0x2013: case '-': case '*':
      return true;
    default:
      return false;
  }
}

std::size_t cp_len(std::string_view s, std::size_t i) {
  auto c = static_cast<unsigned char>(s[i]);
  std::size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
  return std::min(n, s.size() - i);
}

// Between words: white space, an ellipsis, curly quotes (headlines glue
// words to them: "...hal-in"...Renault-Korea,").
inline bool separator_at(std::string_view s, std::size_t i) {
  if (s[i] == ' ' || s[i] == '\t') return true;
  // The marks below are all E2 80 xx; other leads of one to three bytes
  // cannot decode to one (a stray continuation byte or a four-byte lead of
  // malformed text still might).
  const auto lead = static_cast<unsigned char>(s[i]);
  if (lead < 0x80 || (lead >= 0xC0 && lead < 0xE2) || (lead > 0xE2 && lead < 0xF0)) return false;
  char32_t c = last_code_point(s, i + cp_len(s, i));
  return c == 0x2026 || c == 0x201C || c == 0x201D || c == 0x2018 || c == 0x2019;
}

// The first byte in text[j, e) that may start a separator (a space, a
// tab, or E2, the lead of the others), else e. The text is normalized, so
// valid UTF-8, where no byte inside a character is one of those: the bytes
// are read sixteen at a time, not a character at a time.
std::size_t next_separator_byte(std::string_view text, std::size_t j, std::size_t e) {
  const auto* p = reinterpret_cast<const std::uint8_t*>(text.data());
#if defined(__SSE2__)
  const __m128i space = _mm_set1_epi8(' '), tab = _mm_set1_epi8('\t'), e2 = _mm_set1_epi8(static_cast<char>(0xE2));
  for (; j + 16 <= e; j += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + j));
    const __m128i blank = _mm_or_si128(_mm_cmpeq_epi8(v, space), _mm_cmpeq_epi8(v, tab));
    const auto hits = static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(blank, _mm_cmpeq_epi8(v, e2))));
    if (hits != 0) return j + static_cast<std::size_t>(std::countr_zero(hits));
  }
#endif
  while (j < e && p[j] != ' ' && p[j] != '\t' && p[j] != 0xE2) ++j;
  return j;
}

struct Word {
  std::size_t begin = 0, end = 0;  // normalized bytes of the whole eojeol
  // Views into the text, or into the sentence's store when a company mark
  // was cut from the middle of the word.
  std::string_view core;           // without wrapping punctuation
  std::string_view stem;           // core without its particle
  std::uint64_t core_lists = 0;    // the LinkIndex lists that hold core
  std::uint64_t stem_lists = 0;    // ... and stem
  Particle role = Particle::kNone;
  bool comma = false;              // a comma follows
  bool ends_clause = false;
  int clause = 0;
  bool in_mention = false;
  bool tag = false;                // [dandok], [sokbo]: a label, not a word
  bool bulleted = false;           // opens with a list mark (triangle, bullet)
  bool verb = false;               // a verb form (modifier before a bound noun)
  bool weak = false;               // its particle may be the end of a noun (daeman)
  bool open_paren = false, close_paren = false;  // the eojeol holds ( or )
  // Computed once per word while the amounts of a sentence are linked.
  mutable signed char action_known = 0, actor_known = 0;  // 0 not yet, 1 yes/known, -1 no
  mutable std::string_view action;  // into the word or the action names of the rules
  mutable std::uint64_t action_lists = 0;
  // The WordMemo entry that holds this word's analysis, while the entry is
  // of this generation (0: none, or the stem was changed since).
  std::uint64_t memo_gen = 0;
  std::uint32_t memo_slot = 0;
};

bool is_title(const LinkIndex& ix, std::string_view stem);
bool name_like(std::string_view stem);

bool has_digit_byte(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A name's abbreviation or code in parentheses is not part of it:
// LG-enerji-sollusyeon(LG-ensol), eseu-oil(S-OIL).
void strip_parenthesis(std::string_view* stem) {
  std::size_t open = stem->find('(');
  if (open != std::string_view::npos && open > 0) stem->remove_suffix(stem->size() - open);
  std::size_t close = stem->find(')');
  if (close != std::string_view::npos && close + 1 < stem->size()) stem->remove_prefix(close + 1);
}

// `part` is a view into `whole` (not into some other string).
bool inside(std::string_view part, std::string_view whole) {
  const auto p = reinterpret_cast<std::uintptr_t>(part.data());
  const auto w = reinterpret_cast<std::uintptr_t>(whole.data());
  return p >= w && p + part.size() <= w + whole.size();
}

// The analysis of a word depends on its bytes alone, and news repeats its
// words (names, particles, the verbs that close sentences): a thread keeps
// the last analysis of each of some sixteen thousand eojeols (2 MiB), by
// their bytes, and most words are then one probe instead of a dozen list
// probes. (With four thousand, 22% of the words of the 20 MB bench corpus
// were analysed anew; with sixteen thousand, 14%, mostly amounts.) A thread
// starts with four thousand, as a lone article does not fill more.
class WordMemo {
 public:
  // Words as long as this are rare, and not kept.
  static constexpr std::size_t kMaxBytes = 40;

  // Forgets everything when the index is another than before, or when the
  // thread has analysed as many words as the memo holds (it then grows).
  void use(const LinkIndex& ix) {
    const bool grow = entries_.size() < kMaxEntries && gen_ >= entries_.size();
    if (ix.id == id_ && !grow) return;
    id_ = ix.id;
    entries_.assign(entries_.empty() ? kMinEntries : grow ? kMaxEntries : entries_.size(), Entry{});
    mask_ = entries_.size() - 1;
  }

  // True, with the analysis of text[b, e) written to *w, when it is known.
  // The key of text[b, e) (0 for a word too long to be kept), and a
  // prefetch of its entry: the entries of a sentence's words are fetched
  // together, not one miss after another.
  std::uint64_t prefetch(std::string_view text, std::size_t b, std::size_t e) const {
    if (e - b > kMaxBytes) return 0;
    const std::uint64_t h = LinkIndex::hash(std::string_view(text.data() + b, e - b));
    const Entry* x = &entries_[h & mask_];
    __builtin_prefetch(x);
    __builtin_prefetch(reinterpret_cast<const char*>(x) + sizeof(Entry) - 1);
    return h;
  }

  // `h` is prefetch's key of text[b, e).
  bool recall(std::string_view text, std::size_t b, std::size_t e, std::uint64_t h, Word* w) const {
    const std::size_t n = e - b;
    if (n > kMaxBytes) return false;
    const char* from = text.data() + b;
    const std::size_t slot = h & mask_;
    const Entry& x = entries_[slot];
    if (x.hash != h || x.size != n || !same_bytes(x.bytes, from, n)) return false;
    w->memo_gen = x.gen;
    w->memo_slot = static_cast<std::uint32_t>(slot);
    w->begin = b;
    w->end = e;
    w->core = std::string_view(from + x.core_at, x.core_size);
    w->stem = std::string_view(from + x.stem_at, x.stem_size);
    w->core_lists = x.core_lists;
    w->stem_lists = x.stem_lists;
    w->role = x.role;
    w->comma = x.comma;
    w->ends_clause = x.ends_clause;
    w->tag = x.tag;
    w->bulleted = x.bulleted;
    w->weak = x.weak;
    w->open_paren = x.open_paren;
    w->close_paren = x.close_paren;
    return true;
  }

  // Keeps the analysis `w` of text[b, e) when it is a function of those
  // bytes alone: the word does not open inside a character (the analysis
  // would read bytes before it), and its core is a view of its own bytes,
  // not one rebuilt without a company mark.
  void keep(std::string_view text, std::size_t b, std::size_t e, std::uint64_t h, Word& w) {
    if (e - b > kMaxBytes || (static_cast<unsigned char>(text[b]) & 0xC0) == 0x80) return;
    if (!inside(w.core, text.substr(b, e - b)) || !inside(w.stem, text.substr(b, e - b))) return;
    const char* from = text.data() + b;
    const std::string_view key = text.substr(b, e - b);
    const std::size_t slot = h & mask_;
    Entry& x = entries_[slot];
    x.gen = ++gen_;
    w.memo_gen = x.gen;
    w.memo_slot = static_cast<std::uint32_t>(slot);
    x.action_known = 0;
    x.actor_known = 0;
    x.hash = h;
    x.size = static_cast<std::uint8_t>(key.size());
    std::memcpy(x.bytes, key.data(), key.size());
    x.core_at = static_cast<std::uint8_t>(w.core.data() - from);
    x.core_size = static_cast<std::uint8_t>(w.core.size());
    x.stem_at = static_cast<std::uint8_t>(w.stem.data() - from);
    x.stem_size = static_cast<std::uint8_t>(w.stem.size());
    x.core_lists = w.core_lists;
    x.stem_lists = w.stem_lists;
    x.role = w.role;
    x.comma = w.comma;
    x.ends_clause = w.ends_clause;
    x.tag = w.tag;
    x.bulleted = w.bulleted;
    x.weak = w.weak;
    x.open_paren = w.open_paren;
    x.close_paren = w.close_paren;
  }

  // The action noun of word `w` outside a mention, as Linker::find_action
  // gave it for the same bytes; false when not known.
  bool action(const Word& w, std::string_view* a, std::uint64_t* lists) const {
    const Entry* x = entry(w);
    if (!x || !x->action_known) return false;
    *a = x->action_in_word ? std::string_view(w.core.data() - x->core_at + x->action_at, x->action_size)
                           : std::string_view(x->action_ptr, x->action_size);
    *lists = x->action_lists;
    return true;
  }

  void keep_action(const Word& w, std::string_view a, std::uint64_t lists) {
    Entry* x = const_cast<Entry*>(entry(w));
    if (!x) return;
    const char* from = w.core.data() - x->core_at;
    x->action_in_word = inside(a, std::string_view(from, x->size));
    if (x->action_in_word)
      x->action_at = static_cast<std::uint8_t>(a.data() - from);
    else
      x->action_ptr = a.data();
    x->action_size = a.size();
    x->action_lists = lists;
    x->action_known = true;
  }

  // What Linker::actor_stem says of the word's stem alone (its place in
  // the sentence aside): 0 when not known, else 1 or -1.
  signed char actor(const Word& w) const {
    const Entry* x = entry(w);
    return x ? x->actor_known : 0;
  }

  void keep_actor(const Word& w, bool yes) {
    if (Entry* x = const_cast<Entry*>(entry(w))) x->actor_known = yes ? 1 : -1;
  }

 private:

  static constexpr std::size_t kMinEntries = 4096, kMaxEntries = 16384;
  // Two whole cache lines, both prefetched: unaligned, an entry spanned
  // three, and the middle one was waited for.
  struct alignas(64) Entry {
    std::uint64_t gen = 0;
    std::uint64_t hash = 0;
    const char* action_ptr = nullptr;
    std::size_t action_size = 0;
    std::uint64_t action_lists = 0;
    bool action_known = false, action_in_word = false;
    std::uint8_t action_at = 0;
    signed char actor_known = 0;
    std::uint64_t core_lists = 0, stem_lists = 0;
    std::uint8_t size = 0xFF;  // (no word is this long: an empty entry matches none)
    std::uint8_t core_at = 0, core_size = 0, stem_at = 0, stem_size = 0;
    Particle role = Particle::kNone;
    bool comma = false, ends_clause = false, tag = false, bulleted = false, weak = false;
    bool open_paren = false, close_paren = false;
    char bytes[kMaxBytes];
  };
  static_assert(sizeof(Entry) == 128);

  const Entry* entry(const Word& w) const {
    if (w.memo_gen == 0 || w.memo_slot >= entries_.size()) return nullptr;
    const Entry& x = entries_[w.memo_slot];
    return x.gen == w.memo_gen ? &x : nullptr;
  }
  std::uint64_t id_ = 0, gen_ = 0;
  std::vector<Entry> entries_;
  std::size_t mask_ = 0;
};

// Splits the text of [b, e) into analysed words, written to *words (whose
// capacity is kept from sentence to sentence); words whose core had to be
// rebuilt keep it in *store.
class Sentence {
 public:
  Sentence(const LinkWords& w, std::string_view text, std::size_t b, std::size_t e, std::vector<Word>* words,
           std::deque<std::string>* store, WordMemo* memo)
      : w_(w), ix_(*w.index), words_(*words), store_(*store) {
    words_.clear();
    store_.clear();
    std::size_t i = b;
    while (i < e) {
      while (i < e && separator_at(text, i)) i += cp_len(text, i);
      std::size_t j = i;
      while ((j = next_separator_byte(text, j, e)) < e && !separator_at(text, j)) j += cp_len(text, j);
      if (j > i) {
        // (Copied from a blank word: a value-initialized Word was cleared
        // with `rep stos`, slow to start for 128 bytes.)
        static const Word kBlank{};
        Word& word = words_.emplace_back(kBlank);
        word.begin = i;
        word.end = j;
        // (Held in memo_gen until the word is analysed below.)
        word.memo_gen = memo->prefetch(text, i, j);
      }
      i = j;
    }
    for (Word& word : words_) {
      const std::size_t wb = word.begin, we = word.end;
      const std::uint64_t h = word.memo_gen;
      word.memo_gen = 0;
      if (!memo->recall(text, wb, we, h, &word)) {
        make_word(text, wb, we, &word);
        memo->keep(text, wb, we, h, word);
      }
      // A headline's quote or ellipsis ends what stands before it.
      if (we < e && text[we] != ' ' && text[we] != '\t') word.ends_clause = true;
    }
    // A list mark standing alone marks the word after it; a parenthesis
    // spanning words (SamsungE&A(yet Samsung-enjinieoring)-neun) is left out,
    // its particle going to the word it follows.
    std::size_t open = words_.size();
    for (std::size_t k = 0; k < words_.size(); ++k) {
      Word& word = words_[k];
      // (Opening the sentence or after an item's amount; between a name and
      // its text a dash only separates: "Samsung SDI - Hungary ...").
      // "Hyeon Jeong-eun hoejang": a name before a title ends like a
      // particle only by chance.
      if (k + 1 < words_.size() && word.role != Particle::kNone && name_like(word.core) &&
          is_title(ix_, words_[k + 1].stem)) {
        word.role = Particle::kNone;
        word.stem = word.core;
        word.stem_lists = word.core_lists;
        word.memo_gen = 0;  // (the memo's action and actor are of the old stem)
      }
      if (k > 0 && words_[k - 1].bulleted && words_[k - 1].core.empty() &&
          (k == 1 || has_digit_byte(words_[k - 2].core)))
        word.bulleted = true;
      bool opens = word.open_paren && !word.close_paren;
      bool closes = word.close_paren && !word.open_paren;
      if (open < words_.size() && closes && k - open <= 4) {
        Word& head = words_[open];
        if (head.role == Particle::kNone) head.role = word.role;
        head.comma = head.comma || word.comma;
        for (std::size_t j = open + 1; j <= k; ++j) {
          words_[j].tag = true;
          words_[j].role = Particle::kNone;
        }
        open = words_.size();
      } else if (opens && word.role == Particle::kNone) {
        open = k;
      }
    }
    int clause = 0;
    for (std::size_t k = 0; k < words_.size(); ++k) {
      Word& word = words_[k];
      // "hyeondaecha-ga ... neullineun sai, gia-neun": a bound noun after a
      // verb's modifier form closes a subordinate clause; the modifier
      // (read as noun + topic particle) is a verb, not an actor.
      // "mangi-ga doraoneun", "jibun-eul neomgineun": right after a
      // subject or object, a word read as noun + neun/eun is the verb of
      // that argument in its modifier form, not a topic (a comma between
      // marks gapping instead: "A-neun X-reul, B-neun Y-reul").
      if (k > 0 && word.role == Particle::kTopic && modifier_ending(word.core)) {
        Particle before = words_[k - 1].role;
        if ((before == Particle::kSubject || before == Particle::kObject) && !words_[k - 1].comma) {
          word.role = Particle::kNone;
          word.verb = true;
        }
      }
      // "A, B deung C-neun": deung after a noun closes a list, not a clause.
      if (k > 0 && in(word.core_lists, kClauseWord)) {
        const Word& prev = words_[k - 1];
        if (prev.role == Particle::kNone && !prev.verb && !verb_form(prev.stem) && !modifier_ending(prev.core) &&
            !prev.ends_clause)
          word.ends_clause = false;
      }
      if (k > 0 && in(word.stem_lists, kClauseNoun)) {
        Word& prev = words_[k - 1];
        if (prev.role == Particle::kTopic || prev.verb || verb_form(prev.stem) ||
            (prev.role == Particle::kNone && modifier_ending(prev.core))) {
          prev.role = Particle::kNone;
          prev.verb = true;
          word.ends_clause = true;
          word.tag = true;
        }
      }
      // "X-e ttareumyeon" (according to X): X reports, it does not act.
      if (k > 0 && in(word.core_lists, kSourceFollower)) words_[k - 1].tag = true;
      word.clause = clause;
      if (word.ends_clause) ++clause;
      // "SK-hainikseu yeoksi": the bare noun before such a word is a topic.
      if (k > 0 && in(word.core_lists, kTopicWord) && words_[k - 1].role == Particle::kNone) {
        words_[k - 1].role = Particle::kTopic;
        word.role = Particle::kOther;
      }
    }
  }

 private:
  // Into a default Word: the vector keeps its capacity, and a Word is
  // built where it stays.
  void make_word(std::string_view text, std::size_t b, std::size_t e, Word* into) {
    Word& w = *into;
    w.begin = b;
    w.end = e;
    w.tag = text[b] == '[';
    w.bulleted = is_bullet(last_code_point(text, b + cp_len(text, b)));
    std::size_t cb = b, ce = e;
    while (cb < ce && is_wrapper(last_code_point(text, cb + cp_len(text, cb)))) cb += cp_len(text, cb);
    while (ce > cb && is_wrapper(last_code_point(text, ce))) {
      if (text[ce - 1] == ',' || text[ce - 1] == ':') w.comma = true;
      std::size_t k = ce - 1;
      while (k > cb && (static_cast<unsigned char>(text[k]) & 0xC0) == 0x80) --k;
      ce = k;
    }
    // (Kept in locals: stores to the word could alias the text's bytes.)
    bool open = false, close = false;
    for (std::size_t k = b; k < e; ++k) {
      open |= text[k] == '(';
      close |= text[k] == ')';
    }
    w.open_paren = open;
    w.close_paren = close;
    w.core = strip_company_marks(text.substr(cb, ce - cb));
    w.core_lists = ix_.lists(w.core);
    w.stem = w.core;
    // (The core and stem are cut from the eojeol: without its parentheses
    // there are none to strip.)
    if (w.open_paren || w.close_paren) strip_parenthesis(&w.stem);
    split_particle(&w);
    w.stem_lists = w.stem.size() == w.core.size() ? w.core_lists : ix_.lists(w.stem);
    w.ends_clause = ends_clause(w) || (w.comma && w.role == Particle::kNone && verb_like(w.core));
  }

  // (ju) and jusikhoesa around a company's name are not part of it.
  // Most words hold no mark and keep their view of the text; the others are
  // rebuilt as before and kept in the store.
  std::string_view strip_company_marks(std::string_view core) const {
    bool marked = false;
    for (const std::string& m : w_.company_marks)
      marked = marked || core.find(m) != std::string_view::npos ||
               (m.size() > 1 && m.back() == ')' && ends_with(core, std::string_view(m).substr(0, m.size() - 1)));
    if (!marked) return core;
    std::string c(core);
    for (const std::string& m : w_.company_marks) {
      if (c.size() > m.size() && c.compare(0, m.size(), m) == 0) c.erase(0, m.size());
      std::size_t at = c.find(m);
      if (at != std::string::npos && at > 0) c.erase(at, m.size());
    }
    // A mark cut by the wrapper strip: "SK(ju" from "SK(ju)".
    for (const std::string& m : w_.company_marks)
      if (m.size() > 1 && m.back() == ')' && ends_with(c, m.substr(0, m.size() - 1)) && c.size() > m.size() - 1)
        c.erase(c.size() - (m.size() - 1));
    return store_.emplace_back(std::move(c));
  }

  // The longest listed particle that leaves a stem; i/eul/eun/gwa follow a
  // final consonant, ga/reul/neun/wa a vowel (orakeul-i is a subject, the
  // final i of a vowel-final name is not a particle).
  void split_particle(Word* w) const {
    const std::string_view core = w->core;
    if (in(w->core_lists, kUnsplit) || !ix_.may_end_in(kParticle, core)) return;
    const std::size_t longest = core.size() > 0 ? core.size() - 1 : 0;
    for (std::size_t n : ix_.lengths[kParticle]) {
      if (n > longest) continue;
      std::size_t stem_end = core.size() - n;
      if ((static_cast<unsigned char>(core[stem_end]) & 0xC0) == 0x80) continue;  // not a character start
      const LinkIndex::Slot* it = ix_.find(std::string_view(core.data() + stem_end, n));
      if (!it || !in(it->lists, kParticle)) continue;
      const std::string& p = it->key;
      const Particle role = it->role;
      char32_t before = last_code_point(core, stem_end);
      if (p.size() == 3 && is_hangul(before)) {
        // i/eul/eun/gwa after a final consonant, ga/reul/neun/wa after a vowel.
        char32_t c = last_code_point(p, p.size());
        bool after_consonant = c == U'\uC774' || c == U'\uC744' || c == U'\uC740' || c == U'\uACFC';
        bool after_vowel = c == U'\uAC00' || c == U'\uB97C' || c == U'\uB294' || c == U'\uC640';
        if ((after_consonant && !has_final_consonant(before)) || (after_vowel && has_final_consonant(before))) continue;
      }
      if (!is_hangul(before) && !is_latin_or_digit(before) && before != ')' && before != '%') continue;
      w->stem = core.substr(0, stem_end);
      w->role = role;
      w->weak = in(it->lists, kWeakParticle);
      if (w->open_paren || w->close_paren) strip_parenthesis(&w->stem);
      // tuja-ha-neun (investing) ends in a verb ending, not a particle.
      if (verb_form(w->stem)) w->role = Particle::kNone;
      return;
    }
  }

  bool ends_clause(const Word& w) const {
    if (in(w.core_lists, kClauseWord)) return true;
    if (in(w.core_lists, kClauseException)) return false;
    const std::string_view core = w.core;
    if (!ix_.may_end_in(kClauseEnding, core)) return false;
    const std::size_t longest = core.size() > 0 ? core.size() - 1 : 0;
    for (std::size_t n : ix_.lengths[kClauseEnding]) {
      if (n > longest) continue;
      std::size_t at = core.size() - n;
      if ((static_cast<unsigned char>(core[at]) & 0xC0) == 0x80) continue;
      if (in(ix_.lists(std::string_view(core.data() + at, n)), kClauseEnding)) return true;
    }
    return false;
  }

  bool verb_form(std::string_view stem) const { return ix_.ends_in(kVerbStemEnding, stem, false); }

  // Ends in neun or eun, the modifier endings of verbs (and the topic
  // particles): jitneun, doraoneun, naenoeun.
  static bool modifier_ending(std::string_view core) {
    char32_t c = last_code_point(core, core.size());
    return c == U'\uB294' || c == U'\uC740';
  }

  bool verb_like(std::string_view core) const {
    return ends_with(core, "\xEA\xB3\xA0") || ends_with(core, "\xEB\xA9\xB0");  // -go, -myeo
  }

  const LinkWords& w_;
  const LinkIndex& ix_;
  std::vector<Word>& words_;
  std::deque<std::string>& store_;
};

bool org_suffixed(const LinkIndex& ix, std::string_view stem) { return ix.ends_in(kOrgSuffix, stem, true); }

bool org_like(const LinkIndex& ix, std::string_view stem) {
  for (char c : stem)
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) return true;
  return org_suffixed(ix, stem);
}

// Two or three Hangul syllables and nothing else: shaped like a person's name.
bool name_like(std::string_view stem) {
  if (stem.size() != 9) return false;
  for (std::size_t i = 0; i < stem.size(); i += 3)
    if (!is_hangul(last_code_point(stem, i + 3))) return false;
  return true;
}

bool latin_word(std::string_view stem) {
  return !stem.empty() && std::all_of(stem.begin(), stem.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || c == '&' || (c >= '0' && c <= '9');
  });
}

// Listed, or ending in a listed title (the list's own entries included).
bool is_title(const LinkIndex& ix, std::string_view stem) { return ix.ends_in(kTitle, stem, false); }

bool has_latin(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); });
}

bool has_digit(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

class Linker {
 public:
  Linker(const LinkWords& w, const std::vector<Word>& words, bool bullet, bool headline, WordMemo* memo)
      : w_(w), ix_(*w.index), words_(words), bullet_(bullet), headline_(headline), memo_(*memo) {}

  Link link(std::size_t first, std::size_t last) const {
    Link l;
    int clause = words_[first].clause;
    std::size_t action_at = words_.size();
    action_ = action(first, last, clause, &action_at);
    l.action = std::string(action_);
    const std::uint64_t action_lists = ix_.lists(action_);
    personal_ = in(action_lists, kPersonalAction);
    // "sajae 100eok won", "boyu jibun-eul ... maegak": a personal noun
    // before the amount in its clause makes the money the person's own, as
    // does a verb of receiving after it (baedanggeum-euro 100eok won-eul
    // badatda).
    for (std::size_t k = first; !personal_ && k-- > 0 && words_[k].clause == clause;)
      personal_ = in(words_[k].stem_lists, kPersonalAction);
    for (std::size_t k = last + 1; !personal_ && k < words_.size() && k <= last + 2 && words_[k].clause == clause; ++k)
      for (const std::string& v : w_.personal_verbs)
        if (words_[k].core.compare(0, v.size(), v) == 0) personal_ = true;
    l.entity = entity(first, clause);
    // What a company measures (maechul 79jo won, yeongeobiik-eun 9jo won)
    // has no counterparty: a metric naming the amount, next to it or as the
    // subject or topic.
    bool measure = in(action_lists, kOwnedMetric) && action_at < words_.size() &&
                   (action_at + 1 == first || action_at == last + 1 || subject_role(words_[action_at].role));
    l.target = measure ? "" : target(first, last, clause, action_at);
    // An action taken from the clause before (jibun-eul maegakhae 1jo won-eul
    // hwakbo): its counterparty is found there.
    if (!measure && action_at < words_.size() && words_[action_at].clause != clause && action_at < first)
      l.target = in(action_lists, kOwnedMetric) ? "" : target(action_at, action_at, words_[action_at].clause, action_at);
    // A target never opens with the actor itself (samseongjeonja miguk tuja).
    if (!l.entity.empty() && l.target.size() > l.entity.size() && l.target.compare(0, l.entity.size(), l.entity) == 0 &&
        l.target[l.entity.size()] == ' ')
      l.target.erase(0, l.entity.size() + 1);
    // A list after a lead-in that names the actor: the items are what the
    // actor's action applies to.
    if (std::size_t item = bullet_item(first); item != words_.size() && actor_word(words_[item])) {
      std::size_t lead = lead_actor(item);
      if (lead != words_.size()) {
        // The item: its bare words up to the amount (pyeongtaek P4 rain).
        std::string thing(words_[item].stem);
        for (std::size_t k = item + 1; k < first && words_[k].role == Particle::kNone && !words_[k].in_mention &&
                                        !words_[k].comma && words_[k].clause == words_[item].clause;
             ++k)
          thing.append(" ").append(words_[k].stem);
        l.entity = phrase(lead);
        l.target = thing;
      }
    }
    if (action_at < words_.size() && passive(words_[action_at])) {
      // A-neun B-e insu-dwaetda: B acted, A was acted on.
      // The agent: the e-word nearest before the passive verb, else after.
      std::string dative;
      for (std::size_t i = 0; i < words_.size(); ++i)
        if (words_[i].clause == clause && words_[i].role == Particle::kDative && target_word(words_[i]) &&
            (i < action_at || dative.empty()))
          dative = with_modifiers(i, true);
      // "500man won inha-doen EV9-eul": a passive modifier of a noun, with
      // no agent, describes the thing; the actor stays.
      bool modifier = dative.empty() && !words_[action_at].ends_clause && action_at + 1 < words_.size() &&
                      words_[action_at + 1].clause == clause && words_[action_at + 1].role != Particle::kNone;
      if (!modifier) {
        if (in(action_lists, kRecipientPassive)) {
          // "X-neun Y-e maegakdwaetda": Y bought; who sold is not said.
          if (!dative.empty()) l.target = dative;
          l.entity = "";
        } else {
          l.target = l.entity;
          l.entity = dative;
        }
      }
    }
    return l;
  }

  bool passive(const Word& w) const {
    std::string_view m;
    if (!ix_.may_hold_action(w.core) || !first_action(w.core, 0, &m)) return false;
    std::size_t after = static_cast<std::size_t>(m.data() - w.core.data()) + m.size();
    std::string_view rest = w.core.substr(after);
    for (const std::string& p : w_.passive_endings)
      if (rest.substr(0, p.size()) == p) return true;
    return false;
  }

 private:
  std::string_view action_in(const Word& w) const {
    if (w.action_known == 0) {
      // (In a mention the stem is searched, not the core: not remembered.)
      if (w.in_mention || !memo_.action(w, &w.action, &w.action_lists)) {
        w.action = find_action(w);
        w.action_lists = ix_.lists(w.action);
        if (!w.in_mention) memo_.keep_action(w, w.action, w.action_lists);
      }
      w.action_known = 1;
    }
    return w.action;
  }

  // The lists that hold the word's action.
  std::uint64_t action_lists(const Word& w) const {
    action_in(w);
    return w.action_lists;
  }

  // The first match of the action pattern in s[from, end), into *m.
  bool first_action(std::string_view s, std::size_t from, std::string_view* m) const {
    if (ix_.literal_actions && s.find(' ') == std::string_view::npos) {
      std::size_t len = 0;
      std::size_t at = ix_.match_action(s, from, &len);
      if (at == std::string_view::npos) return false;
      *m = s.substr(at, len);
      return true;
    }
    const re2::StringPiece sp(s.data(), s.size());
    re2::StringPiece found;
    if (!w_.action->Match(sp, from, sp.size(), RE2::UNANCHORED, &found, 1)) return false;
    *m = std::string_view(found.data(), found.size());
    return true;
  }

  std::string_view find_action(const Word& w) const {
    const std::string_view s = w.in_mention ? w.stem : w.core;
    // An organisation's name holds no action (hanguk-tuja-jeunggwon).
    if (org_suffixed(ix_, w.stem)) return "";
    std::string_view m;
    if (!ix_.may_hold_action(s) || !first_action(s, 0, &m)) return "";
    // A compound is headed by its last action noun (sonsil-bosanggeum:
    // bosang; tuja-yuchi: yuchi).
    for (std::string_view next;;) {
      std::size_t from = static_cast<std::size_t>(m.data() - s.data()) + m.size();
      if (from >= s.size() || !first_action(s, from, &next)) break;
      m = next;
    }
    auto it = w_.action_name.find(m);
    return it == w_.action_name.end() ? m : std::string_view(it->second);
  }

  // The action governing the amount in its clause. A metric noun right
  // before it names it (maechul X); otherwise the first action after it,
  // where a run of action words ends in the governing one (X tuja-reul
  // yuchi: yuchi); then the nearest before; then any later one.
  std::string_view action(std::size_t first, std::size_t last, int clause, std::size_t* at) const {
    if (first >= 1 && words_[first - 1].clause == clause && !words_[first - 1].in_mention &&
        (words_[first - 1].role == Particle::kNone || words_[first - 1].role == Particle::kTopic ||
         words_[first - 1].role == Particle::kSubject)) {
      std::string_view a = action_in(words_[first - 1]);
      // "gagyeok 300man won inha": a price noun yields to the change after.
      bool yields = in(words_[first - 1].stem_lists, kPricedNoun) && last + 1 < words_.size() &&
                    words_[last + 1].clause == clause && !action_in(words_[last + 1]).empty();
      if (!a.empty() && !yields) return *at = first - 1, a;
    }
    for (std::size_t i = last; i < words_.size() && words_[i].clause == clause && i <= last + 4; ++i) {
      if (words_[i].in_mention) continue;
      std::string_view a = action_in(words_[i]);
      if (a.empty()) continue;
      // A run of action words ends in the governing one, unless that one
      // only carries the other (halin panmae, daechul-eul gonggeup).
      std::size_t k = i;
      while (k + 1 < words_.size() && words_[k + 1].clause == clause && !action_in(words_[k + 1]).empty() &&
             !in(action_lists(words_[k + 1]), kWeakAction))
        ++k;
      *at = k;
      return action_in(words_[k]);
    }
    for (std::size_t i = first; i-- > 0 && words_[i].clause == clause;) {
      if (words_[i].in_mention) continue;
      std::string_view a = action_in(words_[i]);
      if (!a.empty()) return *at = i, a;
    }
    for (std::size_t i = last + 5; i < words_.size() && words_[i].clause == clause; ++i) {
      std::string_view a = action_in(words_[i]);
      if (!a.empty()) return *at = i, a;
    }
    // "jibun-eul maegakhae 1jo won-eul hwakbohaetda", "insuhaneun de sseun
    // don": the action of the clause just before, linked to this one as its
    // means or by a bound noun.
    std::size_t end = first;
    while (end > 0 && words_[end - 1].clause == clause) --end;
    if (end > 0) {
      std::size_t k = end - 1;
      bool linked = ix_.ends_in(kLinkedEnding, words_[k].core, false);
      if (!linked && k > 0 && words_[k].tag && in(words_[k].stem_lists, kMeansNoun)) --k, linked = true;
      if (linked && !words_[k].in_mention) {
        std::string_view a = action_in(words_[k]);
        if (!a.empty()) return *at = k, a;
      }
      // "kakao-neun maechul 2jo won-eul girokhaetgo, neibeo-neun 2jo 5000eok
      // won-eul": a parallel clause with its own actor elides the metric noun
      // that names the amount of the clause before.
      bool own_actor = false;
      for (std::size_t j = end; j < first; ++j) own_actor = own_actor || subject_role(words_[j].role);
      std::size_t b = end - 1;
      while (own_actor && b > 0 && words_[b - 1].clause == words_[end - 1].clause) --b;
      for (std::size_t j = b + 1; own_actor && j < end; ++j)
        if (words_[j].in_mention && !words_[j - 1].in_mention && words_[j - 1].role == Particle::kNone &&
            in(action_lists(words_[j - 1]), kOwnedMetric))
          return *at = j - 1, action_in(words_[j - 1]);
    }
    return "";
  }

  static bool subject_role(Particle p) { return p == Particle::kSubject || p == Particle::kTopic; }

  // Word `i` with the bare nouns before it that belong to its phrase (at
  // most two): for an actor only before a generic head (miguk jeongbu), for
  // a target unless the head names an organisation itself; never over the
  // classifier noun of an apposition (saibeo boan gieop Wiz).
  std::string with_modifiers(std::size_t i, bool actor) const {
    if (i > 0 && in(words_[i].stem_lists, kClauseWord)) --i;  // "A deung-euro-buteo"
    std::string out(words_[i].stem);
    // A unit named with its company (samseongjeonja DS-bumun, LG-enerji-
    // sollusyeon bungmi-beobin).
    if (actor && i > 0 && words_[i - 1].role == Particle::kNone && !words_[i - 1].comma &&
        !words_[i - 1].in_mention && org_like(ix_, words_[i - 1].stem) && ix_.ends_in(kUnitSuffix, out, false))
      return out.insert(0, " ").insert(0, words_[i - 1].stem);
    // A person named in two words (Warren Buffett): the given name first.
    if (actor && i > 0 && given_name(words_[i - 1]) && !words_[i - 1].ends_clause)
      return out.insert(0, " ").insert(0, words_[i - 1].stem);
    // Latin names of several words (CJ ENM, IMM PE) stay whole.
    // A plural (seutateueopdeul) or counted (daehak 10got) head is a generic
    // one too: gungnae seutateueopdeul, jibang daehak 10got.
    bool plural = words_[i].stem.size() > 6 && ends_with(words_[i].stem, "\xEB\x93\xA4");
    bool grow = actor ? in(words_[i].stem_lists, kGenericHead) || latin_word(words_[i].stem) || plural ||
                            (has_digit(words_[i].stem) && counted(words_[i].stem))
                      : true;
    // A compound ending in a generic head grows over a Latin name only
    // (EU gyeongjaeng-dangguk).
    bool latin_only = actor && !grow && generic_head(words_[i].stem);
    grow = grow || latin_only;
    // A target grows over up to three bare nouns (ulsan jeongicha bupum
    // gongjang), an actor over two.
    const bool head_counted = counted(words_[i].stem) && (!actor || has_digit(words_[i].stem));
    for (std::size_t k = i, n = 0; grow && k-- > 0 && n < (actor ? 2u : 3u); ++n) {
      const Word& prev = words_[k];
      if (((actor && latin_word(words_[i].stem) && !in(words_[i].stem_lists, kGenericHead)) || latin_only) &&
          !latin_word(prev.stem))
        break;
      // Not over the name opening a headline (kupang daeman-e).
      if (!actor && headline_ && k == headline_subject()) break;
      // Before a counter (se got, 3man got), numerals and classifiers belong
      // to the phrase (indo geimsa se got); elsewhere a figure other than a
      // time (5gongjang, not 3wol) may modify a target.
      bool counted = head_counted;
      bool figure = !actor && has_digit(prev.stem) && !time_word(prev.stem) && prev.stem.back() != '%';
      // "daeman mullyusenteo": a noun ending like a weak particle, whole.
      bool whole = !actor && prev.weak && prev.role == Particle::kOther && !prev.comma;
      const std::string_view stem = whole ? prev.core : prev.stem;
      const std::uint64_t stem_lists = whole ? prev.core_lists : prev.stem_lists;
      if (prev.in_mention || prev.tag || (prev.role != Particle::kNone && !whole) || prev.comma || prev.ends_clause ||
          stem.empty() || (has_digit(stem) && !counted && !figure) || in(stem_lists, kPhraseStop) ||
          (classifier_like(stem) && !counted && !in(words_[i].stem_lists, kNotEntity)) ||
          is_title(ix_, stem) || !action_in(prev).empty() || verb_form(stem) || prev.verb ||
          in(prev.core_lists, kSourceFollower) ||
          adnominal_syllable(prev.core) ||
          (prev.role == Particle::kNone && modifier_ending(prev.core)) ||
          (!actor && !counted && org_suffixed(ix_, stem) && k + 1 == i && org_suffixed(ix_, words_[i].stem)))
        break;
      out.insert(0, " ").insert(0, stem);
    }
    return out;
  }

  // A classifier noun, alone or ending a compound (seogyu-hoesa, mohoesa).
  bool classifier_like(std::string_view stem) const { return ix_.ends_in(kClassifier, stem, false); }

  // One syllable closed by n: the modifier form of a verb (jun, gan, nan).
  static bool adnominal_syllable(std::string_view core) {
    if (core.size() != 3) return false;
    char32_t c = last_code_point(core, 3);
    return is_hangul(c) && (c - 0xAC00) % 28 == 4;
  }

  // A figure of time (3wol, 2025nyeon, 1bungi).
  bool time_word(std::string_view stem) const { return ix_.ends_in(kTimeSuffix, stem, false); }

  // A head that names an actor only with what stands before it, alone or
  // ending a compound (dangguk, gyeongjaeng-dangguk).
  bool generic_head(std::string_view stem) const { return ix_.ends_in(kGenericHead, stem, false); }

  // Word `i` and the words joined to it with wa/gwa or a comma before it,
  // in text order, with a middle dot between.
  std::string coordinated(std::size_t i, bool actor) const {
    // The words before `i`, nearest first: most phrases have none, and an
    // empty vector allocates nothing.
    std::string head = with_modifiers(i, actor);
    std::vector<std::string> earlier;
    const bool listed = i + 1 < words_.size() && in(words_[i + 1].core_lists, kClauseWord);
    std::size_t k = i;
    while (k-- > 0) {
      const Word& prev = words_[k];
      if (prev.in_mention || prev.ends_clause || prev.tag) break;
      // Actors may be listed with commas (A-wa B, C-ga); a comma before a
      // target is more often a headline's subject (Samsung, Texas-e).
      // "A mit B-neun": a conjunction standing alone joins the word before it.
      if (conjunction(prev) && k > 0 && !prev.comma) {
        --k;
        const Word& before = words_[k];
        if (before.in_mention || before.tag || before.role != Particle::kNone || before.comma) break;
        earlier.push_back(with_modifiers(k, actor));
        continue;
      }
      // A comma joins a listed actor, or any actor after a wa/gwa word
      // (hyeondaecha-wa gia, hyeondaemobiseu-neun).
      bool after_conjunct = k > 0 && words_[k - 1].role == Particle::kConjunct;
      bool joined = prev.role == Particle::kConjunct ||
                    (actor && prev.comma && prev.role == Particle::kNone &&
                     (listed_actor(prev) || (after_conjunct && actor_word(prev))));
      // "samseongjeonja SK-hainikseu LG-jeonja deung": before deung, names
      // of organisations may be listed with spaces only.
      if (!joined && actor && listed && prev.role == Particle::kNone && !prev.comma && org_like(ix_, prev.stem) &&
          actor_word(prev)) {
        earlier.emplace_back(prev.stem);
        continue;
      }
      if (!joined) {
        // Skip the bare modifiers already taken into the phrase, not a word
        // that ends one (Ford-wa hamkke Kentucky gongjang).
        if (prev.role == Particle::kNone && !prev.comma && !in(prev.stem_lists, kPhraseStop) && !prev.verb &&
            !verb_form(prev.stem) && !modifier_ending(prev.core) && !in(prev.core_lists, kSourceFollower))
          continue;
        break;
      }
      earlier.push_back(with_modifiers(k, actor));
    }
    if (earlier.empty()) return head;
    std::string out;
    for (auto p = earlier.rbegin(); p != earlier.rend(); ++p) out.append(out.empty() ? "" : "\xC2\xB7").append(*p);
    out.append(out.empty() ? "" : "\xC2\xB7").append(head);
    return out;
  }

  bool verb_form(std::string_view stem) const { return ix_.ends_in(kVerbStemEnding, stem, false); }

  // A conjunctive particle written as a word of its own (mit).
  bool conjunction(const Word& w) const {
    return in(w.core_lists, kParticle) && ix_.find(w.core)->role == Particle::kConjunct;
  }

  // "SK-telrekom, KT, LG-yupeulleoseu deung tongsin 3sa-neun": the names
  // listed before deung, when word `i` heads a phrase after it (at most two
  // bare words between); else none.
  std::size_t listed_before(std::size_t i) const {
    for (std::size_t k = i, n = 0; k-- > 0 && n < 3; ++n) {
      const Word& w = words_[k];
      if (in(w.core_lists, kClauseWord)) {
        if (k > 0 && words_[k - 1].role == Particle::kNone && !words_[k - 1].comma && actor_word(words_[k - 1]))
          return k - 1;
        return words_.size();
      }
      if (w.in_mention || w.tag || w.role != Particle::kNone || w.comma) break;
    }
    return words_.size();
  }

  // The noun phrase of the subject word at `i`: coordinated words before it
  // joined with a middle dot; a title resolved to whom it belongs.
  std::string phrase(std::size_t i) const {
    // "O Se-hun Seoul-sijang": after a person's name, an office that ends
    // in its body's name gives the body (Seoul-si), or the person when the
    // money is the person's own.
    if (i > 0 && words_[i - 1].role == Particle::kNone && person(words_[i - 1].stem))
      for (const std::string& o : w_.office_titles)
        if (ends_with(words_[i].stem, o)) {
          std::string_view body = words_[i].stem.substr(0, words_[i].stem.size() - o.size());
          if (org_suffixed(ix_, body)) return std::string(personal_ ? words_[i - 1].stem : body);
        }
    if (is_title(ix_, words_[i].stem)) return owner_of_title(i);
    return coordinated(i, true);
  }

  std::string owner_of_title(std::size_t i) const {
    // A person's own money (yeonbong) belongs to the person: the name is the
    // first word of "Name Company Title" or the one before the title.
    if (personal_) {
      for (std::size_t k = i >= 4 ? i - 4 : 0; k < i; ++k) {
        const Word& w = words_[k];
        // A name may end like a particle (I Su-man: man).
        if (w.role == Particle::kOther && person(w.core)) return std::string(w.core);
        if (w.role != Particle::kNone || w.in_mention || in(w.stem_lists, kTitlePrefix)) continue;
        // "Tim Cook Apple CEO": a given name and the family name after it.
        if (k + 1 < i && given_name(w) && words_[k + 1].role == Particle::kNone)
          return std::string(w.stem).append(" ").append(words_[k + 1].stem);
        if (k + 4 > i && person(w.stem)) return std::string(w.stem);
      }
    }
    // "Name jeon Company Title": a word for former or acting is skipped.
    std::size_t j = i;
    if (j >= 2 && in(words_[j - 1].stem_lists, kTitlePrefix)) --j;
    const Word* p1 = j >= 1 && words_[j - 1].role == Particle::kNone && !words_[j - 1].in_mention ? &words_[j - 1] : nullptr;
    const Word* p2 = nullptr;
    if (p1 && j >= 2) {
      std::size_t k = j - 2;
      if (k >= 1 && in(words_[k].stem_lists, kTitlePrefix)) --k;
      if (words_[k].role == Particle::kNone && !words_[k].in_mention) p2 = &words_[k];
    }
    // "Name Company Title" is the usual order; "Company Name Title" shows
    // when only the outer word looks like an organisation, or only the
    // inner one like a person (selteurion Seo Jeong-jin hoejang).
    if (p1 && p2 && org_like(ix_, p2->stem) && !org_like(ix_, p1->stem)) return std::string(p2->stem);
    if (p1 && p2 && person(p1->stem) && !person(p2->stem) && !given_name(*p2)) return std::string(p2->stem);
    if (p1) return std::string(p1->stem);
    return std::string(words_[i].stem);
  }

  // Shaped like a Korean person's name: two or three syllables (one word of
  // three, as name_like) opening with a listed surname.
  bool person(std::string_view stem) const {
    if (!name_like(stem)) return false;
    return w_.surnames.empty() || in(ix_.lists(stem.substr(0, 3)), kSurname);
  }

  bool given_name(const Word& w) const {
    return !w.in_mention && w.role == Particle::kNone && !w.comma && in(w.stem_lists, kGivenName);
  }

  // A word that can name an actor: not a metric (maechul-eun), not a
  // listed non-actor (gyumo, mokpyo), not a verb form.
  bool actor_word(const Word& w) const {
    if (w.actor_known == 0) {
      if (w.in_mention || w.tag) {
        w.actor_known = -1;
      } else {
        signed char known = memo_.actor(w);
        if (known == 0) {
          known = actor_stem(w) ? 1 : -1;
          memo_.keep_actor(w, known > 0);
        }
        w.actor_known = known;
      }
    }
    return w.actor_known > 0;
  }

  // What is_actor_word asks of the stem alone.
  bool actor_stem(const Word& w) const {
    // One Hangul syllable is too little to name an actor (gwa-do is not gwa).
    bool too_short = w.stem.size() <= 3 && is_hangul(last_code_point(w.stem, w.stem.size())) && !is_title(ix_, w.stem);
    // Some letter: a slash or a dash names nobody.
    bool letter = std::any_of(w.stem.begin(), w.stem.end(), [](char c) {
      return (static_cast<unsigned char>(c) & 0x80) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    });
    return letter && !w.stem.empty() && !too_short && !in(w.stem_lists, kNotEntity) &&
           !in(w.stem_lists, kPhraseStop) &&
           !ends_in_action(w.stem) && !verb_form(w.stem) &&
           (!has_digit(w.stem) || has_latin(w.stem) || counted(w.stem));  // GS25, 3M, daehak 10got; not 3bungi
  }

  // "Hanguk-benchyeo-tuja-neun ... chulja": a long name ending in another
  // action noun than the amount's names a company (an investment house), not
  // the amount's predicate.
  bool named_for_action(const Word& w) const {
    if (w.in_mention || w.tag || action_.empty() || w.stem.size() < 12) return false;
    const std::string_view own = action_in(w);
    return !own.empty() && own != action_ && !verb_form(w.stem) && !in(w.stem_lists, kNotEntity) &&
           !has_digit(w.stem) && ends_in_action(w.stem);
  }

  // The action pattern with an optional metric suffix ends `s`.
  bool ends_in_action(std::string_view s) const {
    return ix_.may_hold_action(s) && RE2::PartialMatch(re2::StringPiece(s.data(), s.size()), *w_.action_tail);
  }

  // A word that may stand in a comma-separated list of actors: an actor word
  // whose last syllable is not a connective verb ending (balkhija, is not).
  bool listed_actor(const Word& w) const {
    return actor_word(w) && !ix_.ends_in(kConnective, w.stem, false);
  }

  // Organisations and people come before abstract nouns as actors.
  bool named(const Word& w) const { return org_like(ix_, w.stem) || name_like(w.stem); }

  // The predicate noun of a cleft whose topic is word `i`: the word that
  // ends the sentence in a copula, with the copula cut (HD-hanguk-joseon-
  // haeyang-ida).
  std::string cleft_predicate(std::size_t i) const {
    for (std::size_t k = words_.size(); k-- > i + 1;) {
      const std::string_view core = words_[k].core;
      for (const std::string& c : w_.copula_endings) {
        if (core.size() <= c.size() || !ends_with(core, c)) continue;
        std::string_view stem = core.substr(0, core.size() - c.size());
        // i-da after a final consonant, da alone after a vowel.
        if (stem.empty()) continue;
        return std::string(stem);
      }
      break;
    }
    return "";
  }

  // The owner named by a genitive before word `i` in its clause
  // (SK-hainikseu-ui yeongeobiik-eun).
  std::size_t genitive_before(std::size_t i) const {
    for (std::size_t k = i; k-- > 0 && words_[k].clause == words_[i].clause;)
      if (words_[k].role == Particle::kGenitive && actor_word(words_[k]) && !has_digit(words_[k].stem)) {
        // "daehanhanggong jikwondeul-ui pyeonggyun yeonbong": members stand
        // for the body named bare before them.
        if (in(words_[k].stem_lists, kMemberNoun) && k > 0 && words_[k - 1].role == Particle::kNone &&
            actor_word(words_[k - 1]))
          return k - 1;
        return k;
      }
    return words_.size();
  }

  // A verb form among the words after `from` and before `to`.
  bool verb_between(std::size_t from, std::size_t to) const {
    for (std::size_t k = from + 1; k < to; ++k) {
      const Word& w = words_[k];
      if (w.in_mention) continue;
      if (w.verb || (w.role == Particle::kNone && (verb_form(w.stem) || modifier_ending(w.core)))) return true;
    }
    return false;
  }

  static bool modifier_ending(std::string_view core) {
    char32_t c = last_code_point(core, core.size());
    return c == U'\uB294' || c == U'\uC740';
  }

  std::string entity(std::size_t first, int clause) const {
    const std::size_t none = words_.size();
    // "X-han got-eun Y-da": the actor is the predicate of a cleft.
    for (std::size_t k = first; k < words_.size(); ++k)
      if (words_[k].role == Particle::kTopic &&
          (in(words_[k].stem_lists, kCleftHead) || in(words_[k].stem_lists, kClassifier))) {
        // "... tujahan gieop-eun SK-hainikseu-ro 12jo won-e dalhaetda": the
        // predicate noun in -ro right after the topic.
        if (k + 1 < words_.size() && words_[k + 1].role == Particle::kOther && actor_word(words_[k + 1]) &&
            last_code_point(words_[k + 1].core, words_[k + 1].core.size()) == U'\uB85C')
          return std::string(words_[k + 1].stem);
        std::string y = cleft_predicate(k);
        if (!y.empty()) return y;
      }
    // The subject (i/ga) of the clause before the amount, else its topic;
    // a metric as topic points to the genitive that owns it.
    auto pick = [&](std::size_t to, int want_clause) -> std::size_t {
      std::size_t topic = none, subject = none;
      for (std::size_t i = to; i-- > 0;) {
        const Word& w = words_[i];
        if (w.in_mention || (want_clause >= 0 && w.clause != want_clause)) continue;
        if (w.role != Particle::kSubject && w.role != Particle::kTopic) continue;
        std::size_t at = listed_before(i);
        // "A-wa B-ui hapbyeong beobin-eun": a classifier names its owner.
        if (at == none && in(w.stem_lists, kClassifier)) at = genitive_before(i);
        if (at == none && (actor_word(w) || named_for_action(w))) at = i;
        if (at == none) at = genitive_before(i);
        // "samseongjeonja-ga jitneun gongjang-ui tujabi-neun": the owner in
        // the genitive heads a relative clause; its subject owns the metric.
        if (at != none && at != i && at > 0 && !actor_word(w)) {
          std::size_t j = at - 1;
          auto is_verb = [&](const Word& x) { return x.verb || verb_form(x.stem) || modifier_ending(x.core); };
          for (int n = 0; n < 2 && j > 0 && words_[j].role == Particle::kNone && !words_[j].in_mention &&
                          !is_verb(words_[j]);
               ++n)
            --j;  // bare nouns of the owner's phrase (bandoche gongjang)
          const Word& m = words_[j];
          if (m.role == Particle::kNone && !m.in_mention && is_verb(m))
            for (std::size_t k = j; k-- > 0 && words_[k].clause == words_[at].clause;)
              if (words_[k].role == Particle::kSubject && actor_word(words_[k])) {
                at = k;
                break;
              }
        }
        if (at == none) continue;
        // The nearest actor of the amount's clause wins: a topic between a
        // subject and the amount shows the subject belongs to an embedded
        // clause (X hoejang-i ikkeuneun samseongjeonja-neun). Carried from
        // earlier clauses, the topic, which spans the sentence, beats the
        // subject of a clause already closed.
        // A subject whose verb stands between it and the amount
        // (sopeuteubaengkeu-ga judohan tuja raundeu-eseo) is that of an
        // embedded clause: a topic, else a plain subject, comes first.
        if (w.role == Particle::kSubject) {
          if (want_clause >= 0 && topic != none) return topic;
          if (want_clause >= 0 && !verb_between(i, to)) return at;
          if (subject == none) subject = at;
          continue;
        }
        if (topic == none) topic = at;
      }
      return topic != none ? topic : subject;
    };
    std::size_t i = pick(first, clause);
    if (i == none) {
      // Carried from an earlier clause. A clause without a subject of its
      // own shares that of the clause just before (A-wa B, C-ga hapjaksa-reul
      // mandeulgo ... 5000eok dalleo-reul tuja); otherwise the topic, which
      // spans the sentence, beats the subjects of closed clauses.
      bool own_subject = false;
      for (std::size_t k = first; k-- > 0 && words_[k].clause == clause;)
        own_subject = own_subject || (words_[k].role == Particle::kSubject && !words_[k].in_mention);
      // A reported clause (... wibanhaetdamyeo) keeps its subject to itself.
      std::size_t end = first;
      while (end > 0 && words_[end - 1].clause == clause) --end;
      bool reported = end > 0 && ix_.ends_in(kQuoteEnding, words_[end - 1].core, false);
      if (!own_subject && !reported && clause > 0) i = pick(first, clause - 1);
      if (i == none) i = pick(first, -1);
    }
    if (i == none) {
      // After the amount: in its clause (100eok won-eul samsung-i tuja),
      // else in the sentence (a quote, then its speaker: "...", X-neun).
      for (std::size_t k = first; k < words_.size(); ++k)
        // Not the noun the amount modifies (5jo won dalseong-i mokpyo).
        if (subject_role(words_[k].role) && (actor_word(words_[k]) || named_for_action(words_[k])) &&
            !(k > 0 && words_[k - 1].in_mention && words_[k - 1].role == Particle::kNone)) {
          i = k;
          // A headline's subject before its comma comes first ("2jo won
          // tuja" yaksokhan teseulla, hanguk gongjang-eun boryu).
          if (headline_)
            for (std::size_t j = first; j < k; ++j)
              if (words_[j].comma && words_[j].role == Particle::kNone && actor_word(words_[j])) {
                i = j;
                break;
              }
          break;
        }
    }
    if (i == none) i = genitive_before(first);
    // A metric as subject or topic with its owner bare before it
    // (enbidia sigachongaek-i 4jo dalleo-reul).
    for (std::size_t k = first; i == none && k-- > 1 && words_[k].clause == clause;)
      if (subject_role(words_[k].role) && !words_[k].in_mention && in(action_lists(words_[k]), kOwnedMetric) &&
          words_[k - 1].role == Particle::kNone && actor_word(words_[k - 1]) && !words_[k - 1].comma &&
          !in(words_[k - 1].stem_lists, kClassifier))
        i = k - 1;

    // A name right before the amount, as in a list: "yeongeobiik-eun
    // SK-hainikseu 9jo won, samseong-jeonja 6jo won".
    if (i == none && first > 0 && words_[first - 1].role == Particle::kNone && actor_word(words_[first - 1]) &&
        org_like(ix_, words_[first - 1].stem) && !in(words_[first - 1].stem_lists, kClassifier))
      i = first - 1;
    // A headline's owner of a metric: "Nvidia sichong 4jo dalleo".
    if (i == none && first >= 2 && words_[first - 1].role == Particle::kNone && !action_in(words_[first - 1]).empty()) {
      for (std::size_t k = first - 1; k-- > 0;) {
        const Word& w = words_[k];
        if (w.in_mention || w.role != Particle::kNone) break;
        if (has_digit(w.stem) && !has_latin(w.stem)) continue;  // 3bungi
        if (actor_word(w)) {
          i = k;
          // "kakao, taeksi saeop gwajinggeum": the headline's subject before
          // the comma owns it, not the noun next to the metric.
          for (std::size_t j = k; j-- > 0 && words_[j].role == Particle::kNone && !words_[j].in_mention;)
            if (words_[j].comma) {
              if (actor_word(words_[j])) i = j;
              break;
            }
          break;
        }
        break;
      }
    }
    // In a list (triangle samsung 5jo won, triangle SK 3jo won), the item's
    // name before the amount.
    if (std::size_t item = bullet_item(first); item != none && actor_word(words_[item])) i = item;
    if (i != none) return phrase(i);
    // A headline: "Samsung, 20jo won in the US"; a tag such as [dandok]
    // may stand before it.
    for (std::size_t k = 0; k < words_.size(); ++k) {
      const Word& w = words_[k];
      if (w.comma && w.role == Particle::kNone && actor_word(w) && !w.ends_clause) return phrase(k);
    }
    // A headline or list item without a comma that opens with a name.
    if (std::size_t k = headline_subject(); k != none) return std::string(words_[k].stem);
    return "";
  }

  // The bare name opening a headline or list item (kupang daeman-e 1jo won
  // tuja), after any tag; else none. In a headline without a comma any actor
  // word counts, not only one shaped like an organisation.
  std::size_t headline_subject() const {
    for (std::size_t k = 0; k < words_.size(); ++k) {
      const Word& w = words_[k];
      if (w.tag || w.core.empty()) continue;
      if (w.role == Particle::kNone && actor_word(w) && k + 1 < words_.size() && w.stem.size() > 3 &&
          (org_like(ix_, w.stem) || bullet_ || headline_))
        return k;
      break;
    }
    return words_.size();
  }

  // The name opening the list item of the amount: a bulleted bare word
  // right before it or one bare word earlier (triangle samsung judang
  // 361won); else none.
  std::size_t bullet_item(std::size_t first) const {
    for (std::size_t k = first, n = 0; k-- > 0 && n < 2; ++n) {
      const Word& w = words_[k];
      if (w.in_mention || w.role != Particle::kNone || w.comma) break;
      if (w.bulleted) return k;
    }
    // Further back in the same item (triangle SK-seukweeo = Tmap-e 500eok
    // won), when the item opens with a bare name.
    for (std::size_t k = first; k-- > 0;) {
      const Word& w = words_[k];
      if (w.in_mention) break;
      if (w.bulleted) return w.role == Particle::kNone && !w.comma ? k : words_.size();
    }
    return words_.size();
  }

  // The actor named by the lead-in before the first item of a list
  // (gongjeongwi-ui gwajinggeum naeyeok-eun triangle Google ...; jeongbu
  // jiwon gyumo: ...): the subject or topic, a metric's owner, or a bare
  // name before an action noun. None when there is none, or when it names
  // a class the items belong to (jugyo gieop-ui).
  std::size_t lead_actor(std::size_t item) const {
    const std::size_t none = words_.size();
    std::size_t start = item;
    for (std::size_t k = 0; k < item; ++k)
      if (words_[k].bulleted) {
        start = k;
        break;
      }
    std::size_t found = none, topic = none;
    for (std::size_t k = start; k-- > 0;) {
      const Word& w = words_[k];
      if (w.in_mention || (w.role != Particle::kSubject && w.role != Particle::kTopic)) continue;
      // The owner in the genitive first: "X-ui gwajinggeum naeyeok-eun".
      std::size_t at = genitive_before(k);
      if (at == none && actor_word(w)) at = k;
      if (at == none) continue;
      if (w.role == Particle::kSubject) {
        found = at;
        break;
      }
      if (topic == none) topic = at;
    }
    if (topic != none) found = topic;
    if (found == none)
      for (std::size_t k = 0; k + 1 < start; ++k)
        if (words_[k].role == Particle::kNone && actor_word(words_[k]) && !action_in(words_[k + 1]).empty()) {
          found = k;
          break;
        }
    if (found == none) return none;
    const std::string_view stem = words_[found].stem;
    // A class the items belong to: a classifier, a plural (-deul), a
    // distributive (gieop-byeol).
    if (in(words_[found].stem_lists, kClassifier) || ends_with(stem, "\xEB\x93\xA4") || ends_with(stem, "\xEB\xB3\x84")) return none;
    return found;
  }

  bool target_word(const Word& w) const {
    // A figure is no target, except a counted one (3got) or a numbered
    // place (3gongjang), never a time (3wol).
    if (w.in_mention || w.tag || w.stem.empty()) return false;
    if (has_digit(w.stem) && !(counted(w.stem) || w.stem.back() == '%' ||
                               (is_hangul(last_code_point(w.stem, w.stem.size())) && !time_word(w.stem))))
      return false;
    return !in(w.stem_lists, kNotTarget) && !is_title(ix_, w.stem);
  }

  // A counter, alone or after its numeral (got, 3got).
  bool counted(std::string_view stem) const {
    // The first counter that ends the word decides, in the list's order.
    if (!ix_.ends_in(kCounter, stem, false)) return false;
    for (const std::string& c : w_.counters)
      if (ends_with(stem, c)) return stem.size() == c.size() || has_digit(stem.substr(0, stem.size() - c.size()));
    return false;
  }

  // The bare nouns compounded before the action noun at `a` (miguk gongjang
  // tuja), at most three; empty when there are none.
  std::string compounded_before(std::size_t a, int clause) const {
    std::string thing;
    for (std::size_t k = a, n = 0; k-- > 0 && n < 3; ++n) {
      const Word& prev = words_[k];
      if (prev.in_mention || prev.tag || prev.role != Particle::kNone || prev.comma || prev.ends_clause ||
          prev.clause != clause || !target_word(prev) || in(prev.stem_lists, kPhraseStop) || verb_form(prev.stem) ||
          modifier_ending(prev.core) || adnominal_syllable(prev.core) || !action_in(prev).empty() ||
          (headline_ && k == headline_subject()))
        break;
      thing.insert(0, thing.empty() ? "" : " ").insert(0, prev.stem);
    }
    return thing;
  }

  // Up to three bare nouns (no particle, comma or clause end) right before
  // word `at` that `also` accepts, in text order: what a price or quantity
  // is of.
  template <typename Accept>
  std::string bare_nouns_before(std::size_t at, Accept also) const {
    std::string thing;
    for (std::size_t k = at, n = 0; k-- > 0 && n < 3; ++n) {
      const Word& prev = words_[k];
      if (prev.in_mention || prev.tag || prev.role != Particle::kNone || prev.comma || prev.ends_clause ||
          prev.stem.empty() || in(prev.stem_lists, kPhraseStop) || verb_form(prev.stem) || !also(prev))
        break;
      thing.insert(0, thing.empty() ? "" : " ").insert(0, prev.stem);
    }
    return thing;
  }

  std::string target(std::size_t first, std::size_t last, int clause, std::size_t action_at) const {
    std::size_t stop = action_at < words_.size() ? action_at : words_.size();
    auto find = [&](Particle role) -> std::size_t {
      for (std::size_t i = first; i-- > 0 && words_[i].clause == clause;)
        if (words_[i].role == role && target_word(words_[i])) return i;
      for (std::size_t i = last + 1; i < stop && words_[i].clause == clause; ++i)
        if (words_[i].role == role && target_word(words_[i])) return i;
      return words_.size();
    };
    for (Particle role : {Particle::kDative, Particle::kSource}) {
      std::size_t i = find(role);
      if (i == words_.size()) continue;
      // "asiana-hanggong insu-e 1jo 8000eok won-eul sseotda": an action noun
      // as the e-word is aimed at the nouns compounded before it.
      if (role == Particle::kDative && in(action_lists(words_[i]), kCompoundAction) &&
          ix_.may_hold_action(words_[i].stem) &&
          RE2::FullMatch(re2::StringPiece(words_[i].stem.data(), words_[i].stem.size()), *w_.action)) {
        std::string thing = compounded_before(i, clause);
        if (!thing.empty()) return thing;
      }
      return coordinated(i, false);
    }
    // A counterparty joined with wa/gwa that is not part of the subject.
    for (std::size_t i = first; i-- > 0 && words_[i].clause == clause;) {
      const Word& w = words_[i];
      if (w.role != Particle::kConjunct || !target_word(w)) continue;
      const Word* next = i + 1 < words_.size() ? &words_[i + 1] : nullptr;
      if (next && (next->role == Particle::kSubject || next->role == Particle::kTopic)) continue;
      return with_modifiers(i, false);
    }
    // The thing whose price it is: the bare nouns before a price noun.
    for (std::size_t i = 0; i < words_.size(); ++i) {
      const Word& w = words_[i];
      if (w.clause != clause || !in(w.stem_lists, kPricedNoun)) continue;
      std::string thing = bare_nouns_before(i, [](const Word&) { return true; });
      if (!thing.empty()) return thing;
    }
    // An order is won where the client is (katareu-eseo ... suju): for such
    // actions the place comes before the object.
    if (action_at < words_.size() && in(action_lists(words_[action_at]), kPlaceAction)) {
      std::size_t at = find(Particle::kLocative);
      if (at != words_.size()) return with_modifiers(at, false);
    }
    // The bare nouns compounded with the action noun (miguk gongjang
    // tuja-reul 5jo won neullyeotda; AI tuja gyumo-neun).
    if (action_at < words_.size() && !words_[action_at].in_mention && words_[action_at].clause == clause &&
        in(action_lists(words_[action_at]), kCompoundAction) &&
        ends_in_action(words_[action_at].stem)) {
      std::string thing = compounded_before(action_at, clause);
      if (!thing.empty()) return thing;
    }
    // What is bought, sold or repaid, named by the bare nouns right before
    // the amount (hoesachae 4000eok won-eul sanghwan; gungnae jusik 1jo
    // won-eochi-reul sunmaesu): the amount is its price or quantity.
    if (action_at < words_.size() && in(action_lists(words_[action_at]), kTradedThingAction)) {
      std::string thing = bare_nouns_before(first, [&](const Word& prev) {
        return prev.clause == clause && action_in(prev).empty() && target_word(prev);
      });
      if (!thing.empty()) return thing;
    }
    // The object of the action when the amount is not it (A-sa-reul X-e
    // insu; X gyumo-ui LNG-seon-eul suju).
    for (std::size_t i = first; i-- > 0 && words_[i].clause == clause;) {
      const Word& w = words_[i];
      if (w.role == Particle::kObject && target_word(w) && action_in(w).empty()) return with_modifiers(i, false);
    }
    if (words_[last].role != Particle::kObject) {
      for (std::size_t i = last + 1; i < stop && words_[i].clause == clause; ++i) {
        const Word& w = words_[i];
        if (w.role == Particle::kObject && target_word(w) && action_in(w).empty()) return with_modifiers(i, false);
      }
    }
    // Where it happens, as a last resort (katareu-eseo suju).
    std::size_t at = in(action_lists(words_[std::min(action_at, words_.size() - 1)]), kNoPlaceAction)
                         ? words_.size()
                         : find(Particle::kLocative);
    if (at != words_.size()) return with_modifiers(at, false);
    // "3jo won-eul tujahae miguk tenesi-e gongjang-eul jitneunda": an action
    // linked to the next clause by a means ending finds its place there.
    if (action_at < words_.size() && words_[action_at].ends_clause &&
        ix_.ends_in(kLinkedEnding, words_[action_at].core, false))
      for (std::size_t i = action_at + 1; i < words_.size() && words_[i].clause == clause + 1; ++i)
        if (words_[i].role == Particle::kDative && target_word(words_[i])) return with_modifiers(i, false);
    return "";
  }

  const LinkWords& w_;
  const LinkIndex& ix_;
  const std::vector<Word>& words_;
  bool bullet_;
  bool headline_ = false;
  mutable bool personal_ = false;
  mutable std::string_view action_;  // the amount's action, while it is linked
  WordMemo& memo_;
};

// "A-wa B-neun gakgak X-wa Y-reul": with a respectively word in the clause,
// the k-th coordinated actor goes with the k-th amount of the clause.
void respectively(const std::vector<Word>& words, const std::vector<Draft>& drafts, const Draft& m, Link* l) {
  const std::string dot = "\xC2\xB7";
  if (l->entity.find(dot) == std::string::npos) return;
  int clause = -1;
  bool marked = false;
  for (const Word& word : words)
    if (word.begin < m.end && m.begin < word.end) clause = word.clause;
  for (const Word& word : words)
    if (word.clause == clause && in(word.core_lists, kRespectively)) marked = true;
  if (!marked) return;
  std::vector<std::string> actors;
  for (std::size_t b = 0;;) {
    std::size_t e = l->entity.find(dot, b);
    actors.push_back(l->entity.substr(b, e == std::string::npos ? std::string::npos : e - b));
    if (e == std::string::npos) break;
    b = e + dot.size();
  }
  std::vector<const Draft*> amounts;
  for (const Draft& d : drafts) {
    if (d.restates >= 0) continue;
    for (const Word& word : words)
      if (word.clause == clause && word.begin < d.end && d.begin < word.end) {
        amounts.push_back(&d);
        break;
      }
  }
  if (amounts.size() != actors.size()) return;
  for (std::size_t k = 0; k < amounts.size(); ++k)
    if (amounts[k] == &m) l->entity = actors[k];
}

// The analysed words of sentences, kept while the amounts of a sentence are
// linked one after another: a sentence is split and analysed once.
// The first space at or after `from` (before `limit`), so a window does not
// cut a word or a character in two.
std::size_t snap_to_space(std::string_view text, std::size_t from, std::size_t limit) {
  std::size_t p = text.find(' ', from);
  return p == std::string_view::npos || p > limit ? limit : p;
}

class Sentences {
 public:
  struct Entry;
  using Cache = std::array<Entry, 2>;

  // `cache` is the thread's: its vectors keep their capacity from document
  // to document.
  Sentences(const Lexicon& lex, std::string_view text, const std::vector<Draft>& drafts, WordMemo* memo, Cache* cache)
      : lex_(lex), text_(text), drafts_(drafts), memo_(memo), cache_(*cache) {
    for (Entry& c : cache_) c.used = false;
  }

  struct Entry {
    std::size_t b = 0, e = 0;
    bool used = false;
    bool headline = false;  // no word ends in the final syllable of a sentence (da)
    std::vector<Word> words;
    std::deque<std::string> store;  // cores rebuilt without a company mark
  };

  WordMemo* memo() const { return memo_; }

  const Entry& words(std::size_t b, std::size_t e) {
    for (Entry& c : cache_)
      if (c.used && c.b == b && c.e == e) return c;
    Entry& c = cache_[next_++ % cache_.size()];
    c.used = true;
    c.b = b;
    c.e = e;
    Sentence(lex_.link, text_, b, e, &c.words, &c.store, memo_);
    // Drafts are in text order: mark the words of those in [b, e).
    auto first = std::lower_bound(drafts_.begin(), drafts_.end(), b,
                                  [](const Draft& d, std::size_t pos) { return d.end <= pos; });
    // (Words are in text order: those of a draft are one run.)
    for (auto d = first; d != drafts_.end() && d->begin < e; ++d)
      for (auto w = std::partition_point(c.words.begin(), c.words.end(),
                                         [&](const Word& x) { return x.end <= d->begin; });
           w != c.words.end() && w->begin < d->end; ++w)
        w->in_mention = true;
    c.headline = true;
    for (const Word& word : c.words)
      if (last_code_point(word.core, word.core.size()) == U'\uB2E4') c.headline = false;
    return c;
  }

 private:
  const Lexicon& lex_;
  std::string_view text_;
  const std::vector<Draft>& drafts_;
  WordMemo* memo_;
  Cache& cache_;
  std::size_t next_ = 0;
};

Link link_in(const Lexicon& lex, std::string_view text, Sentences* sentences, const std::vector<Draft>& drafts,
             const Draft& m, std::size_t sb, std::size_t se) {
  const auto& sentence = sentences->words(sb, se);
  const std::vector<Word>& words = sentence.words;
  // Words are in text order and do not overlap: the amount's words are one
  // run, from the first that ends after the amount begins.
  auto it = std::partition_point(words.begin(), words.end(), [&](const Word& w) { return w.end <= m.begin; });
  if (it == words.end() || it->begin >= m.end) return {};
  const std::size_t first = static_cast<std::size_t>(it - words.begin());
  std::size_t last = first;
  while (last + 1 < words.size() && words[last + 1].begin < m.end) ++last;
  // A list item: the line opens with a bullet mark.
  std::size_t lb = sb;
  while (lb < se && (text[lb] == ' ' || text[lb] == '\t')) ++lb;
  bool bullet = lb < se && is_bullet(last_code_point(text, lb + cp_len(text, lb)));
  Link l = Linker(lex.link, words, bullet, sentence.headline, sentences->memo()).link(first, last);
  respectively(words, drafts, m, &l);
  return l;
}

}  // namespace

std::vector<Link> link_mentions(const Lexicon& lex, std::string_view text, const std::vector<Draft>& drafts) {
  std::vector<Link> out(drafts.size());
  if (!lex.link.enabled || drafts.empty()) return out;
  // Building a break iterator loads and parses ICU's rule data, which costs
  // more than linking a short document; each thread keeps one.
  thread_local std::unique_ptr<icu::BreakIterator> bi = [] {
    UErrorCode st = U_ZERO_ERROR;
    std::unique_ptr<icu::BreakIterator> b(icu::BreakIterator::createSentenceInstance(icu::Locale::getKorean(), st));
    if (U_FAILURE(st)) b.reset();
    return b;
  }();
  // (As are the buffers of the sentences' words and of the lines' breaks.)
  thread_local WordMemo memo;
  thread_local Sentences::Cache cache;
  thread_local SentenceBreaks line_breaks(bi.get());
  memo.use(*lex.link.index);
  Sentences sentences(lex, text, drafts, &memo, &cache);
  std::size_t line_b = std::string_view::npos, line_e = 0;
  for (std::size_t d = 0; d < drafts.size(); ++d) {
    const Draft& m = drafts[d];
    if (m.restates >= 0) {
      out[d] = out[static_cast<std::size_t>(m.restates)];
      continue;
    }
    if (line_b == std::string_view::npos || m.begin < line_b || m.begin >= line_e) {
      // (memrchr: the library's rfind tests a byte at a time.)
      const void* nl = text.empty() ? nullptr : memrchr(text.data(), '\n', std::min(m.begin + 1, text.size()));
      line_b = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - text.data()) + 1 : 0;
      line_e = text.find('\n', m.begin);
      if (line_e == std::string_view::npos) line_e = text.size();
      line_breaks.set_line(text.substr(line_b, line_e - line_b));
    }
    const std::vector<std::size_t>& breaks = line_breaks.through(m.end - line_b);
    auto after = std::upper_bound(breaks.begin(), breaks.end(), m.begin - line_b);
    std::size_t sb = line_b + *(after - 1);
    std::size_t se = after == breaks.end() ? line_e : line_b + *after;
    while (m.end > se && after != breaks.end() && ++after != breaks.end()) se = line_b + *after;
    se = std::min(std::max(se, m.end), line_e);
    // A "sentence" of megabytes (a text without stops) is read only near
    // the amount, so linking stays linear in the text.
    // Windows start on a grid, so the amounts of one stretch share one
    // analysed window.
    // 512 bytes either side is more than any real sentence needs, and keeps
    // the words looked at per amount few when amounts come every few bytes.
    constexpr std::size_t kReach = 512;
    // Lines up to this size are read whole when the sentence names no one.
    constexpr std::size_t kWholeLine = 4096;
    if (se - sb > 4 * kReach) {
      std::size_t block = m.begin / kReach * kReach;
      std::size_t lo = block >= kReach ? block - kReach : 0;
      std::size_t hi = block + 2 * kReach;
      if (lo > sb) sb = snap_to_space(text, lo, m.begin);
      if (hi < se && hi > m.end) se = snap_to_space(text, hi, se);
      if (se < m.end) se = std::min(line_e, m.end);
    }
    out[d] = link_in(lex, text, &sentences, drafts, m, sb, se);
    // A headline's pieces (a quote, an ellipsis) may fall into separate
    // ICU sentences; the whole line then says who.
    if (out[d].entity.empty() && (sb != line_b || se != line_e) && line_e - line_b <= kWholeLine) {
      Link whole = link_in(lex, text, &sentences, drafts, m, line_b, line_e);
      if (!whole.entity.empty()) {
        out[d].entity = whole.entity;
        if (out[d].target.empty()) out[d].target = whole.target;
      }
    }
  }
  return out;
}

}  // namespace krfx::internal
