// krfx report: aggregation of checked mentions into rows by entity and
// action, with repeats skipped and stated totals replacing their parts.
// What is counted and why: include/krfx/report.h.
#include <krfx/report.h>

#include "rules/embedded.h"
#include "rules/rule_file.h"
#include "write/escape.h"

#include <fmt/format.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string_view>
#include <unordered_set>
#include <utility>

namespace krfx {
namespace {

constexpr const char* kReportRules = "report.rules";
constexpr std::string_view kEmbeddedReportRules = "ko/report.rules";

// ---------------------------------------------------------------------------
// UTF-8

// The code point at `pos` (advanced past it), or -1 for an invalid byte,
// which consumes one byte.
UChar32 next_cp(std::string_view s, std::size_t* pos) {
  int32_t i = static_cast<int32_t>(*pos);
  const int32_t n = static_cast<int32_t>(s.size());
  UChar32 c = 0;
  U8_NEXT(reinterpret_cast<const uint8_t*>(s.data()), i, n, c);
  *pos = static_cast<std::size_t>(i);
  return c;
}

// The code point that ends right before `pos` (moved to its start), or -1.
UChar32 prev_cp(std::string_view s, std::size_t* pos) {
  int32_t i = static_cast<int32_t>(*pos);
  UChar32 c = 0;
  U8_PREV(reinterpret_cast<const uint8_t*>(s.data()), 0, i, c);
  *pos = static_cast<std::size_t>(i);
  return c;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }

// ---------------------------------------------------------------------------
// Sentences

// Byte offsets where sentences start: 0, after every line break, and after
// '.', '!', '?' (ASCII or fullwidth) followed by whitespace or the end of the
// text, and after an ideographic full stop.
std::vector<std::size_t> sentence_starts(std::string_view text) {
  std::vector<std::size_t> starts{0};
  std::size_t pos = 0;
  while (pos < text.size()) {
    UChar32 c = next_cp(text, &pos);
    bool end = false;
    if (c == '\n' || c == 0x3002) end = true;
    else if (c == '.' || c == '!' || c == '?' || c == 0xFF01 || c == 0xFF1F || c == 0xFF0E)
      end = pos == text.size() || is_space(text[pos]);
    if (end && pos < text.size()) starts.push_back(pos);
  }
  return starts;
}

struct Sentence {
  std::size_t begin = 0, end = 0;
};

Sentence sentence_at(const std::vector<std::size_t>& starts, std::size_t text_size, std::size_t byte) {
  auto it = std::upper_bound(starts.begin(), starts.end(), byte);
  Sentence s;
  s.begin = *(it - 1);
  s.end = it == starts.end() ? text_size : *it;
  return s;
}

// The sentence with whitespace runs as single spaces, trimmed; and its
// number of words.
std::pair<std::string, int> normalized(std::string_view s) {
  std::string out;
  int words = 0;
  bool space = true;
  for (char c : s) {
    if (is_space(c)) {
      space = true;
      continue;
    }
    if (space) {
      if (!out.empty()) out.push_back(' ');
      ++words;
      space = false;
    }
    out.push_back(c);
  }
  return {out, words};
}

constexpr int kMinRepeatWords = 3;

// ---------------------------------------------------------------------------
// Stated totals

// True when `word` ends exactly at `end` in `text`, no earlier than `floor`,
// and starts a word (the text or a space or non-alphanumeric character
// before it). Moves *start to where it begins.
bool word_ends_at(std::string_view text, std::size_t floor, std::size_t end, const std::string& word,
                  std::size_t* start) {
  if (word.empty() || end < floor + word.size()) return false;
  std::size_t b = end - word.size();
  if (text.compare(b, word.size(), word) != 0) return false;
  if (b > floor) {
    std::size_t p = b;
    UChar32 c = prev_cp(text, &p);
    if (c >= 0 && u_isalnum(c)) return false;
  }
  *start = b;
  return true;
}

bool ends_with_any(std::string_view text, std::size_t floor, std::size_t end, const std::vector<std::string>& words,
                   std::size_t* start) {
  for (const std::string& w : words)
    if (word_ends_at(text, floor, end, w, start)) return true;
  return false;
}

std::size_t skip_space_back(std::string_view text, std::size_t floor, std::size_t pos) {
  while (pos > floor && is_space(text[pos - 1])) --pos;
  return pos;
}

// Whether the mention starting at `byte` is introduced by a total word,
// looking back no further than the start of its sentence.
bool introduced_by_total(std::string_view text, std::size_t sentence_begin, std::size_t byte,
                         const std::vector<std::string>& total_words, const std::vector<std::string>& gap_words) {
  std::size_t pos = skip_space_back(text, sentence_begin, std::min(byte, text.size()));
  for (int step = 0; step < 4; ++step) {
    std::size_t start = 0;
    if (ends_with_any(text, sentence_begin, pos, total_words, &start)) return true;
    if (!ends_with_any(text, sentence_begin, pos, gap_words, &start)) return false;
    pos = skip_space_back(text, sentence_begin, start);
  }
  return false;
}

// ---------------------------------------------------------------------------
// Amounts

struct Amount {
  Decimal low, high;
};

std::optional<Amount> own_amount(const Mention& m) {
  if (m.value) return Amount{*m.value, *m.value};
  if (m.low && m.high) return Amount{*m.low, *m.high};
  return std::nullopt;
}

std::optional<Decimal> parse_decimal(const std::string& s) {
  if (s.empty()) return std::nullopt;
  return Decimal::parse(s);
}

// The mention in the reporting currency: its own figures when it is in that
// currency already, else the converted_* fields check_conversions() filled.
std::optional<Amount> reporting_amount(const Mention& m, const std::string& to) {
  if (m.currency == to) return own_amount(m);
  if (m.converted_currency != to) return std::nullopt;
  if (auto v = parse_decimal(m.converted_value)) return Amount{*v, *v};
  auto lo = parse_decimal(m.converted_low), hi = parse_decimal(m.converted_high);
  if (lo && hi) return Amount{*lo, *hi};
  return std::nullopt;
}

std::string combine_bound(const std::string& current, Bound b) {
  std::string add = (b == Bound::kGe || b == Bound::kGt)   ? "floor"
                    : (b == Bound::kLe || b == Bound::kLt) ? "ceiling"
                                                           : "";
  if (add.empty() || current == add) return current;
  return current.empty() ? add : "mixed";
}

void add_unique_sorted(std::vector<std::string>* v, const std::string& s) {
  auto it = std::lower_bound(v->begin(), v->end(), s);
  if (it == v->end() || *it != s) v->insert(it, s);
}

enum class State { kCounted, kRepeat, kPart };

struct Item {
  const Mention* m = nullptr;
  State state = State::kCounted;
  bool introduced_by_total = false;
  std::optional<Amount> amount;  // in the reporting currency
};

// Marks as parts the earlier counted mentions of the same entity and action
// that the stated total at items[t] sums, walking back while their running
// sum of low ends stays within the total allowing for its rounding. Sums
// are compared in the total's own currency while every part shares it (no
// rate involved), else in the reporting currency. Returns the parts taken.
int take_parts(std::vector<Item>* items, std::size_t t) {
  const Item& total = (*items)[t];
  const Mention& tm = *total.m;
  if (tm.entity.empty() && tm.action.empty()) return 0;
  auto own = own_amount(tm);
  if (!own || own->high <= Decimal(0)) return 0;
  const Rational figure = to_rational(own->high);
  const Rational widen = 1 + to_rational(own->high.lowest_place()) / 2 / figure;
  const Rational own_cap = figure * widen;
  std::optional<Rational> reporting_cap;
  if (total.amount) reporting_cap = to_rational(total.amount->high) * widen;
  Rational own_sum = 0, reporting_sum = 0;
  bool same_currency = true, converted = reporting_cap.has_value();
  int parts = 0;
  for (std::size_t j = t; j-- > 0;) {
    Item& p = (*items)[j];
    if (p.m->role != Role::kPrimary || p.state != State::kCounted) continue;
    if (p.m->entity != tm.entity || p.m->action != tm.action) continue;
    auto part = own_amount(*p.m);
    if (!part) break;
    if (p.m->currency != tm.currency) same_currency = false;
    else own_sum += to_rational(part->low);
    if (p.amount) reporting_sum += to_rational(p.amount->low);
    else converted = false;
    bool fits = same_currency ? own_sum <= own_cap : converted && reporting_sum <= *reporting_cap;
    if (!fits) break;
    p.state = State::kPart;
    ++parts;
  }
  return parts;
}

}  // namespace

// ---------------------------------------------------------------------------
// Loading the words

bool load_report_words(const std::string& rules_dir, ReportOptions* options, LoadError* error) {
  internal::RuleSet rules;
  std::string root = rules_dir.empty() || rules_dir.back() == '/' ? rules_dir : rules_dir + "/";
  bool from_dir = !rules_dir.empty() && std::ifstream(root + kReportRules).good();
  if (from_dir) {
    internal::FileReader reader = [&root](const std::string& name, std::string* content) {
      std::ifstream in(root + name, std::ios::binary);
      if (!in) return false;
      std::ostringstream ss;
      ss << in.rdbuf();
      *content = ss.str();
      return !in.bad();
    };
    if (!internal::parse_rules(kReportRules, reader, &rules, error)) {
      if (error->file.rfind(root, 0) != 0) error->file = root + error->file;
      return false;
    }
  } else {
    internal::FileReader reader = internal::read_embedded_rule_file;
    if (!internal::parse_rules(std::string(kEmbeddedReportRules), reader, &rules, error)) {
      error->file = "(embedded rules) " + error->file;
      return false;
    }
  }
  auto words = [&rules](const char* list) {
    std::vector<std::string> out;
    auto it = rules.lists.find(list);
    if (it == rules.lists.end()) return out;
    for (const internal::ListEntry& e : it->second.entries) {
      out.push_back(e.surface);
      // A space in a surface matches one optional space, as in the engine.
      std::string glued = e.surface;
      glued.erase(std::remove(glued.begin(), glued.end(), ' '), glued.end());
      if (glued != e.surface) out.push_back(glued);
    }
    // Longest first, so the longer of two words ending alike is tried first.
    std::stable_sort(out.begin(), out.end(), [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
    return out;
  };
  options->total_words = words("total_word");
  options->total_gap_words = words("total_gap");
  return true;
}

// ---------------------------------------------------------------------------
// Aggregation

Report::Report(ReportOptions options) : options_(std::move(options)) {}

ReportRow& Report::row_for(const Document& doc, const Mention& m) {
  std::vector<std::string> key{m.entity.empty() ? std::string(kUnattributed) : m.entity, m.action};
  if (options_.by_target) key.push_back(m.target);
  if (options_.by_doc) key.push_back(doc.id);
  auto [it, inserted] = index_.emplace(key, rows_.size());
  if (inserted) {
    ReportRow row;
    row.entity = key[0];
    row.action = m.action;
    if (options_.by_target) row.target = m.target;
    if (options_.by_doc) row.doc = doc.id;
    row.currency = options_.to_currency;
    rows_.push_back(std::move(row));
    row_docs_.emplace_back();
  }
  ReportRow& row = rows_[it->second];
  if ((row.docs.empty() || row.docs.back() != doc.id) && row_docs_[it->second].insert(doc.id).second)
    row.docs.push_back(doc.id);
  return row;
}

void Report::add(const Document& doc, const ExtractResult& result) {
  std::lock_guard<std::mutex> lock(mu_);
  const std::vector<Mention>& ms = result.mentions;
  const std::string_view text = doc.text;
  const std::vector<std::size_t> starts = sentence_starts(text);
  ++summary_.documents;

  // Repeats: the k-th mention of a sentence seen before in this document.
  std::vector<Item> items(ms.size());
  std::unordered_set<std::string> seen;
  std::map<std::size_t, int> ordinal;  // sentence start -> mentions so far
  for (std::size_t i = 0; i < ms.size(); ++i) {
    const Mention& m = ms[i];
    Item& item = items[i];
    item.m = &m;
    item.amount = reporting_amount(m, options_.to_currency);
    std::size_t at = std::min(static_cast<std::size_t>(std::max<std::int64_t>(m.byte_start, 0)), text.size());
    Sentence s = sentence_at(starts, text.size(), at);
    int k = ordinal[s.begin]++;
    if (m.role != Role::kPrimary) continue;
    auto [norm, words] = normalized(text.substr(s.begin, s.end - s.begin));
    if (words >= kMinRepeatWords && !seen.insert(fmt::format("{}\n{}", k, norm)).second) {
      item.state = State::kRepeat;
      continue;
    }
    item.introduced_by_total =
        introduced_by_total(text, s.begin, at, options_.total_words, options_.total_gap_words);
  }

  // Stated totals, in text order: a later total may take an earlier one.
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (items[i].m->role != Role::kPrimary || items[i].state != State::kCounted || !items[i].introduced_by_total)
      continue;
    int parts = take_parts(&items, i);
    if (parts > 0) ++summary_.stated_totals;
  }

  for (const Item& item : items) {
    const Mention& m = *item.m;
    if (m.role == Role::kConversion) {
      ++summary_.conversions;
      if (m.converts < 1 || static_cast<std::size_t>(m.converts) > items.size()) continue;
      const Item& restated = items[static_cast<std::size_t>(m.converts - 1)];
      if (restated.state == State::kRepeat || restated.m->role != Role::kPrimary) continue;
      ReportRow& row = row_for(doc, *restated.m);
      ++row.conversions;
      if (m.rate_check == "consistent" || m.rate_check == "inconsistent") ++row.conversions_checked;
      if (m.rate_check == "inconsistent") ++row.conversions_inconsistent;
      continue;
    }
    ++summary_.primary_mentions;
    ReportRow& row = row_for(doc, m);
    if (item.state == State::kRepeat) {
      ++row.repeats_skipped;
      ++summary_.repeats_skipped;
      continue;
    }
    ++row.mentions;
    ++summary_.mentions;
    add_unique_sorted(&row.currencies, m.currency);
    if (item.amount) {
      if (!row.min || item.amount->low < *row.min) row.min = item.amount->low;
      if (!row.max || item.amount->high > *row.max) row.max = item.amount->high;
    }
    if (item.state == State::kPart) {
      ++row.parts_subsumed;
      ++summary_.parts_subsumed;
      continue;
    }
    if (!item.amount) {
      ++row.unconverted;
      ++summary_.unconverted;
      continue;
    }
    row.total_low = row.total_low ? *row.total_low + item.amount->low : item.amount->low;
    row.total_high = row.total_high ? *row.total_high + item.amount->high : item.amount->high;
    row.bound = combine_bound(row.bound, m.bound);
    row.approx = row.approx || m.approx;
  }
}

std::vector<ReportRow> Report::rows() const {
  std::lock_guard<std::mutex> lock(mu_);
  return rows_;
}

ReportSummary Report::summary() const {
  std::lock_guard<std::mutex> lock(mu_);
  return summary_;
}

// ---------------------------------------------------------------------------
// Writing

namespace {

enum class Kind { kString, kNumber, kBool, kList };

struct Cell {
  std::string name;
  Kind kind = Kind::kString;
  std::string text;                // kString, kNumber ("12"), kBool ("true")
  std::vector<std::string> items;  // kList
};

std::string decimal_text(const std::optional<Decimal>& d) { return d ? d->to_string() : std::string(); }

std::vector<Cell> cells(const ReportRow& r, const ReportOptions& o) {
  auto str = [](const char* n, std::string v) { return Cell{n, Kind::kString, std::move(v), {}}; };
  auto num = [](const char* n, std::int64_t v) { return Cell{n, Kind::kNumber, std::to_string(v), {}}; };
  auto list = [](const char* n, std::vector<std::string> v) { return Cell{n, Kind::kList, {}, std::move(v)}; };
  std::vector<Cell> out;
  out.push_back(str("entity", r.entity));
  out.push_back(str("action", r.action));
  if (o.by_target) out.push_back(str("target", r.target));
  if (o.by_doc) out.push_back(str("doc", r.doc));
  out.push_back(num("mentions", r.mentions));
  out.push_back(num("repeats_skipped", r.repeats_skipped));
  out.push_back(num("parts_subsumed", r.parts_subsumed));
  out.push_back(list("currencies", r.currencies));
  out.push_back(str("currency", r.currency));
  bool single = r.total_low && r.total_high && *r.total_low == *r.total_high;
  out.push_back(str("total", single ? r.total_low->to_string() : std::string()));
  out.push_back(str("total_low", decimal_text(r.total_low)));
  out.push_back(str("total_high", decimal_text(r.total_high)));
  out.push_back(str("bound", r.bound));
  out.push_back(Cell{"approx", Kind::kBool, r.approx ? "true" : "false", {}});
  out.push_back(str("min", decimal_text(r.min)));
  out.push_back(str("max", decimal_text(r.max)));
  out.push_back(num("unconverted", r.unconverted));
  out.push_back(num("conversions", r.conversions));
  out.push_back(num("conversions_checked", r.conversions_checked));
  out.push_back(num("conversions_inconsistent", r.conversions_inconsistent));
  out.push_back(list("doc_ids", r.docs));
  return out;
}

std::string join(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) out += (i ? sep : "") + v[i];
  return out;
}

using internal::append_csv_field;
using internal::append_json_string;


void write_csv(const std::vector<ReportRow>& rows, const ReportOptions& o, std::ostream& out, bool bom) {
  std::string text = bom ? "\xEF\xBB\xBF" : "";
  text += join(report_field_names(o), ",") + "\n";
  for (const ReportRow& r : rows) {
    std::vector<Cell> cs = cells(r, o);
    for (std::size_t i = 0; i < cs.size(); ++i) {
      if (i) text.push_back(',');
      append_csv_field(cs[i].kind == Kind::kList ? join(cs[i].items, ";") : cs[i].text, &text);
    }
    text.push_back('\n');
  }
  out << text;
}

void write_jsonl(const std::vector<ReportRow>& rows, const ReportOptions& o, std::ostream& out) {
  std::string text;
  for (const ReportRow& r : rows) {
    text.push_back('{');
    std::vector<Cell> cs = cells(r, o);
    for (std::size_t i = 0; i < cs.size(); ++i) {
      if (i) text.push_back(',');
      append_json_string(cs[i].name, &text);
      text.push_back(':');
      if (cs[i].kind == Kind::kString) {
        append_json_string(cs[i].text, &text);
      } else if (cs[i].kind == Kind::kList) {
        text.push_back('[');
        for (std::size_t k = 0; k < cs[i].items.size(); ++k) {
          if (k) text.push_back(',');
          append_json_string(cs[i].items[k], &text);
        }
        text.push_back(']');
      } else {
        text += cs[i].text;
      }
    }
    text += "}\n";
  }
  out << text;
}

// A cell for a terminal: controls shown as escapes, invalid bytes as U+FFFD.
std::string printable(const std::string& s) {
  std::string out;
  for (char c : internal::sanitize_utf8(s)) {
    if (c == '\n') out += "\\n";
    else if (c == '\t') out += "\\t";
    else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) out += fmt::format("\\x{:02x}", static_cast<unsigned>(c));
    else out.push_back(c);
  }
  return out;
}

void write_table(const std::vector<ReportRow>& all, const ReportOptions& o, const ReportSummary& sum,
                 std::ostream& out, int top) {
  // Largest total first (by its high end); rows without a total last.
  std::vector<const ReportRow*> rows;
  for (const ReportRow& r : all) rows.push_back(&r);
  std::stable_sort(rows.begin(), rows.end(), [](const ReportRow* a, const ReportRow* b) {
    if (!a->total_high || !b->total_high) return a->total_high.has_value() && !b->total_high.has_value();
    return *a->total_high > *b->total_high;
  });
  if (top > 0 && rows.size() > static_cast<std::size_t>(top)) rows.resize(static_cast<std::size_t>(top));

  std::vector<std::string> header{"entity", "action"};
  if (o.by_target) header.push_back("target");
  if (o.by_doc) header.push_back("doc");
  const std::size_t fixed = header.size();
  for (const char* h : {"mentions", "skipped", "parts", "total", "bound", "currencies", "checked", "inconsistent", "docs"})
    header.push_back(h);
  std::vector<bool> right(header.size(), false);
  for (std::size_t i = fixed; i < header.size(); ++i) right[i] = header[i] != "bound" && header[i] != "currencies";
  header[fixed + 3] = "total " + o.to_currency;

  std::vector<std::vector<std::string>> table{header};
  for (const ReportRow* r : rows) {
    std::vector<std::string> line{r->entity, r->action};
    if (o.by_target) line.push_back(r->target);
    if (o.by_doc) line.push_back(r->doc);
    std::string total;
    if (r->total_low) {
      total = *r->total_low == *r->total_high ? r->total_low->to_string()
                                               : r->total_low->to_string() + ".." + r->total_high->to_string();
      if (r->approx) total = "~" + total;
    }
    for (std::string v : {std::to_string(r->mentions), std::to_string(r->repeats_skipped),
                          std::to_string(r->parts_subsumed), total, r->bound, join(r->currencies, " "),
                          std::to_string(r->conversions_checked), std::to_string(r->conversions_inconsistent),
                          std::to_string(r->docs.size())})
      line.push_back(v);
    for (std::string& c : line) c = printable(c);
    table.push_back(std::move(line));
  }
  std::vector<int> width(header.size(), 0);
  for (const auto& line : table)
    for (std::size_t i = 0; i < line.size(); ++i) width[i] = std::max(width[i], display_width(line[i]));

  std::string text;
  auto emit = [&](const std::vector<std::string>& line) {
    std::string s;
    for (std::size_t i = 0; i < line.size(); ++i) {
      if (i) s += "  ";
      std::string pad(static_cast<std::size_t>(width[i] - display_width(line[i])), ' ');
      s += right[i] ? pad + line[i] : line[i] + pad;
    }
    while (!s.empty() && s.back() == ' ') s.pop_back();
    text += s + "\n";
  };
  emit(table[0]);
  std::vector<std::string> rule;
  for (int w : width) rule.push_back(std::string(static_cast<std::size_t>(w), '-'));
  emit(rule);
  for (std::size_t i = 1; i < table.size(); ++i) emit(table[i]);
  text += fmt::format(
      "{} of {} rows; {} documents, {} mentions counted, {} repeats skipped, {} parts in {} stated totals, "
      "{} unconverted, {} conversions; totals in {}\n",
      rows.size(), all.size(), sum.documents, sum.mentions, sum.repeats_skipped, sum.parts_subsumed,
      sum.stated_totals, sum.unconverted, sum.conversions, o.to_currency);
  out << text;
}

}  // namespace

std::vector<std::string> report_field_names(const ReportOptions& options) {
  std::vector<std::string> names;
  for (const Cell& c : cells(ReportRow{}, options)) names.push_back(c.name);
  return names;
}

void write_report(const Report& report, Format format, std::ostream& out, const ReportWriteOptions& options) {
  const std::vector<ReportRow> rows = report.rows();
  switch (format) {
    case Format::kCsv: write_csv(rows, report.options(), out, options.bom); break;
    case Format::kJsonl: write_jsonl(rows, report.options(), out); break;
    case Format::kTable: write_table(rows, report.options(), report.summary(), out, options.top); break;
  }
  out.flush();
}

}  // namespace krfx
