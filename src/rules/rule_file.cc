#include "rules/rule_file.h"

#include <fmt/format.h>
#include <re2/re2.h>

#include <algorithm>
#include <set>
#include <unordered_map>

namespace krfx::internal {
namespace {

bool is_name_start(char c) { return (c >= 'a' && c <= 'z') || c == '_'; }
bool is_name_char(char c) { return is_name_start(c) || (c >= '0' && c <= '9'); }
bool is_space(char c) { return c == ' ' || c == '\t'; }

std::string trim(const std::string& s) {
  std::size_t b = 0, e = s.size();
  while (b < e && is_space(s[b])) ++b;
  while (e > b && (is_space(s[e - 1]) || s[e - 1] == '\r')) --e;
  return s.substr(b, e - b);
}

// Columns count code points, as an editor shows them.
int column_of(const std::string& line, std::size_t byte) {
  int col = 1;
  for (std::size_t i = 0; i < byte && i < line.size(); ++i)
    if ((static_cast<unsigned char>(line[i]) & 0xC0) != 0x80) ++col;
  return col;
}

// A '#' at the start of a line or after white space starts a comment.
std::string strip_comment(const std::string& line) {
  for (std::size_t i = 0; i < line.size(); ++i)
    if (line[i] == '#' && (i == 0 || is_space(line[i - 1]))) return line.substr(0, i);
  return line;
}

std::string collapse_spaces(const std::string& s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (is_space(c)) {
      space = true;
      continue;
    }
    if (space && !out.empty()) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

class Parser {
 public:
  Parser(const FileReader& reader, RuleSet* out, LoadError* error)
      : reader_(reader), out_(out), error_(error) {}

  bool parse_file(const std::string& name, const SourcePos& from) {
    if (open_.count(name)) return fail(from, fmt::format("include cycle: '{}' includes itself", name));
    std::string content;
    if (!reader_(name, &content)) {
      if (from.file.empty()) return fail({name, 0, 0}, "cannot read rules file");
      return fail(from, fmt::format("cannot read included rules file '{}'", name));
    }
    open_.insert(name);
    bool ok = parse_content(name, content);
    open_.erase(name);
    return ok;
  }

 private:
  bool fail(const SourcePos& pos, std::string message) {
    *error_ = error_at(pos, std::move(message));
    return false;
  }

  // Splits "keyword rest" and returns the byte where rest starts.
  static std::size_t word_end(const std::string& s, std::size_t from) {
    while (from < s.size() && !is_space(s[from])) ++from;
    return from;
  }

  bool parse_content(const std::string& file, const std::string& content) {
    RuleList* list = nullptr;
    int line_no = 0;
    std::size_t pos = 0;
    while (pos <= content.size()) {
      std::size_t nl = content.find('\n', pos);
      if (nl == std::string::npos) nl = content.size();
      std::string raw = content.substr(pos, nl - pos);
      pos = nl + 1;
      ++line_no;
      if (!raw.empty() && raw.back() == '\r') raw.pop_back();
      if (raw.find('\0') != std::string::npos)
        return fail({file, line_no, column_of(raw, raw.find('\0'))}, "NUL byte in rules file");
      std::string line = strip_comment(raw);
      std::size_t b = 0;
      while (b < line.size() && is_space(line[b])) ++b;
      if (b == line.size()) continue;
      SourcePos at{file, line_no, column_of(raw, b)};
      std::size_t ke = word_end(line, b);
      std::string keyword = line.substr(b, ke - b);
      if (list) {
        if (keyword == "end" && trim(line.substr(ke)).empty()) {
          list = nullptr;
          continue;
        }
        if (!add_entry(list, raw, line, b, at)) return false;
        continue;
      }
      std::string rest = trim(line.substr(ke));
      std::size_t rest_byte = ke;
      while (rest_byte < line.size() && is_space(line[rest_byte])) ++rest_byte;
      SourcePos rest_at{file, line_no, column_of(raw, rest_byte)};
      if (keyword == "include") {
        if (rest.empty()) return fail(at, "include needs a file name");
        std::string dir = file.substr(0, file.find_last_of('/') + 1);
        if (!parse_file(dir + rest, rest_at)) return false;
      } else if (keyword == "list") {
        if (!check_name(rest, rest_at)) return false;
        auto it = out_->lists.find(rest);
        if (it == out_->lists.end()) it = out_->lists.emplace(rest, RuleList{rest, {}, rest_at}).first;
        list = &it->second;
        list_start_ = at;
      } else if (keyword == "define") {
        if (!parse_define(raw, line, rest_byte, rest_at)) return false;
      } else if (keyword == "set") {
        std::size_t ne = word_end(line, rest_byte);
        std::string name = line.substr(rest_byte, ne - rest_byte);
        if (!check_name(name, rest_at)) return false;
        std::size_t vb = ne;
        while (vb < line.size() && is_space(line[vb])) ++vb;
        std::string value = trim(line.substr(vb));
        if (value.empty()) return fail(rest_at, fmt::format("set {} needs a value", name));
        out_->settings[name] = RuleSetting{value, {file, line_no, column_of(raw, vb)}};
      } else if (keyword == "import") {
        if (rest.empty()) return fail(at, "import needs a source, e.g. 'import cldr-currencies ko'");
        out_->imports.push_back(RuleSetting{collapse_spaces(rest), rest_at});
      } else if (keyword == "end") {
        return fail(at, "'end' without an open list");
      } else {
        return fail(at, fmt::format("unknown directive '{}' (expected include, list, define, set or import)",
                                    keyword));
      }
    }
    if (list) return fail(list_start_, fmt::format("list '{}' is not closed by 'end'", list->name));
    return true;
  }

  bool check_name(const std::string& name, const SourcePos& at) {
    bool ok = !name.empty() && is_name_start(name[0]) &&
              std::all_of(name.begin(), name.end(), is_name_char);
    if (!ok) return fail(at, fmt::format("'{}' is not a valid name (lower-case letters, digits, '_')", name));
    return true;
  }

  bool parse_define(const std::string& raw, const std::string& line, std::size_t from,
                    const SourcePos& at) {
    std::size_t ne = from;
    while (ne < line.size() && is_name_char(line[ne])) ++ne;
    std::string name = line.substr(from, ne - from);
    if (!check_name(name, at)) return false;
    std::size_t eq = ne;
    while (eq < line.size() && is_space(line[eq])) ++eq;
    if (eq >= line.size() || line[eq] != '=')
      return fail({at.file, at.line, column_of(raw, eq)}, fmt::format("define {} needs '= PATTERN'", name));
    std::size_t body = eq + 1;
    while (body < line.size() && is_space(line[body])) ++body;
    std::string text = trim(line.substr(body));
    if (text.empty()) return fail({at.file, at.line, column_of(raw, eq)}, fmt::format("define {} has an empty pattern", name));
    auto prev = out_->defines.find(name);
    if (prev != out_->defines.end())
      return fail(at, fmt::format("define {} is already defined at {}:{}", name, prev->second.body_pos.file,
                                  prev->second.body_pos.line));
    out_->defines[name] = RuleDefine{name, text, {at.file, at.line, column_of(raw, body)}};
    return true;
  }

  bool add_entry(RuleList* list, const std::string& raw, const std::string& line, std::size_t b,
                 const SourcePos& at) {
    std::size_t eq = line.find('=', b);
    std::string surface = collapse_spaces(line.substr(b, eq == std::string::npos ? std::string::npos : eq - b));
    if (surface.empty()) return fail(at, fmt::format("entry in list '{}' has no surface before '='", list->name));
    ListEntry e;
    e.surface = surface;
    e.pos = at;
    if (eq != std::string::npos) {
      std::size_t d = eq + 1;
      while (d < line.size() && is_space(line[d])) ++d;
      e.data = collapse_spaces(line.substr(d));
      e.data_pos = {at.file, at.line, column_of(raw, d)};
      if (e.data.empty()) return fail({at.file, at.line, column_of(raw, eq)}, "nothing after '='");
    }
    // Entries by surface, per list: a list of tens of thousands of words
    // (a stranger's company names) must not cost a comparison with each.
    auto [seen, fresh] = seen_[list->name].emplace(e.surface, list->entries.size());
    if (!fresh) {
      const ListEntry& o = list->entries[seen->second];
      return fail(at, fmt::format("'{}' is already in list '{}' at {}:{}", e.surface, list->name, o.pos.file,
                                  o.pos.line));
    }
    list->entries.push_back(std::move(e));
    return true;
  }

  const FileReader& reader_;
  RuleSet* out_;
  LoadError* error_;
  std::set<std::string> open_;
  SourcePos list_start_;
  std::map<std::string, std::unordered_map<std::string, std::size_t>> seen_;  // list -> surface -> index
};

bool expand(const RuleSet& rules, const RuleDefine& def, std::vector<std::string>* stack,
            std::string* pattern, LoadError* error) {
  if (std::find(stack->begin(), stack->end(), def.name) != stack->end()) {
    *error = error_at(def.body_pos, fmt::format("define {} refers to itself", def.name));
    return false;
  }
  stack->push_back(def.name);
  std::string out;
  const std::string& b = def.body;
  for (std::size_t i = 0; i < b.size(); ++i) {
    if (b[i] == '\\' && i + 1 < b.size()) {
      out += b.substr(i, 2);
      ++i;
      continue;
    }
    if (b[i] != '{' || i + 1 >= b.size() || !is_name_start(b[i + 1])) {
      out.push_back(b[i]);
      continue;
    }
    std::size_t close = b.find('}', i);
    std::string name = close == std::string::npos ? "" : b.substr(i + 1, close - i - 1);
    SourcePos at = def.body_pos;
    at.column += column_of(b, i) - 1;
    if (close == std::string::npos || !std::all_of(name.begin(), name.end(), is_name_char)) {
      *error = error_at(at, "unclosed '{' reference");
      return false;
    }
    if (auto l = rules.lists.find(name); l != rules.lists.end()) {
      if (l->second.entries.empty()) {
        *error = error_at(at, fmt::format("list '{}' is empty", name));
        return false;
      }
      out += list_pattern(l->second);
    } else if (auto d = rules.defines.find(name); d != rules.defines.end()) {
      std::string inner;
      if (!expand(rules, d->second, stack, &inner, error)) return false;
      out += "(?:" + inner + ")";
    } else {
      *error = error_at(at, fmt::format("unknown reference {{{}}}: no list or define of that name", name));
      return false;
    }
    i = close;
  }
  stack->pop_back();
  *pattern = std::move(out);
  return true;
}

}  // namespace

LoadError error_at(const SourcePos& pos, std::string message) {
  LoadError e;
  e.file = pos.file;
  e.line = pos.line;
  e.column = pos.column;
  e.message = std::move(message);
  return e;
}

bool parse_rules(const std::string& main_file, const FileReader& reader, RuleSet* out, LoadError* error) {
  Parser p(reader, out, error);
  return p.parse_file(main_file, SourcePos{});
}

std::string list_pattern(const RuleList& list) {
  std::vector<std::string> surfaces;
  for (const ListEntry& e : list.entries) surfaces.push_back(e.surface);
  // Longest first, so a leftmost-first alternation prefers 'US$' to '$'.
  std::stable_sort(surfaces.begin(), surfaces.end(),
                   [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  std::string out = "(?:";
  for (std::size_t i = 0; i < surfaces.size(); ++i) {
    if (i) out += "|";
    std::string quoted;
    std::size_t start = 0;
    const std::string& s = surfaces[i];
    while (true) {
      std::size_t sp = s.find(' ', start);
      quoted += RE2::QuoteMeta(s.substr(start, sp == std::string::npos ? std::string::npos : sp - start));
      if (sp == std::string::npos) break;
      quoted += " ?";
      start = sp + 1;
    }
    out += quoted;
  }
  return out + ")";
}

bool expand_define(const RuleSet& rules, const std::string& name, std::string* pattern, LoadError* error) {
  auto it = rules.defines.find(name);
  if (it == rules.defines.end()) {
    *error = error_at({"main.rules", 0, 0}, fmt::format("the rules define no '{}' pattern, which the engine needs", name));
    return false;
  }
  std::vector<std::string> stack;
  return expand(rules, it->second, &stack, pattern, error);
}

}  // namespace krfx::internal
