#include <krfx/rates.h>

#include <fmt/format.h>

#include <algorithm>
#include <fstream>

#include "rules/embedded.h"

namespace krfx {
namespace {

// The cells of `line`, trimmed of spaces (and a trailing '\r'), into *out,
// whose strings keep their capacity from line to line.
void split_csv_line(const std::string& line, std::vector<std::string>* out) {
  std::size_t n = 0, b = 0;
  while (true) {
    std::size_t e = line.find(',', b);
    std::size_t stop = e == std::string::npos ? line.size() : e;
    while (stop > b && (line[stop - 1] == ' ' || line[stop - 1] == '\r')) --stop;
    std::size_t first = b;
    while (first < stop && line[first] == ' ') ++first;
    if (n == out->size()) out->emplace_back();
    (*out)[n++].assign(line, first, stop - first);
    if (e == std::string::npos) break;
    b = e + 1;
  }
  out->resize(n);
}

bool valid_date(const std::string& d) {
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (d[i] < '0' || d[i] > '9') return false;
  int month = (d[5] - '0') * 10 + (d[6] - '0'), day = (d[8] - '0') * 10 + (d[9] - '0');
  if (month < 1 || month > 12 || day < 1) return false;
  // A day the calendar has: no 2025-02-30, 2024-02-29 but not 2023-02-29.
  int year = std::stoi(d.substr(0, 4));
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return day <= (month == 2 && leap ? 29 : kDays[month - 1]);
}

bool valid_code(const std::string& c) {
  return c.size() == 3 && std::all_of(c.begin(), c.end(), [](char x) { return x >= 'A' && x <= 'Z'; });
}

std::string lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

// Column (1-based) where cell `i` of `line` starts, for messages.
int column_of_cell(const std::string& line, std::size_t i) {
  std::size_t pos = 0;
  for (std::size_t k = 0; k < i; ++k) pos = line.find(',', pos) + 1;
  return static_cast<int>(pos) + 1;
}

}  // namespace

void RateTable::add(const std::string& date, const std::string& base, const std::string& quote, Rational value,
                    int source, int tier) {
  // Appended here; add_csv_tier puts each series in date order once a file is read.
  series_[{base, quote}].push_back(Observation{date, std::move(value), source, tier});
  for (const std::string& c : {base, quote})
    if (std::find(currencies_.begin(), currencies_.end(), c) == currencies_.end()) currencies_.push_back(c);
}

bool RateTable::add_csv(std::string_view content, const std::string& source, LoadError* error) {
  return add_csv_tier(content, source, 0, error);
}

bool RateTable::add_csv_tier(std::string_view content, const std::string& source, int tier, LoadError* error) {
  // A row names its pair by an index into `pairs`; the rows of one pair
  // are appended to their series in one go once the whole file is read.
  struct Row {
    std::string date;
    std::size_t pair;
    Rational value;
  };
  std::vector<Row> rows;
  std::vector<Pair> pairs;
  std::map<Pair, std::size_t> pair_index;
  auto pair_of = [&](const std::string& base, const std::string& quote) {
    auto [it, added] = pair_index.emplace(Pair{base, quote}, pairs.size());
    if (added) pairs.push_back(it->first);
    return it->second;
  };
  std::vector<std::string> header;
  std::vector<std::size_t> column_pair;  // ECB: the pair of each column
  enum class Layout { kUnknown, kEcb, kLong } layout = Layout::kUnknown;
  auto fail = [&](int line, int col, std::string msg) {
    error->file = source;
    error->line = line;
    error->column = col;
    error->message = std::move(msg);
    return false;
  };
  std::string line;
  std::vector<std::string> cells;
  int n = 0;
  for (std::size_t at = 0; at < content.size();) {
    std::size_t eol = content.find('\n', at);
    if (eol == std::string_view::npos) eol = content.size();
    line.assign(content.substr(at, eol - at));
    at = eol + 1;
    ++n;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (n == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);
    if (line.empty() || line[0] == '#') continue;
    split_csv_line(line, &cells);
    if (layout == Layout::kUnknown) {
      if (lower(cells[0]) == "date" && cells.size() >= 4 && lower(cells[1]) == "base" &&
          lower(cells[2]) == "quote" && lower(cells[3]) == "rate") {
        layout = Layout::kLong;
      } else if (lower(cells[0]) == "date" && cells.size() >= 2) {
        layout = Layout::kEcb;
        header = cells;
        for (std::size_t i = 1; i < header.size(); ++i)
          if (!header[i].empty() && !valid_code(header[i]))
            return fail(n, column_of_cell(line, i), fmt::format("'{}' is not a currency code", header[i]));
        column_pair.assign(header.size(), 0);
      } else {
        return fail(n, 1, "the header must be 'Date,CUR,...' (ECB) or 'date,base,quote,rate'");
      }
      const std::size_t lines = static_cast<std::size_t>(std::count(content.begin(), content.end(), '\n')) + 1;
      rows.reserve(lines * std::max<std::size_t>(header.size(), 2) - lines);
      continue;
    }
    if (!valid_date(cells[0])) return fail(n, 1, fmt::format("'{}' is not a date (YYYY-MM-DD)", cells[0]));
    auto value_at = [&](std::size_t i, Rational* out) {
      auto d = Decimal::parse(cells[i]);
      if (!d || d->is_zero() || d->is_negative()) return false;
      *out = to_rational(*d);
      return true;
    };
    if (layout == Layout::kLong) {
      if (cells.size() < 4) return fail(n, 1, "a row needs date,base,quote,rate");
      if (!valid_code(cells[1])) return fail(n, column_of_cell(line, 1), fmt::format("'{}' is not a currency code", cells[1]));
      if (!valid_code(cells[2])) return fail(n, column_of_cell(line, 2), fmt::format("'{}' is not a currency code", cells[2]));
      Rational v;
      if (!value_at(3, &v)) return fail(n, column_of_cell(line, 3), fmt::format("'{}' is not a positive decimal rate", cells[3]));
      rows.push_back({cells[0], pair_of(cells[1], cells[2]), std::move(v)});
      continue;
    }
    for (std::size_t i = 1; i < cells.size() && i < header.size(); ++i) {
      if (header[i].empty() || cells[i].empty() || cells[i] == "N/A") continue;
      Rational v;
      if (!value_at(i, &v))
        return fail(n, column_of_cell(line, i), fmt::format("'{}' is not a positive decimal rate", cells[i]));
      // Pairs are numbered in the order rows first use them, as currencies are met.
      if (column_pair[i] == 0) column_pair[i] = pair_of("EUR", header[i]) + 1;
      rows.push_back({cells[0], column_pair[i] - 1, std::move(v)});
    }
  }
  if (layout == Layout::kUnknown) return fail(1, 1, "no header line: the file holds no rates");
  int id = static_cast<int>(sources_.size());
  sources_.push_back(source);
  // Currencies in the order rows first name them (cross rates try them in
  // that order); each pair's series found once.
  std::vector<std::vector<Observation>*> series(pairs.size(), nullptr);
  std::vector<std::size_t> before(pairs.size(), 0), count(pairs.size(), 0);
  for (const Row& r : rows) ++count[r.pair];
  for (const Row& r : rows) {
    if (series[r.pair]) continue;
    const Pair& p = pairs[r.pair];
    series[r.pair] = &series_[p];
    before[r.pair] = series[r.pair]->size();
    series[r.pair]->reserve(before[r.pair] + count[r.pair]);
    for (const std::string& c : {p.first, p.second})
      if (std::find(currencies_.begin(), currencies_.end(), c) == currencies_.end()) currencies_.push_back(c);
  }
  for (Row& r : rows) series[r.pair]->push_back(Observation{std::move(r.date), std::move(r.value), id, tier});
  // Each series is put in date order once per file: a history file lists
  // thousands of days, newest first, and inserting them one by one in order
  // was quadratic (15 s for the ECB's 25 years). The order is stable, so
  // among observations of one date and tier the one added first wins, as
  // before. A file's rows newest first (distinct dates) are reversed and
  // merged behind what was there, which is what a stable sort gives.
  const auto by_date = [](const Observation& a, const Observation& b) { return a.date < b.date; };
  for (std::size_t k = 0; k < pairs.size(); ++k) {
    if (!series[k]) continue;
    std::vector<Observation>& s = *series[k];
    const auto mid = s.begin() + static_cast<std::ptrdiff_t>(before[k]);
    bool descending = true;
    for (auto it = mid; it != s.end() && it + 1 != s.end() && descending; ++it) descending = (it + 1)->date < it->date;
    if (descending) {
      std::reverse(mid, s.end());
      std::inplace_merge(s.begin(), mid, s.end(), by_date);
    } else {
      std::stable_sort(s.begin(), s.end(), by_date);
    }
    std::vector<Observation> kept;
    kept.reserve(s.size());
    for (Observation& o : s) {
      bool shadowed = false;
      for (auto k2 = kept.rbegin(); k2 != kept.rend() && k2->date == o.date; ++k2) shadowed |= k2->tier == o.tier;
      if (!shadowed) kept.push_back(std::move(o));
    }
    s = std::move(kept);
  }
  return true;
}

bool RateTable::add_file(const std::string& path, LoadError* error) {
  std::ifstream in(path, std::ios::binary);
  // read() turns a failing read (a directory, an I/O error) into badbit;
  // `ss << in.rdbuf()` would swallow it and report an empty file.
  std::string data;
  char buf[1 << 16];
  while (in && (in.read(buf, sizeof buf) || in.gcount() > 0)) data.append(buf, static_cast<std::size_t>(in.gcount()));
  if (!in.is_open() || in.bad()) {
    error->file = path;
    error->line = 0;
    error->message = "cannot read rates file";
    return false;
  }
  return add_csv(data, path, error);
}

bool RateTable::add_default(LoadError* error) {
  for (const internal::EmbeddedFile* f = internal::embedded_rule_files(); !f->name.empty(); ++f)
    if (f->name == "rates/ecb-monthly.csv") return add_csv_tier(f->content, "ecb-monthly.csv", 1, error);
  error->file = "rates/ecb-monthly.csv";
  error->message = "the default rate table is not embedded in this build";
  return false;
}

std::optional<Rate> RateTable::leg(const std::string& base, const std::string& quote, const std::string& date,
                                   int max_tier) const {
  auto latest = [&](const Pair& p) -> const Observation* {
    auto it = series_.find(p);
    if (it == series_.end()) return nullptr;
    const auto& s = it->second;
    auto u = std::upper_bound(s.begin(), s.end(), date,
                              [](const std::string& d, const Observation& o) { return d < o.date; });
    while (u != s.begin()) {
      --u;
      if (u->tier <= max_tier) return &*u;
    }
    return nullptr;
  };
  const Observation* direct = latest({base, quote});
  const Observation* inverse = latest({quote, base});
  if (direct && (!inverse || direct->date >= inverse->date))
    return Rate{direct->value, direct->date, sources_[static_cast<std::size_t>(direct->source)]};
  if (inverse)
    return Rate{Rational(1) / inverse->value, inverse->date, sources_[static_cast<std::size_t>(inverse->source)]};
  return std::nullopt;
}

std::optional<Rate> RateTable::find(const std::string& base, const std::string& quote, const std::string& date) const {
  if (base == quote) return Rate{Rational(1), date, "same"};
  if (auto user = find_tier(base, quote, date, 0)) return user;
  return find_tier(base, quote, date, 1);
}

std::optional<Rate> RateTable::find_tier(const std::string& base, const std::string& quote, const std::string& date,
                                         int max_tier) const {
  std::optional<Rate> best = leg(base, quote, date, max_tier);
  // Through a common currency; the path whose older leg is newest wins.
  for (const std::string& via : currencies_) {
    if (via == base || via == quote) continue;
    auto a = leg(base, via, date, max_tier);
    if (!a) continue;
    auto b = leg(via, quote, date, max_tier);
    if (!b) continue;
    const std::string& older = std::min(a->date, b->date);
    if (best && best->date >= older) continue;
    best = Rate{a->value * b->value, older, a->source == b->source ? a->source : a->source + "+" + b->source};
  }
  return best;
}

}  // namespace krfx
