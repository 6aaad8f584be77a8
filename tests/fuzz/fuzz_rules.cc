// Fuzz harness: the rules loader (internal::parse_rules, then
// Lexicon::build) on a fuzzed main.rules, as `krfx --rules DIR` loads a
// stranger's rules. The fuzzed main.rules sits where the real one does
// (ko/main.rules), so it may include the real rules files; lines
// "#>> NAME" start further fuzzed files that replace or add to them.
//
// A refusal must say where (file:line:col) unless it is about something
// absent (a required list, define or setting, an unreadable file). Rules
// that load are then run over a few sentences, the input itself and the
// real rules, as Engine::extract runs them: a stranger's rules must not
// crash the engine either.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "link/linker.h"
#include "normalize/normalize.h"
#include "rules/embedded.h"
#include "rules/lexicon.h"
#include "rules/rule_file.h"
#include "scan/scanner.h"
#include "structure/structure.h"

namespace {

using krfx::internal::Lexicon;

constexpr std::string_view kMarker = "#>> ";

// Fuzzed files by name: "ko/main.rules" first, then each "#>> NAME" section.
std::map<std::string, std::string> split_files(std::string_view input) {
  std::map<std::string, std::string> files;
  std::string* current = &files["ko/main.rules"];
  std::size_t pos = 0;
  while (pos < input.size()) {
    std::size_t nl = input.find('\n', pos);
    std::size_t end = nl == std::string_view::npos ? input.size() : nl + 1;
    std::string_view line = input.substr(pos, end - pos);
    if (line.substr(0, kMarker.size()) == kMarker) {
      std::string name(line.substr(kMarker.size()));
      while (!name.empty() && (name.back() == '\n' || name.back() == '\r')) name.pop_back();
      current = &files["ko/" + name];
      current->clear();
    } else {
      current->append(line);
    }
    pos = end;
  }
  return files;
}

bool absent_thing(const std::string& message) {
  for (const char* what : {"the rules have no list", "the rules define no", "the rules do not set",
                           "cannot read rules file"})
    if (message.find(what) != std::string::npos) return true;
  return false;
}

void run(const Lexicon& lex, std::string_view text) {
  using namespace krfx::internal;
  NormalizedText norm = normalize(text);
  std::vector<Atom> atoms = scan_atoms(lex, norm.text);
  Structured s = build_mentions(lex, norm.text, std::move(atoms));
  for (const Draft& d : s.mentions)
    KRFX_FUZZ_CHECK(d.begin < d.end && d.end <= norm.text.size(), "draft [%zu, %zu) in %zu bytes", d.begin, d.end,
                    norm.text.size());
  link_mentions(lex, norm.text, s.mentions);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace krfx::internal;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::map<std::string, std::string> fuzzed = split_files(input);
  FileReader reader = [&fuzzed](const std::string& name, std::string* content) {
    if (auto it = fuzzed.find(name); it != fuzzed.end()) {
      *content = it->second;
      return true;
    }
    for (const EmbeddedFile* f = embedded_rule_files(); !f->name.empty(); ++f)
      if (f->name == name) {
        content->assign(f->content);
        return true;
      }
    return false;
  };
  RuleSet rules;
  krfx::LoadError err;
  Lexicon lex;
  bool ok = parse_rules("ko/main.rules", reader, &rules, &err) && Lexicon::build(rules, &lex, &err);
  if (!ok) {
    KRFX_FUZZ_CHECK(!err.file.empty() && !err.message.empty(), "refused without file or reason: '%s'",
                    err.to_string().c_str());
    KRFX_FUZZ_CHECK((err.line >= 1 && err.column >= 1) || absent_thing(err.message), "refused without a place: %s",
                    err.to_string().c_str());
    return 0;
  }
  static const char* const kSamples[] = {
      "소프트뱅크는 150억달러(약 21조 9000억) 이상을 투자한다. 달러당 1,460원.",
      "150억~250억달러, $500 billion, US$15bn, 2천만원대, 수백억원, 이천칠백만원, 최대 350만원",
      "5000억달러(약 729조원), 3~5조원, 2조에서 3조원, 1달러 20센트, △300억원, ５０００억원",
  };
  for (const char* s : kSamples) run(lex, s);
  run(lex, input);
  for (const EmbeddedFile* f = embedded_rule_files(); !f->name.empty(); ++f)
    if (f->name == kDefaultMainRules) run(lex, f->content);
  return 0;
}
