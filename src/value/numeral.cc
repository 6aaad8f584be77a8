#include "value/numeral.h"

#include <fmt/format.h>
#include <re2/re2.h>

#include <algorithm>
#include <vector>

namespace krfx::internal {
namespace {

struct Token {
  Tok kind = Tok::kNone;
  std::size_t begin = 0, end = 0;
  std::string_view surface;
  const Decimal* value = nullptr;  // a numeral word's, when the token pattern knows it
};

// The value of a numeral word.
const Decimal& number_of(const Lexicon& lex, const Token& t) {
  return t.value ? *t.value : at_squeezed(lex.numbers, t.surface);
}

bool allowed(Tok t, Mode mode) {
  switch (t) {
    case Tok::kArabic:
    case Tok::kDigit:
    case Tok::kSmallUnit:
    case Tok::kBigUnit:
    case Tok::kPoint:
    case Tok::kVague:
    case Tok::kApproxInfix:
      return true;
    case Tok::kNativeUnit:
    case Tok::kNativeTens:
    case Tok::kMinus:
    case Tok::kFractionOf:
    case Tok::kFractionAnd:
    case Tok::kNamed:
    case Tok::kOrdinal:
      return mode == Mode::kValue;
    default:
      return false;
  }
}

constexpr std::size_t kMaxTokenBytes = 96;
constexpr std::size_t kMaxMoneyTokens = 64;

// The token at exactly `pos`, or kNone.
Token token_at(const Lexicon& lex, std::string_view text, std::size_t pos) {
  // A token is short: matching within a small window keeps RE2 from sizing
  // its work by the rest of the document.
  const std::size_t end = std::min(text.size(), pos + kMaxTokenBytes);
  re2::StringPiece m;
  int word_tag = -1;
  if (!lex.token->Match(re2::StringPiece(text.data(), end), pos, end, RE2::ANCHOR_START, &m, 1, &word_tag) ||
      m.empty())
    return {};
  Token t;
  t.begin = pos;
  t.end = pos + m.size();
  t.surface = text.substr(pos, m.size());
  const char c = text[pos];
  if ((c >= '0' && c <= '9') || c == '.') {
    t.kind = Tok::kArabic;
  } else if (word_tag >= 0) {
    const Lexicon::TokenWord& w = lex.token_words[static_cast<std::size_t>(word_tag)];
    t.kind = w.kind;
    t.value = w.value;
  } else {
    auto it = find_squeezed(lex.token_class, t.surface);
    t.kind = it == lex.token_class.end() ? Tok::kNone : it->second;
  }
  return t;
}

bool is_blank(char c) { return c == ' ' || c == '\t'; }

// Reads the tokens into *into, which it clears first.
void lex_tokens(const Lexicon& lex, std::string_view text, std::size_t pos, Mode mode, std::vector<Token>* into,
                std::size_t limit = std::string_view::npos) {
  std::vector<Token>& out = *into;
  out.clear();
  std::size_t p = pos;
  bool seen_arabic = false, seen_digit = false;
  const std::size_t end = std::min(limit, text.size());
  while (p < end) {
    std::size_t q = p;
    if (!out.empty()) {
      if (mode == Mode::kMoney) {
        if (text[q] == ' ') ++q;
      } else {
        while (q < end && is_blank(text[q])) ++q;
      }
    }
    if (q >= end) break;
    // The longest numeral Korean writes has fewer than 50 words (9999 of
    // each of six units); stopping here keeps read_number's right-to-left
    // shrinking bounded on a run of thousands of unit words.
    if (mode == Mode::kMoney && out.size() >= kMaxMoneyTokens) break;
    Token t = token_at(lex, text.substr(0, end), q);
    if (t.kind == Tok::kNone || t.kind == Tok::kOther || !allowed(t.kind, mode)) break;
    if (mode == Mode::kMoney) {
      // 3eoki (3eok + subject particle) is not 300000002: Arabic and spelled
      // digits do not mix within one amount in running text.
      if ((t.kind == Tok::kDigit && seen_arabic) || (t.kind == Tok::kArabic && seen_digit)) break;
      if (t.kind == Tok::kArabic && !out.empty() && out.back().kind == Tok::kArabic) break;
    }
    seen_arabic |= t.kind == Tok::kArabic;
    seen_digit |= t.kind == Tok::kDigit;
    out.push_back(t);
    p = t.end;
  }
}

std::string strip_commas(std::string_view s) {
  std::string out;
  for (char c : s)
    if (c != ',') out.push_back(c);
  return out;
}

// a + b. Most sums in a numeral have a zero side (no small unit before a
// big one, no big unit above the rest): those need no arithmetic.
Decimal sum(const Decimal& a, const Decimal& b) {
  if (a.is_zero()) return b;
  if (b.is_zero()) return a;
  return a + b;
}

// Combines tokens [0, n) into a value. `pick_high` chooses the high end of a
// vague word. Returns nullopt for sequences Korean does not write.
std::optional<Decimal> combine(const Lexicon& lex, const std::vector<Token>& toks, std::size_t n, bool pick_high,
                               Number* info) {
  Decimal total, section;
  std::optional<Decimal> d, last_big, last_small;
  bool neg = false, prev_tens = false, any = false;
  for (std::size_t i = 0; i < n; ++i) {
    const Token& t = toks[i];
    const std::string_view key = t.surface;
    switch (t.kind) {
      case Tok::kMinus:
        if (i != 0) return std::nullopt;
        neg = true;
        break;
      case Tok::kArabic:
      case Tok::kDigit:
      case Tok::kVague: {
        if (d) return std::nullopt;
        Decimal v;
        if (t.kind == Tok::kArabic) {
          auto p = t.surface.find(',') == std::string_view::npos ? Decimal::parse(t.surface)
                                                                  : Decimal::parse(strip_commas(t.surface));
          if (!p) return std::nullopt;
          v = *p;
          info->has_arabic = true;
        } else if (t.kind == Tok::kDigit) {
          v = number_of(lex, t);
        } else {
          const auto& r = at_squeezed(lex.vague, key);
          v = pick_high ? r.second : r.first;
          info->vague = true;
        }
        if (last_small && !(v < *last_small)) return std::nullopt;
        d = v;
        any = true;
        break;
      }
      case Tok::kNativeTens:
        if (d) return std::nullopt;
        d = number_of(lex, t);
        prev_tens = true;
        any = true;
        continue;
      case Tok::kNativeUnit:
        if (d && prev_tens) {
          d = *d + number_of(lex, t);
        } else {
          if (d) return std::nullopt;
          d = number_of(lex, t);
        }
        any = true;
        break;
      case Tok::kSmallUnit: {
        const Decimal& u = number_of(lex, t);
        if (last_small && !(u < *last_small)) return std::nullopt;
        section = sum(section, d ? *d * u : u);
        d.reset();
        last_small = u;
        info->has_unit = true;
        any = true;
        break;
      }
      case Tok::kBigUnit: {
        const Decimal& b = number_of(lex, t);
        if (last_big && !(b < *last_big)) return std::nullopt;
        Decimal g = d ? sum(section, *d) : section;
        if (g.is_zero()) g = Decimal(1);
        if (last_big && !(g * b < *last_big)) return std::nullopt;
        total = sum(total, g * b);
        if (!last_big) info->top_big_unit = b;
        section = Decimal();
        d.reset();
        last_small.reset();
        last_big = b;
        info->has_unit = true;
        any = true;
        break;
      }
      case Tok::kPoint: {
        // The digits after a point word are read one by one: iljeomisam = 1.23.
        std::size_t j = i + 1;
        std::string frac;
        while (j < n && toks[j].kind == Tok::kDigit) {
          frac += number_of(lex, toks[j]).to_string();
          ++j;
        }
        if (frac.empty()) return std::nullopt;
        Decimal whole = d ? sum(section, *d) : section;
        auto f = Decimal::parse("0." + frac);
        d = whole + *f;
        section = Decimal();
        last_small = Decimal(1);
        i = j - 1;
        break;
      }
      case Tok::kApproxInfix:
        if (i == 0) return std::nullopt;
        info->approx = true;
        break;
      default:
        return std::nullopt;
    }
    prev_tens = false;
  }
  if (!any) return std::nullopt;
  Decimal rest = d ? sum(section, *d) : section;
  if (last_big && !(rest < *last_big)) return std::nullopt;
  Decimal v = sum(total, rest);
  return neg ? -v : v;
}

// Tokens [0, n) as a number into *out, a blank Number; false when they are
// no numeral Korean writes (*out is then to be dropped). Filled in place:
// the scan reads a number at every candidate, and a Number is four
// Decimals to move.
bool evaluate_tokens(const Lexicon& lex, const std::vector<Token>& toks, std::size_t n, Number* out) {
  Number& info = *out;
  // A lone figure (a year, a count) is most of what the scan meets; what
  // combine() makes of it is the figure itself.
  if (n == 1 && toks[0].kind == Tok::kArabic) {
    const std::string_view s = toks[0].surface;
    auto v = s.find(',') == std::string_view::npos ? Decimal::parse(s) : Decimal::parse(strip_commas(s));
    if (!v) return false;
    info.has_arabic = true;
    info.hi = *v;
    info.lo = std::move(*v);
    info.end = toks[0].end;
    info.tokens = 1;
    return true;
  }
  auto lo = combine(lex, toks, n, false, &info);
  if (!lo) return false;
  info.lo = *lo;
  info.hi = *lo;
  if (info.vague) {
    Number again;
    auto hi = combine(lex, toks, n, true, &again);
    if (!hi) return false;
    info.hi = *hi;
    if (info.hi < info.lo) std::swap(info.lo, info.hi);
  }
  info.end = toks[n - 1].end;
  info.tokens = static_cast<int>(n);
  // The unit words after a leading number, when only units follow it.
  bool only_units = n >= 2;
  Decimal tail(1);
  for (std::size_t i = 1; i < n && only_units; ++i) {
    if (toks[i].kind != Tok::kSmallUnit && toks[i].kind != Tok::kBigUnit) only_units = false;
    else tail = tail * number_of(lex, toks[i]);
  }
  if (only_units) info.unit_tail = tail;
  return true;
}

std::optional<Number> evaluate_tokens(const Lexicon& lex, const std::vector<Token>& toks, std::size_t n) {
  Number info;
  if (!evaluate_tokens(lex, toks, n, &info)) return std::nullopt;
  return info;
}

// Generic notation shared by every language: 1.5e3, -2.5^-1, 3/4, 2 1/4,
// 1 234 567. Returns nullopt when `s` is not such a figure.
std::optional<Decimal> generic_figure(const std::string& s, std::string* error) {
  static const RE2 plain(R"(([+-])? *([0-9]{1,3}(?:[ ,][0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE]([+-]?[0-9]{1,4}))?)");
  static const RE2 power(R"((-)? *([0-9]+(?:\.[0-9]+)?)\^(-|\+)?([0-9]{1,3}))");
  static const RE2 fraction(R"((-)? *(?:([0-9]+) +)?([0-9]+)/([0-9]+))");
  std::string sign, digits, exp, sign2, base, whole, num, den;
  if (RE2::FullMatch(s, plain, &sign, &digits, &exp)) {
    std::string clean;
    for (char c : digits)
      if (c != ',' && c != ' ') clean.push_back(c);
    auto v = Decimal::parse(clean);
    if (!v) return std::nullopt;
    if (!exp.empty()) {
      int e = std::stoi(exp);
      if (e >= 0) {
        v = *v * Decimal::pow10(e);
      } else {
        v = Decimal::divide_exact(*v, Decimal::pow10(-e));
      }
    }
    return sign == "-" ? -*v : *v;
  }
  if (RE2::FullMatch(s, power, &sign, &base, &sign2, &exp)) {
    auto b = Decimal::parse(base);
    int e = std::stoi(exp);
    // The exact power has about digits(base) x e digits; a figure of more
    // than kMaxPowerDigits is no amount, and computing (and, for a negative
    // exponent, dividing by) it took seconds (77...7^-946).
    constexpr std::size_t kMaxPowerDigits = 4096;
    if (base.size() * static_cast<std::size_t>(e) > kMaxPowerDigits) {
      *error = fmt::format("the power has more than {} digits", kMaxPowerDigits);
      return std::nullopt;
    }
    Decimal r(1);
    for (int i = 0; i < e; ++i) r = r * *b;
    std::optional<Decimal> v = r;
    if (sign2 == "-") v = Decimal::divide_exact(Decimal(1), r);
    if (!v) {
      *error = "the power has no finite decimal expansion";
      return std::nullopt;
    }
    return sign == "-" ? -*v : *v;
  }
  if (RE2::FullMatch(s, fraction, &sign, &whole, &num, &den)) {
    auto q = Decimal::divide_exact(*Decimal::parse(num), *Decimal::parse(den));
    if (!q) {
      *error = "the fraction has no finite decimal expansion";
      return std::nullopt;
    }
    Decimal v = *q + (whole.empty() ? Decimal() : *Decimal::parse(whole));
    return sign == "-" ? -v : v;
  }
  return std::nullopt;
}

std::string trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && (is_blank(s[b]) || s[b] == '\r' || s[b] == '\n')) ++b;
  while (e > b && (is_blank(s[e - 1]) || s[e - 1] == '\r' || s[e - 1] == '\n')) --e;
  return std::string(s.substr(b, e - b));
}

