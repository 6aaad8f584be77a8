// Parsing of rules files (format: rules/README.md) into a RuleSet: named word
// lists, named regex definitions, settings and imports, each entry keeping
// the file, line and column it came from so later checks can point at it.
#ifndef KRFX_SRC_RULES_RULE_FILE_H_
#define KRFX_SRC_RULES_RULE_FILE_H_

#include <krfx/engine.h>

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace krfx::internal {

struct SourcePos {
  std::string file;
  int line = 0;
  int column = 0;
};

LoadError error_at(const SourcePos& pos, std::string message);

struct ListEntry {
  std::string surface;  // single spaces between words
  std::string data;     // what follows '=', trimmed; may be empty
  SourcePos pos;        // of the surface
  SourcePos data_pos;   // of the data
};

struct RuleList {
  std::string name;
  std::vector<ListEntry> entries;
  SourcePos pos;
};

struct RuleDefine {
  std::string name;
  std::string body;
  SourcePos body_pos;
};

struct RuleSetting {
  std::string value;
  SourcePos pos;
};

struct RuleSet {
  std::map<std::string, RuleList> lists;
  std::map<std::string, RuleDefine> defines;
  std::map<std::string, RuleSetting> settings;
  std::vector<RuleSetting> imports;  // e.g. "cldr-currencies ko"
};

// Returns the contents of a rules file by its name relative to the rules
// root, or false when there is no such file.
using FileReader = std::function<bool(const std::string& name, std::string* content)>;

// Parses `main_file` and everything it includes.
bool parse_rules(const std::string& main_file, const FileReader& reader, RuleSet* out,
                 LoadError* error);

// The RE2 pattern of a definition with every {reference} expanded: a list
// becomes an alternation of its surfaces (longest first, escaped, a space
// matching one optional space), a definition its own body.
bool expand_define(const RuleSet& rules, const std::string& name, std::string* pattern,
                   LoadError* error);

// The alternation for a list's surfaces, as used by {list} references.
std::string list_pattern(const RuleList& list);

}  // namespace krfx::internal

#endif  // KRFX_SRC_RULES_RULE_FILE_H_
