#include "scan/scanner.h"

#include <algorithm>

namespace krfx::internal {
namespace {

bool is_latin(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

std::size_t skip_space(std::string_view text, std::size_t p) { return p < text.size() && text[p] == ' ' ? p + 1 : p; }

// A currency word or code written after the numeral, from `p`.
bool currency_after(const Lexicon& lex, std::string_view text, std::size_t p, Atom* a) {
  std::size_t q = skip_space(text, p);
  // Most numbers are followed by no currency (years, percentages,
  // counts): the word trie tells so without an RE2 call.
  int tag = -1;
  std::size_t n = match_words_at(lex.currency_re, lex.currency_words, text, q, &tag);
  if (n != std::string_view::npos && n > 0) {
    std::size_t end = q + n;
    bool glued = is_hangul_at(text, end) && hangul_before(text, end);
    if (!glued || follows_well(lex, text, end)) {
      const CurrencyWord& w = tag >= 0 ? *lex.currency_tags[static_cast<std::size_t>(tag)]
                                       : at_squeezed(lex.currency, text.substr(q, n));
      a->currency = w.iso;
      a->factor = w.factor;
      a->end = end;
      return true;
    }
  }
  n = capital_at(text, q) ? match_at(*lex.iso_re, text, q) : std::string_view::npos;
  if (n == 3 && lex.iso_codes.count(text.substr(q, 3)) &&
      (q + 3 >= text.size() || !is_latin(text[q + 3]))) {
    a->currency = std::string(text.substr(q, 3));
    a->end = q + 3;
    return true;
  }
  return false;
}

// Reads the atom at `s` into *out, a blank Atom; false when there is none.
bool read_atom(const Lexicon& lex, std::string_view text, std::size_t s, std::size_t prev_end, Atom* out,
               int depth = 0) {
  // A figure does not start inside another: the tail of 1,0000 or of a
  // number longer than a token (96 bytes) is not an amount of its own.
  const auto digit = [&](std::size_t i) { return text[i] >= '0' && text[i] <= '9'; };
  if (s > 0 && digit(s) &&
      (digit(s - 1) || ((text[s - 1] == ',' || text[s - 1] == '.') && s >= 2 && digit(s - 2))))
    return false;
  Atom& a = *out;
  a.begin = s;
  std::size_t p = s;
  std::size_t n = match_words_at(lex.prefix_re, lex.prefix_words, text, p);
  if (n != std::string_view::npos && n > 0) {
    const CurrencyWord& w = at_squeezed(lex.currency_prefix, text.substr(p, n));
    a.currency = w.iso;
    a.factor = w.factor;
    p = skip_space(text, p + n);
  } else if (capital_at(text, p) && match_at(*lex.iso_re, text, p) == 3 && lex.iso_codes.count(text.substr(p, 3)) &&
             (p == 0 || !is_latin(text[p - 1])) && p + 3 < text.size() && !is_latin(text[p + 3])) {
    a.currency = std::string(text.substr(p, 3));
    p = skip_space(text, p + 3);
  }
  if (!read_number(lex, text, p, Mode::kMoney, &a.number)) return false;
  const Number& number = a.number;
  a.spelled = !number.has_arabic;
  a.number_end = number.end;
  a.end = number.end;
  // English scale word: $500 billion, US$15bn.
  std::size_t q = skip_space(text, number.end);
  if (number.has_arabic && !number.has_unit) {
    std::size_t m = match_list_at(lex.scale_re, lex.scale_first, text, q);
    if (m != std::string_view::npos && m > 0) {
      a.scale = lex.numbers.find(text.substr(q, m))->second;
      a.number_end = a.end = q + m;
    }
  }
  if (a.currency.empty()) currency_after(lex, text, a.end, &a);
  if (a.spelled && a.currency.empty()) return false;
  bool starts_spelled = !(text[p] >= '0' && text[p] <= '9') && text[p] != '.';
  if (starts_spelled) {
    // A numeral that starts with a word (cheon, i, hae) must stand as a word of
    // its own: wihae is not 10^20.
    if (hangul_before(text, s) && s != prev_end) {
      std::size_t from = s >= 24 ? s - 24 : 0;
      re2::StringPiece m;
      if (!may_end_at(lex.attach_last, text, s) || !word_ends_at(lex.attach_words, text, from, s) ||
          !lex.attach_tail->Match(piece(text.substr(0, s)), from, s, RE2::UNANCHORED, &m, 1))
        return false;
      // The attached word must be a word of its own: maegak is not mae.
      if (hangul_before(text, static_cast<std::size_t>(m.data() - text.data()))) return false;
    }
    // Listed look-alike words (gongwon, sawon) are not amounts, unless a
    // subunit amount follows at once (ibulisipsamsenteu is 2.23 dollars).
    std::size_t v = match_words_at(lex.veto_re, lex.veto_words, text, s);
    if (v != std::string_view::npos && s + v > a.number_end) {
      Atom next;
      if (depth != 0 || !read_atom(lex, text, a.end, a.end, &next, 1) || next.currency != a.currency ||
          !(next.factor < Decimal(1)))
        return false;
    }
  }
  // A sign right before the figure (-300eok won, triangle 300eok won) makes
  // it negative; a hyphen after another amount joins a range instead.
  if (s > 0 && s != prev_end) {
    std::size_t e = s;
    bool spaced = text[e - 1] == ' ';
    if (spaced) --e;
    std::size_t from = e >= 24 ? e - 24 : 0;
    while (from < e && (static_cast<unsigned char>(text[from]) & 0xC0) == 0x80) ++from;
    re2::StringPiece m;
    if (may_end_at(lex.sign_last, text, e) && word_ends_at(lex.sign_words, text, from, e) &&
        lex.sign_tail->Match(piece(text.substr(0, e)), from, e, RE2::UNANCHORED, &m, 1)) {
      std::size_t b = static_cast<std::size_t>(m.data() - text.data());
      // A word sign (minus spelled out) may stand apart; a symbol is glued.
      bool word = hangul_before(text, e);
      bool free_before = b == 0 || text[b - 1] == ' ' || text[b - 1] == '(' || text[b - 1] == '\n' ||
                         text[b - 1] == '\t' || (word && !hangul_before(text, b));
      if (free_before && b != prev_end && (!spaced || word)) {
        a.negative = true;
        a.sign_begin = b;
        a.begin = b;
      }
    }
  }
  if (lex.lone_unit_max && number.tokens == 1 && number.has_unit && !number.has_arabic &&
      *lex.lone_unit_max < number.lo)
    return false;
  if (!a.currency.empty()) {
    std::size_t b = match_words_at(lex.band_re, lex.band_words, text, a.end);
    if (b != std::string_view::npos && b > 0 && follows_well(lex, text, a.end + b) &&
        hangul_before(text, a.end)) {
      a.band = true;
      a.end += b;
    }
  }
  return true;
}

}  // namespace

bool is_hangul_at(std::string_view text, std::size_t byte) {
  if (byte + 3 > text.size()) return false;
  auto b0 = static_cast<unsigned char>(text[byte]);
  auto b1 = static_cast<unsigned char>(text[byte + 1]);
  auto b2 = static_cast<unsigned char>(text[byte + 2]);
  if ((b0 & 0xF0) != 0xE0) return false;
  unsigned cp = ((b0 & 0x0Fu) << 12) | ((b1 & 0x3Fu) << 6) | (b2 & 0x3Fu);
  return cp >= 0xAC00 && cp <= 0xD7A3;
}

bool hangul_before(std::string_view text, std::size_t byte) { return byte >= 3 && is_hangul_at(text, byte - 3); }

std::size_t match_at(const RE2& re, std::string_view text, std::size_t pos) {
  re2::StringPiece m;
  if (pos > text.size()) return std::string_view::npos;
  const std::size_t end = std::min(text.size(), pos + kMatchWindow);
  if (!re.Match(re2::StringPiece(text.data(), end), pos, end, RE2::ANCHOR_START, &m, 1))
    return std::string_view::npos;
  return m.size();
}

bool follows_well(const Lexicon& lex, std::string_view text, std::size_t end) {
  return !is_hangul_at(text, end) || match_words_at(lex.follow_re, lex.follow_words, text, end) != std::string_view::npos;
}

std::vector<Atom> scan_atoms(const Lexicon& lex, std::string_view text) {
  std::vector<Atom> atoms;
  // News holds a candidate per fifty-odd bytes, nearly all of them atoms;
  // growing from empty moved every Atom (six Decimals and a string) several
  // times over. Capped, so that a huge document without figures reserves
  // little.
  atoms.reserve(std::min<std::size_t>(text.size() / 48 + 4, 1024));
  std::size_t pos = 0, prev_end = std::string_view::npos;
  re2::StringPiece m;
  while (pos < text.size() && lex.scan->Match(piece(text), pos, text.size(), RE2::UNANCHORED, &m, 1)) {
    std::size_t s = static_cast<std::size_t>(m.data() - text.data());
    // Read in place: an Atom is six Decimals and a string, and most
    // candidates become one.
    if (read_atom(lex, text, s, prev_end, &atoms.emplace_back())) {
      prev_end = atoms.back().end;
      pos = prev_end;
      continue;
    }
    atoms.pop_back();
    // Step one code point and look again. Inside a failed candidate of
    // more than kMaxCandidate bytes (a run of numeral syllables thousands
    // long), a start is only worth trying near its end: any earlier one
    // runs just as far and is no numeral either. Trying every one would
    // make the scan quadratic in the run.
    constexpr std::size_t kMaxCandidate = 1024;
    pos = s + 1;
    // No figure starts inside a run of digits (read_atom refuses those
    // starts), so a failed figure is passed over whole: one search per
    // year or percentage, not one per digit.
    const auto digit = [&](std::size_t i) { return i < text.size() && text[i] >= '0' && text[i] <= '9'; };
    if (digit(s))
      while (digit(pos) || (pos < text.size() && (text[pos] == ',' || text[pos] == '.') && digit(pos + 1))) ++pos;
    if (m.size() > kMaxCandidate) pos = std::max(pos, s + m.size() - kMaxCandidate);
    while (pos < text.size() && (static_cast<unsigned char>(text[pos]) & 0xC0) == 0x80) ++pos;
  }
  return atoms;
}

}  // namespace krfx::internal