// The whole of `s` as a Korean numeral or fraction.
std::optional<Decimal> korean_figure(const Lexicon& lex, const std::string& s, Number* info, std::string* error) {
  std::vector<Token> toks;
  lex_tokens(lex, s, 0, Mode::kValue, &toks);
  if (toks.empty() || toks.back().end != s.size()) return std::nullopt;
  if (toks.back().kind == Tok::kOrdinal) toks.pop_back();
  if (toks.empty()) return std::nullopt;
  if (toks.size() == 1 && toks[0].kind == Tok::kNamed) return lex.numbers.at(squeeze(toks[0].surface));
  std::size_t of = toks.size();
  for (std::size_t i = 0; i < toks.size(); ++i)
    if (toks[i].kind == Tok::kFractionOf) of = i;
  if (of == toks.size()) {
    auto n = evaluate_tokens(lex, toks, toks.size());
    if (!n) return std::nullopt;
    *info = *n;
    return n->vague ? std::nullopt : std::optional<Decimal>(n->lo);
  }
  // [whole and] denominator bunui numerator
  std::size_t and_at = of;
  for (std::size_t i = 0; i < of; ++i)
    if (toks[i].kind == Tok::kFractionAnd) and_at = i;
  std::vector<Token> whole(toks.begin(), toks.begin() + static_cast<long>(and_at == of ? 0 : and_at));
  std::vector<Token> den(toks.begin() + static_cast<long>(and_at == of ? 0 : and_at + 1), toks.begin() + static_cast<long>(of));
  std::vector<Token> num(toks.begin() + static_cast<long>(of + 1), toks.end());
  // Digits may stand as Arabic figures inside a spelled fraction (3bunui 1).
  auto value_of = [&](const std::vector<Token>& part) -> std::optional<Decimal> {
    if (part.empty()) return std::nullopt;
    auto n = evaluate_tokens(lex, part, part.size());
    if (!n || n->vague) return std::nullopt;
    return n->lo;
  };
  auto d = value_of(den), n = value_of(num);
  if (!d || !n || (and_at != of && whole.empty())) return std::nullopt;
  auto q = Decimal::divide_exact(*n, *d);
  if (!q) {
    *error = "the fraction has no finite decimal expansion";
    return std::nullopt;
  }
  if (and_at == of) return *q;
  auto w = value_of(whole);
  if (!w) return std::nullopt;
  return *w + *q;
}

}  // namespace

