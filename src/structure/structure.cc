#include "structure/structure.h"

#include <algorithm>

namespace krfx::internal {
namespace {

std::size_t skip_spaces(std::string_view t, std::size_t p) {
  while (p < t.size() && (t[p] == ' ' || t[p] == '\t')) ++p;
  return p;
}

std::size_t skip_spaces_back(std::string_view t, std::size_t p) {
  while (p > 0 && (t[p - 1] == ' ' || t[p - 1] == '\t')) --p;
  return p;
}

// Working form of an amount while atoms are combined.
struct Item {
  Item() {}  // (user-provided: see Atom's)
  std::size_t begin = 0, end = 0;
  std::string currency;
  Decimal lo, hi;
  bool is_range = false;  // low/high rather than a value
  bool approx = false;
  Bound bound = Bound::kNone;
  bool has_unit = false;
  bool has_big_unit = false;
  Decimal top_big_unit{1};
  Decimal unit_tail{1};
  std::size_t closer_end = 0;  // after the word closing a range (buteo ... kkaji)
  bool alive = true;
  bool conversion = false;
  bool rate = false;            // an exchange rate the text states, not money
  int restates = -1;            // index of the restated item
  std::size_t paren_end = 0;    // after the ')' of this item's restatement
};

// Into *out, a blank Item: filled in place, as an Item is four Decimals
// and a string to move.
void from_atom(const Atom& a, Item* out) {
  Item& it = *out;
  it.begin = a.begin;
  it.end = a.end;
  it.currency = a.currency;
  const Decimal one(1);
  const bool scaled = a.scale != one;
  // Nearly every atom has neither a scale word nor a subunit: its values
  // are the number's, with no multiplying.
  Decimal k = scaled || a.factor != one ? a.scale * a.factor : one;
  if (a.negative) k = -k;
  if (k == one) {
    it.lo = a.number.lo;
    it.hi = a.number.hi;
  } else {
    it.lo = a.number.lo * k;
    it.hi = a.number.hi * k;
  }
  it.is_range = a.number.vague;
  it.approx = a.number.approx || a.number.vague;
  it.has_unit = a.number.has_unit || scaled;
  it.top_big_unit = a.number.top_big_unit;
  it.has_big_unit = a.number.top_big_unit != Decimal(1);
  it.unit_tail = a.number.unit_tail;
  if (a.band && !a.number.vague) {
    it.hi = it.lo + a.number.lo.lowest_place() * k;
    it.is_range = true;
  }
  // With k = 1 the number's own order stands: its lo <= hi, and a band
  // lies above its figure.
  if (k != one && it.hi < it.lo) std::swap(it.lo, it.hi);
}

// 1dalreo 20senteu: a subunit amount right after an amount of its currency.
void join_subunits(std::string_view text, const std::vector<Atom>& atoms, std::vector<Item>* items) {
  for (std::size_t i = 0; i + 1 < items->size(); ++i) {
    Item& a = (*items)[i];
    const Item& b = (*items)[i + 1];
    if (!a.alive || a.currency.empty() || a.is_range || atoms[i].factor != Decimal(1)) continue;
    if (b.currency != a.currency || !(atoms[i + 1].factor < Decimal(1))) continue;
    if (skip_spaces(text, a.end) != b.begin || b.begin - a.end > 1) continue;
    a.lo = a.lo + b.lo;
    a.hi = a.lo;
    a.end = b.end;
    (*items)[i + 1].alive = false;
  }
}

void join_ranges(const Lexicon& lex, std::string_view text, std::vector<Item>* items) {
  for (std::size_t i = 0; i + 1 < items->size(); ++i) {
    Item& a = (*items)[i];
    if (!a.alive) continue;
    std::size_t j = i + 1;
    while (j < items->size() && !(*items)[j].alive) ++j;
    if (j == items->size()) break;
    Item& b = (*items)[j];
    // Ends share a currency; two bare ends with units (1jo 4000eok~2jo) may
    // still restate an amount in the home currency.
    bool bare = b.currency.empty() && a.currency.empty() && b.has_big_unit;
    if (!bare && (b.currency.empty() || (!a.currency.empty() && a.currency != b.currency))) continue;
    std::size_t p = skip_spaces(text, a.end);
    std::size_t n = match_words_at(lex.connector_re, lex.connector_words, text, p);
    if (n == std::string_view::npos || n == 0 || skip_spaces(text, p + n) != b.begin) continue;
    const Lexicon::Connector& conn = at_squeezed(lex.connectors, text.substr(p, n));
    std::size_t after = skip_spaces(text, b.end);
    bool vetoed = false;
    for (const std::string& w : conn.not_before)
      if (text.substr(b.end, w.size()) == w) vetoed = true;
    if (vetoed) continue;
    Decimal lo = a.lo, hi = b.hi;
    // A first end without units takes the units that follow the second
    // end's leading number (3~5 jo won, 5~6 cheonman won); one with small
    // units only takes the second end's big unit (1baek~2baekman won).
    if (a.currency.empty() && !a.has_big_unit && (b.top_big_unit != Decimal(1) || b.unit_tail != Decimal(1))) {
      Decimal m = a.has_unit ? b.top_big_unit : b.unit_tail;
      if (!(a.lo * m <= b.lo)) m = b.top_big_unit;
      if (a.lo * m <= b.lo) lo = a.lo * m;
    }
    if (!(lo < hi)) continue;
    a.has_big_unit = true;
    a.lo = lo;
    a.hi = hi;
    a.is_range = true;
    a.approx = a.approx || b.approx;
    a.currency = b.currency;
    a.end = b.end;
    a.has_unit = true;
    b.alive = false;
    if (!conn.closer.empty() && text.substr(after, conn.closer.size()) == conn.closer &&
        follows_well(lex, text, after + conn.closer.size()))
      a.closer_end = after + conn.closer.size();
  }
}

// The prefix qualifier ending right before `begin`, as a word of its own.
const Qualifier* prefix_qualifier(const Lexicon& lex, std::string_view text, std::size_t begin) {
  std::size_t e = skip_spaces_back(text, begin);
  std::size_t from = e >= 48 ? e - 48 : 0;
  while (from > 0 && (static_cast<unsigned char>(text[from]) & 0xC0) == 0x80) ++from;
  re2::StringPiece m;
  // The window ends the searched text, so the pattern's '$' anchors there.
  if (!may_end_at(lex.prefix_q_last, text, e) || !word_ends_at(lex.prefix_q_words, text, from, e) ||
      !lex.prefix_q_tail->Match(piece(text.substr(0, e)), from, e, RE2::UNANCHORED, &m, 1))
    return nullptr;
  std::size_t s = static_cast<std::size_t>(m.data() - text.data());
  if (hangul_before(text, s)) return nullptr;  // gyeyak is not yak
  return &at_squeezed(lex.prefix_qualifier, std::string_view(m.data(), m.size()));
}

// The suffix qualifier at `p`, if it ends a word there.
const Qualifier* suffix_qualifier(const Lexicon& lex, std::string_view text, std::size_t p, std::size_t* end) {
  std::size_t n = match_words_at(lex.suffix_q_re, lex.suffix_q_words, text, p);
  if (n == std::string_view::npos || n == 0) return nullptr;
  // One syllable (seon, jjeum) is too short to trust inside a longer word.
  if (n <= 3 && !follows_well(lex, text, p + n)) return nullptr;
  *end = p + n;
  return &at_squeezed(lex.suffix_qualifier, text.substr(p, n));
}

void apply(const Qualifier* q, Item* it) {
  if (!q) return;
  if (q->approx) it->approx = true;
  if (q->bound != Bound::kNone) it->bound = q->bound;
}

// "5000eok dollars, about 729jo won": an approximate amount in another
// currency right after an amount, with only a comma between, restates it.
void link_apposition(const Lexicon& lex, std::string_view text, std::vector<Item>* items, std::size_t i,
                     std::size_t at) {
  Item& p = (*items)[i];
  std::size_t j = i + 1;
  while (j < items->size() && !(*items)[j].alive) ++j;
  if (j == items->size()) return;
  Item& q = (*items)[j];
  if (text[at] == ',') at = skip_spaces(text, at + 1);
  std::size_t e = skip_spaces_back(text, q.begin);
  re2::StringPiece m;
  if (e <= at || !may_end_at(lex.prefix_q_last, text, e) ||
      lex.prefix_q_words.longest_ending_at(text, at, e) != e - at ||
      !lex.prefix_q_tail->Match(piece(text.substr(0, e)), at, e, RE2::ANCHOR_BOTH, &m, 1))
    return;
  if (!at_squeezed(lex.prefix_qualifier, std::string_view(m.data(), m.size())).approx) return;
  std::string cur = q.currency.empty() && q.has_unit && p.currency != lex.home_currency ? lex.home_currency : q.currency;
  if (cur.empty() || cur == p.currency) return;
  q.currency = cur;
  q.conversion = true;
  q.restates = static_cast<int>(i);
}

// 5000eokdalreo(yak 729jowon): the amount in parentheses right after an amount in
// another currency restates it. A bare amount there takes the home currency.
void link_restatements(const Lexicon& lex, std::string_view text, std::vector<Item>* items) {
  for (std::size_t i = 0; i < items->size(); ++i) {
    Item& p = (*items)[i];
    if (!p.alive || p.currency.empty() || p.conversion) continue;
    std::size_t open = skip_spaces(text, p.end);
    if (open >= text.size()) continue;
    if (text[open] != '(' && text[open] != '[') {
      link_apposition(lex, text, items, i, open);
      continue;
    }
    std::size_t j = i + 1;
    while (j < items->size() && !(*items)[j].alive) ++j;
    if (j == items->size()) continue;
    Item& q = (*items)[j];
    std::size_t inside = skip_spaces(text, open + 1);
    // A label (hanhwa, wonhwa: "in won") may open the restatement.
    if (lex.label_re) {
      std::size_t n = match_at(*lex.label_re, text, inside);
      if (n != std::string_view::npos && n > 0) inside = skip_spaces(text, inside + n);
    }
    if (q.begin != inside) {
      // Only a prefix qualifier may stand between '(' and the amount.
      std::size_t e = skip_spaces_back(text, q.begin);
      if (e <= inside || lex.prefix_q_words.longest_ending_at(text, inside, e) != e - inside ||
          !lex.prefix_q_tail->Match(piece(text.substr(0, e)), inside, e, RE2::ANCHOR_BOTH, nullptr, 0))
        continue;
    }
    std::size_t close = skip_spaces(text, q.end);
    std::size_t qe;
    if (suffix_qualifier(lex, text, close, &qe)) close = skip_spaces(text, qe);
    // The restatement ends the parenthesis or is followed by more in it
    // (yak 9000eok won, 65 million dollars) or (... , as of the second quarter).
    const char closer = text[open] == '(' ? ')' : ']';
    if (close >= text.size()) continue;
    bool ends = text[close] == closer;
    bool more = text[close] == ',' || text.substr(close, 2) == "\xC2\xB7" || text[close] == ';' || text[close] == '/';
    if (!ends && !more) continue;
    if (more) {
      std::size_t k = close;
      while (k < text.size() && text[k] != closer && text[k] != '\n' && k < close + 160) ++k;
      if (k >= text.size() || text[k] != closer) continue;
      close = k;
    }
    std::string cur = q.currency;
    if (cur.empty()) {
      if (p.currency == lex.home_currency || !q.has_unit) continue;
      cur = lex.home_currency;
    }
    if (cur == p.currency) continue;
    q.currency = cur;
    q.conversion = true;
    q.restates = static_cast<int>(i);
    p.paren_end = close + 1;
  }
}

// After a short aside in parentheses, 3jowon(yeongyeol gijun) isang: where the
// qualifier would stand. `end` itself when there is no aside.
std::size_t aside_end(std::string_view text, std::size_t end) {
  constexpr std::size_t kMaxAside = 96;
  std::size_t open = skip_spaces(text, end);
  if (open >= text.size() || text[open] != '(') return end;
  for (std::size_t i = open + 1; i < text.size() && i <= open + kMaxAside; ++i) {
    if (text[i] == ')') return i + 1;
    if (text[i] == '(' || text[i] == '\n') return end;
  }
  return end;
}

void apply_qualifiers(const Lexicon& lex, std::string_view text, std::vector<Item>* items) {
  for (Item& it : *items) {
    if (!it.alive || it.currency.empty()) continue;
    apply(prefix_qualifier(lex, text, it.begin), &it);
    if (it.closer_end) continue;
    // A qualifier after a restatement in parentheses belongs to the amount
    // restated: 150eokdalreo(yak 21jo9000eok) isang.
    std::size_t p = skip_spaces(text, it.paren_end ? it.paren_end : aside_end(text, it.end));
    std::size_t e;
    apply(suffix_qualifier(lex, text, p, &e), &it);
  }
}

const CurrencyWord* currency_word(const Lexicon& lex, std::string_view surface) {
  auto it = find_squeezed(lex.currency, surface);
  return it == lex.currency.end() ? nullptr : &it->second;
}

// The currency word of the per_tail match ending the window text[from, e)
// (1 dollar per), as the pattern's group, or false when it does not match.
// RE2 finds a group with its backtracking matcher, which over the long
// currency alternation takes microseconds. Instead its DFA finds the
// match; the currency pattern, the first of its words at the match's
// start; and the per-word pattern, the rest: the first currency word that
// the rest completes is the group. Where the rest does not, RE2 is asked.
bool per_currency(const Lexicon& lex, std::string_view text, std::size_t from, std::size_t e, re2::StringPiece* cur) {
  const std::string_view window = text.substr(0, e);
  re2::StringPiece whole;
  if (!lex.per_tail->Match(piece(window), from, e, RE2::UNANCHORED, &whole, 1)) return false;
  const auto b = static_cast<std::size_t>(whole.data() - text.data());
  const std::size_t n = match_words_at(lex.currency_re, lex.currency_words, window, b);
  if (n != std::string_view::npos && n > 0) {
    const RE2& per = *lex.per_tail.guard();
    const auto per_at = [&](std::size_t p) {
      return p <= e && per.Match(piece(window), p, e, RE2::ANCHOR_BOTH, nullptr, 0);
    };
    // The optional space between the two, taken or not.
    if (per_at(b + n) || (b + n < e && window[b + n] == ' ' && per_at(b + n + 1))) {
      *cur = re2::StringPiece(text.data() + b, n);
      return true;
    }
  }
  re2::StringPiece groups[2];
  if (!lex.per_tail->Match(piece(window), from, e, RE2::UNANCHORED, groups, 2)) return false;
  *cur = groups[1];
  return true;
}

// "1,460 won per dollar", "won-dollar rate 1,450 won": the amount is a rate.
void find_stated_rates(const Lexicon& lex, std::string_view text, std::vector<Item>* items,
                       std::vector<StatedRate>* rates) {
  constexpr std::size_t kWindow = 60;
  for (std::size_t i = 0; i < items->size(); ++i) {
    Item& q = (*items)[i];
    if (!q.alive || q.currency.empty() || q.is_range || q.conversion) continue;
    std::size_t e = skip_spaces_back(text, q.begin);
    std::size_t from = e >= kWindow ? e - kWindow : 0;
    while (from < e && (static_cast<unsigned char>(text[from]) & 0xC0) == 0x80) ++from;
    std::string base;
    Decimal per(1);
    re2::StringPiece cur;
    // The per-word ends the window: where no word of it can end there,
    // no RE2 search is needed to know.
    if (may_end_at(lex.per_last, text, e) && per_currency(lex, text, from, e, &cur)) {
      if (const CurrencyWord* w = currency_word(lex, std::string_view(cur.data(), cur.size()))) base = w->iso;
      // 1 dollar per: the unit amount before the per word is part of the rate.
      std::size_t cur_end = static_cast<std::size_t>(cur.data() - text.data()) + cur.size();
      // Backwards, and only as far as the window: live items do not overlap,
      // so one that ends before the window ends every earlier one there too
      // (a text of thousands of rates stays linear).
      for (std::size_t j = i; j-- > 0;) {
        Item& p = (*items)[j];
        if (p.alive && p.end < from) break;
        if (p.alive && p.end == cur_end && !p.is_range && !p.lo.is_zero()) {
          per = p.lo;
          p.alive = false;
        }
      }
    } else {
      // A rate word, then another currency, in the same clause.
      if (q.paren_end) continue;
      // Nearly every window has no rate word: the trie tells so without
      // RE2, before the clause is looked for.
      if (!has_word_in(lex.rate_words, lex.rate_first, text, from, e)) continue;
      // The clause: back to the last full stop or line end (find_last_of
      // took a memchr per byte of the window).
      std::size_t start = e;
      while (start > from && text[start - 1] != '.' && text[start - 1] != '\n') --start;
      std::string_view window = text.substr(start, e - start);
      re2::StringPiece w(window.data(), window.size());
      re2::StringPiece m;
      if (!lex.rate_word_re->Match(w, 0, w.size(), RE2::UNANCHORED, &m, 1)) continue;
      // The amount must follow the rate word at once, or after a particle
      // ("the rate is 1,450 won"); a rate that "fell 4 won to 1,385 won" is not read.
      std::size_t after = static_cast<std::size_t>(m.data() - text.data()) + m.size();
      std::size_t p = match_words_at(lex.follow_re, lex.follow_words, text, after);
      if (p != std::string_view::npos) after += p;
      if (skip_spaces(text, after) != q.begin) continue;
      re2::StringPiece c;
      re2::StringPiece rest = w;
      while (RE2::FindAndConsume(&rest, *lex.currency_re, &c)) {
        const CurrencyWord* cw = currency_word(lex, c.as_string());
        if (cw && cw->iso != q.currency && cw->factor == Decimal(1)) base = cw->iso;
      }
    }
    if (base.empty() || base == q.currency) continue;
    Decimal value = Decimal::divide_exact(q.lo, per).value_or(round_significant(to_rational(q.lo) / to_rational(per), 12));
    rates->push_back(StatedRate{base, q.currency, value, static_cast<std::int64_t>(q.begin)});
    // The rate itself stays a mention (it is a price of money); the unit
    // amount of "1 dollar per" was never one.
    q.rate = true;
  }
}

}  // namespace

Structured build_mentions(const Lexicon& lex, std::string_view text, std::vector<Atom> atoms) {
  std::vector<Item> items;
  items.reserve(atoms.size());
  for (const Atom& a : atoms) from_atom(a, &items.emplace_back());
  join_subunits(text, atoms, &items);
  join_ranges(lex, text, &items);
  link_restatements(lex, text, &items);
  apply_qualifiers(lex, text, &items);
  Structured result;
  find_stated_rates(lex, text, &items, &result.rates);

  std::vector<Draft>& out = result.mentions;
  out.reserve(items.size());
  std::vector<int> index(items.size(), -1);
  for (std::size_t i = 0; i < items.size(); ++i) {
    const Item& it = items[i];
    if (!it.alive || it.currency.empty()) continue;
    Draft& d = out.emplace_back();
    d.begin = it.begin;
    d.end = it.end;
    d.currency = it.currency;
    if (it.is_range) {
      d.low = it.lo;
      d.high = it.hi;
    } else {
      d.value = it.lo;
    }
    d.approx = it.approx;
    d.bound = it.bound;
    // A restatement of something that turned out not to be money (a rate)
    // stands on its own.
    if (it.conversion && index[static_cast<std::size_t>(it.restates)] >= 0) {
      d.role = Role::kConversion;
      d.restates = index[static_cast<std::size_t>(it.restates)];
    }
    index[i] = static_cast<int>(out.size()) - 1;
  }
  return result;
}

}  // namespace krfx::internal
