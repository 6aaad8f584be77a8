// krfx/engine.h — the extraction engine.
//
// Usage guide
// -----------
// An Engine is built once from a rules directory (or the default rules that
// are embedded in the library) and is then immutable: any number of threads
// may call extract() and value() on the same Engine at once.
//
//   krfx::LoadError err;
//   auto engine = krfx::Engine::load_default(&err);     // or load("rules/ko")
//   if (!engine) { std::cerr << err.to_string() << "\n"; return 2; }
//
//   // text: UTF-8 Korean, e.g. "SoftBank will invest 150eok dalleo (yak
//   // 21jo 9000eok) or more" written in Hangul.
//   krfx::Document doc{"a1", text, ""};
//   krfx::ExtractResult r = engine->extract(doc);
//   for (const krfx::Mention& m : r.mentions) { /* m.currency, m.value ... */ }
//
//   krfx::ValueResult v = engine->value(expr);  // "21jo9000eok" -> 21900000000000
//
// The engine knows no Korean: every word it recognises (numerals, units,
// currency words, qualifiers, connectors, counters) comes from the rules. The
// grammar file format is documented in rules/README.md.
#ifndef KRFX_ENGINE_H_
#define KRFX_ENGINE_H_

#include <krfx/decimal.h>
#include <krfx/mention.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace krfx {

// Why rules could not be loaded: the file, 1-based line and column (0 when
// not known) and what is wrong. to_string() gives "file:line:col: message".
struct LoadError {
  std::string file;
  int line = 0;
  int column = 0;
  std::string message;
  std::string to_string() const;
};

// The reading of one figure by Engine::value().
struct ValueResult {
  bool ok = false;
  std::optional<Decimal> value;      // set when ok and the figure is a point
  std::optional<Decimal> low, high;  // set when ok and the figure is a band
  std::string currency;              // ISO code, or empty when none is named
  std::string error;                 // why it is not a figure, when !ok
};

namespace internal { struct EngineImpl; }

class Engine {
 public:
  // Loads `dir/main.rules` (which includes the others). Returns nullptr and
  // fills *error on any problem: a missing file, a syntax error, an unknown
  // reference, a pattern RE2 rejects or that exceeds its memory budget.
  static std::unique_ptr<Engine> load(const std::string& dir, LoadError* error);

  // Loads the rules embedded in the binary at build time.
  static std::unique_ptr<Engine> load_default(LoadError* error);

  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // The built-in rules compile their patterns when first needed. prepare()
  // starts compiling them on a second thread and returns at once, so that
  // an extraction that begins next (on this thread, which compiles what it
  // needs first) waits less. Optional; const and thread-safe like the rest.
  void prepare() const;

  // Every money mention of the document, in text order, ids from 1.
  // Never throws on bad input: invalid UTF-8 becomes a Diagnostic.
  ExtractResult extract(const Document& doc) const;

  // Reads a single figure: a numeral (`21jo9000eok`, `iljeomisam`, `obunui sam`,
  // `1.5e3`), optionally with a currency (`5000eok dalreo`). Thread-safe.
  ValueResult value(std::string_view expr) const;

  // The ISO code of the home currency (rules: `set home_currency`), which a
  // restatement without a currency word takes.
  const std::string& home_currency() const;

 private:
  explicit Engine(std::unique_ptr<internal::EngineImpl> impl);
  std::unique_ptr<internal::EngineImpl> impl_;
};

// "krfx 0.1.0"-style version string of the library.
const char* version();

}  // namespace krfx

#endif  // KRFX_ENGINE_H_