bool read_number(const Lexicon& lex, std::string_view text, std::size_t pos, Mode mode, Number* out) {
  // Kept from call to call: the scan reads a number at every candidate,
  // and a fresh vector cost an allocation each time.
  thread_local std::vector<Token> toks;
  lex_tokens(lex, text, pos, mode, &toks);
  // Shrink from the right until the tokens form a numeral Korean writes.
  for (std::size_t n = toks.size(); n > 0; --n) {
    if (evaluate_tokens(lex, toks, n, out)) return true;
    *out = Number();  // what the failed reading left
  }
  return false;
}

ValueResult evaluate_expression(const Lexicon& lex, std::string_view expr) {
  ValueResult r;
  std::string s = trim(expr);
  if (s.empty()) {
    r.error = "empty expression";
    return r;
  }
  re2::StringPiece sp(s);
  std::size_t begin = 0, end = s.size();
  // A currency before (US$, USD) or after (dalreo, won) the figure.
  re2::StringPiece m;
  if (lex.prefix_re->Match(sp, 0, s.size(), RE2::ANCHOR_START, &m, 1)) {
    r.currency = lex.currency_prefix.at(squeeze(m.as_string())).iso;
    begin = m.size();
  } else if (lex.iso_re->Match(sp, 0, s.size(), RE2::ANCHOR_START, &m, 1) && lex.iso_codes.count(m.as_string()) &&
             (s.size() == 3 || !((s[3] >= 'A' && s[3] <= 'Z') || (s[3] >= 'a' && s[3] <= 'z')))) {
    r.currency = m.as_string();
    begin = 3;
  } else {
    for (std::size_t p = 1; p < s.size(); ++p) {
      if ((static_cast<unsigned char>(s[p]) & 0xC0) == 0x80) continue;
      std::string tail = s.substr(p);
      std::string key = squeeze(tail);
      auto it = lex.currency.find(key);
      if (it != lex.currency.end() && RE2::FullMatch(tail, *lex.currency_re)) {
        r.currency = it->second.iso;
        end = p;
        break;
      }
      if (lex.iso_codes.count(tail) && (s[p - 1] == ' ' || (s[p - 1] >= '0' && s[p - 1] <= '9'))) {
        r.currency = tail;
        end = p;
        break;
      }
    }
  }
  std::string body = trim(std::string_view(s).substr(begin, end - begin));
  Decimal factor(1);
  if (!r.currency.empty()) {
    auto it = lex.currency.find(squeeze(s.substr(end)));
    if (it != lex.currency.end()) factor = it->second.factor;
  }
  // An English scale word after the figure (2.5 million).
  for (std::size_t p = 1; p < body.size(); ++p) {
    std::string tail = body.substr(p);
    if (body[p - 1] != ' ' && !(body[p - 1] >= '0' && body[p - 1] <= '9')) continue;
    auto it = lex.numbers.find(tail);
    if (it != lex.numbers.end() && RE2::FullMatch(tail, *lex.scale_re)) {
      factor = factor * it->second;
      body = trim(body.substr(0, p));
      break;
    }
  }
  std::string error;
  Number info;
  std::optional<Decimal> v = generic_figure(body, &error);
  if (!v && error.empty()) {
    v = korean_figure(lex, body, &info, &error);
    if (!v && info.vague && error.empty()) {
      r.ok = true;
      r.low = info.lo * factor;
      r.high = info.hi * factor;
      return r;
    }
  }
  if (!v) {
    r.error = error.empty() ? fmt::format("'{}' is not a figure", std::string(expr)) : error;
    return r;
  }
  r.ok = true;
  r.value = *v * factor;
  return r;
}

}  // namespace krfx::internal
