// The engine: wires the stages together. read (caller) -> normalize -> scan
// -> value -> structure -> offsets back to the original text.
#include <krfx/engine.h>

#include <fmt/format.h>

#include <atomic>
#include <fstream>
#include <mutex>
#include <sstream>
#include <system_error>
#include <thread>

#include "link/linker.h"
#include "normalize/normalize.h"
#include "rules/embedded.h"
#include "rules/lexicon.h"
#include "rules/rule_file.h"
#include "scan/scanner.h"
#include "structure/structure.h"
#include "value/numeral.h"

#ifndef KRFX_VERSION
#define KRFX_VERSION "0.0.0"
#endif

namespace krfx {

namespace internal {
struct EngineImpl {
  Lexicon lexicon;
  // compile_ahead() on a second thread, started once by Engine::prepare().
  std::once_flag ahead_once;
  std::thread ahead;
  std::atomic<bool> stop{false};

  ~EngineImpl() {
    stop.store(true, std::memory_order_relaxed);
    if (ahead.joinable()) ahead.join();
  }
};
}  // namespace internal

namespace {

// `lazy`: patterns are compiled when first used (the built-in rules, which
// the tests load and compile whole from the source tree).
std::unique_ptr<internal::EngineImpl> build(const std::string& main_file, const internal::FileReader& reader,
                                            LoadError* error, bool lazy) {
  internal::RuleSet rules;
  if (!internal::parse_rules(main_file, reader, &rules, error)) return nullptr;
  auto impl = std::make_unique<internal::EngineImpl>();
  if (!internal::Lexicon::build(std::move(rules), &impl->lexicon, error, lazy)) return nullptr;
  return impl;
}

}  // namespace

std::string LoadError::to_string() const {
  if (line <= 0) return fmt::format("{}: {}", file, message);
  if (column <= 0) return fmt::format("{}:{}: {}", file, line, message);
  return fmt::format("{}:{}:{}: {}", file, line, column, message);
}

Engine::Engine(std::unique_ptr<internal::EngineImpl> impl) : impl_(std::move(impl)) {}
Engine::~Engine() = default;

std::unique_ptr<Engine> Engine::load(const std::string& dir, LoadError* error) {
  std::string root = dir.empty() || dir.back() == '/' ? dir : dir + "/";
  internal::FileReader reader = [&root](const std::string& name, std::string* content) {
    std::ifstream in(root + name, std::ios::binary);
    if (!in) return false;
    // read() turns a failing read (a directory, an I/O error) into badbit;
    // `ss << in.rdbuf()` would swallow it and give an empty file.
    std::string data;
    char buf[1 << 16];
    while (in.read(buf, sizeof buf) || in.gcount() > 0) data.append(buf, static_cast<std::size_t>(in.gcount()));
    if (in.bad()) return false;
    *content = std::move(data);
    return true;
  };
  // Errors name files as the user would find them: under the given dir.
  auto impl = build("main.rules", reader, error, /*lazy=*/false);
  if (!impl) {
    if (!error->file.empty() && error->file.rfind(root, 0) != 0) error->file = root + error->file;
    return nullptr;
  }
  return std::unique_ptr<Engine>(new Engine(std::move(impl)));
}

std::unique_ptr<Engine> Engine::load_default(LoadError* error) {
  internal::FileReader reader = internal::read_embedded_rule_file;
  auto impl = build(std::string(internal::kDefaultMainRules), reader, error, /*lazy=*/true);
  if (!impl) {
    error->file = "(embedded rules) " + error->file;
    return nullptr;
  }
  return std::unique_ptr<Engine>(new Engine(std::move(impl)));
}

void Engine::prepare() const {
  internal::EngineImpl* impl = impl_.get();
  std::call_once(impl->ahead_once, [impl] {
    // Without a second thread the patterns are compiled as they are needed.
    try {
      impl->ahead = std::thread([impl] { impl->lexicon.compile_ahead(impl->stop); });
    } catch (const std::system_error&) {
    }
  });
}

ExtractResult Engine::extract(const Document& doc) const {
  ExtractResult result;
  internal::NormalizedText norm = internal::normalize(doc.text);
  result.diagnostics = std::move(norm.diagnostics);
  std::vector<internal::Atom> atoms = internal::scan_atoms(impl_->lexicon, norm.text);
  internal::Structured structured = internal::build_mentions(impl_->lexicon, norm.text, std::move(atoms));
  const std::vector<internal::Draft>& drafts = structured.mentions;
  for (StatedRate& r : structured.rates) {
    r.byte_offset = static_cast<std::int64_t>(norm.original_byte(static_cast<std::size_t>(r.byte_offset)));
    result.stated_rates.push_back(std::move(r));
  }
  std::vector<internal::Link> links = internal::link_mentions(impl_->lexicon, norm.text, drafts);
  // Normalization reports every invalid byte, so none means valid UTF-8.
  internal::CodePointCounter cp(doc.text, result.diagnostics.empty());
  result.mentions.reserve(drafts.size());
  for (std::size_t i = 0; i < drafts.size(); ++i) {
    const internal::Draft& d = drafts[i];
    // (Built in place: a Mention is some twenty strings to move.)
    Mention& m = result.mentions.emplace_back();
    m.id = static_cast<int>(i) + 1;
    std::size_t b = norm.original_byte(d.begin), e = norm.original_byte(d.end);
    m.byte_start = static_cast<std::int64_t>(b);
    m.byte_end = static_cast<std::int64_t>(e);
    m.start = cp.at(b);
    m.end = cp.at(e);
    m.text.assign(doc.text, b, e - b);
    m.currency = d.currency;
    m.value = d.value;
    m.low = d.low;
    m.high = d.high;
    m.approx = d.approx;
    m.bound = d.bound;
    m.role = d.role;
    if (d.restates >= 0) m.converts = d.restates + 1;
    m.entity = std::move(links[i].entity);
    m.action = std::move(links[i].action);
    m.target = std::move(links[i].target);
  }
  return result;
}

ValueResult Engine::value(std::string_view expr) const {
  internal::NormalizedText norm = internal::normalize(expr);
  if (!norm.diagnostics.empty()) {
    ValueResult r;
    r.error = norm.diagnostics.front().message;
    return r;
  }
  ValueResult r = internal::evaluate_expression(impl_->lexicon, norm.text);
  if (r.ok) return r;
  // Forms only the structure stage knows (2cheonmanwondae, 1dalreo 20senteu): a figure
  // when exactly one mention spans the whole expression.
  std::string_view t = norm.text;
  while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
  while (!t.empty() && (t.back() == ' ' || t.back() == '\t' || t.back() == '\r' || t.back() == '\n')) t.remove_suffix(1);
  ExtractResult x = extract(Document{"", std::string(t), ""});
  if (x.mentions.size() != 1 || x.mentions[0].text.size() != t.size()) return r;
  const Mention& m = x.mentions[0];
  ValueResult out;
  out.ok = true;
  out.value = m.value;
  out.low = m.low;
  out.high = m.high;
  out.currency = m.currency;
  return out;
}

const std::string& Engine::home_currency() const { return impl_->lexicon.home_currency; }

const char* version() { return KRFX_VERSION; }

}  // namespace krfx
