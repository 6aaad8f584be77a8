// The default rules, embedded in the library at build time by CMake
// (cmake/embed_rules.cmake) from the rules/ directory of the source tree.
#ifndef KRFX_SRC_RULES_EMBEDDED_H_
#define KRFX_SRC_RULES_EMBEDDED_H_

#include <string>
#include <string_view>

namespace krfx::internal {

struct EmbeddedFile {
  std::string_view name;     // relative to rules/, e.g. "ko/main.rules"
  std::string_view content;
};

// All embedded rules files; the list ends with an entry whose name is empty.
const EmbeddedFile* embedded_rule_files();

// Reads the embedded file `name` into *content, as a rules FileReader does;
// false when there is none.
inline bool read_embedded_rule_file(const std::string& name, std::string* content) {
  for (const EmbeddedFile* f = embedded_rule_files(); !f->name.empty(); ++f) {
    if (f->name == name) {
      content->assign(f->content);
      return true;
    }
  }
  return false;
}

// The main file of the default rules.
inline constexpr std::string_view kDefaultMainRules = "ko/main.rules";

}  // namespace krfx::internal

#endif  // KRFX_SRC_RULES_EMBEDDED_H_
