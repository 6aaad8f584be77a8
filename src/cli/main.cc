// The krfx command line: a thin layer over the library.
#include <krfx/check.h>
#include <krfx/engine.h>
#include <krfx/input.h>
#include <krfx/output.h>
#include <krfx/pipeline.h>
#include <krfx/rates.h>
#include <krfx/report.h>

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

constexpr int kOk = 0, kInputError = 1, kUsage = 2, kInconsistent = 3;

const char* kHelp = R"(krfx - exact money amounts from Korean financial text

Usage:
  krfx extract [OPTIONS] [FILE...]   every money mention, one record each
  krfx check [OPTIONS] [FILE...]     report every restated amount and whether its rate is right
  krfx value [OPTIONS] [EXPR...]     read single figures (no EXPR: one per line on stdin)
  krfx report [OPTIONS] [FILE...]    totals by entity and action in one currency, one row each
  krfx --help | --version

extract options:
  --format jsonl|csv|table   output format (default: table on a terminal, csv otherwise)
  --input jsonl|text         how to read FILEs (default: *.jsonl is JSONL, others text)
  --rules DIR                rules directory to use instead of the built-in rules
  --date YYYY-MM-DD          reference date for documents that carry none
  --rates FILE               reference exchange rates (ECB or date,base,quote,rate CSV),
                             consulted before the built-in monthly ECB table; repeatable
  --no-default-rates         use only the --rates files, not the built-in table
  --rate-tolerance PCT       how far a conversion may stray from the reference (default 2)
  --to CUR                   also give every amount in CUR (converted_* fields)
  -j N, --threads N          worker threads (default: all cores); the output is the
                             same for every N
  --quiet, -q                no progress line (shown on a terminal for inputs over 8 MB)
  --part-bytes N             cut documents longer than N bytes (default 131072) into
                             parts at blank lines, else line ends, and extract the
                             parts in parallel; records are those of the whole document

FILE "-" or no FILE reads standard input. A JSONL line is one document:
{"id": "...", "text": "...", "date": "YYYY-MM-DD"}.

value options:
  --rules DIR                as above
Each EXPR prints EXPR<TAB>VALUE<TAB>CURRENCY; a vague figure (several hundred
100-million units, written with su-) prints LOW..HIGH.

check takes the same options but --format and --to, and prints one line per
conversion: the amounts, the implied rate, the reference with its date and
source, the deviation and the verdict, then a summary.

report takes the extract options (--format: csv by default, table on a
terminal) and:
  --to CUR                   reporting currency of the totals (default KRW)
  --by target|doc            finer rows: also by target and/or by document
                             (repeatable, or --by target,doc)
  --bom                      start the CSV with a UTF-8 byte order mark (Excel)
  --top N                    table: rows shown, largest total first (default 20; 0: all)
Restatements are never summed, a sentence repeated in a document counts
once, a stated total (the words of rules/ko/report.rules) replaces the
earlier amounts it sums; columns: README.md, section "Reports".

Exit status: 0 success; 1 some input could not be read or decoded (the rest
is still processed); 2 bad usage or a bad rules or rates file
(file:line:col: message); 3 (check) some conversion is inconsistent.
)";

struct Options {
  std::string command;
  std::string format, input, rules, date, tolerance, to;
  std::vector<std::string> rates;
  bool no_default_rates = false;
  int threads = 0;  // 0: all cores
  bool quiet = false;
  std::size_t part_bytes = 0;  // 0: the default
  std::vector<std::string> args;
};

int usage_error(const std::string& msg) {
  fmt::print(stderr, "krfx: {}\nTry 'krfx --help'.\n", msg);
  return kUsage;
}

bool valid_date(const std::string& d) {
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return false;
  for (int i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (d[static_cast<std::size_t>(i)] < '0' || d[static_cast<std::size_t>(i)] > '9') return false;
  int month = (d[5] - '0') * 10 + (d[6] - '0'), day = (d[8] - '0') * 10 + (d[9] - '0');
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

// A positive decimal count no larger than `max`, into *size or *count.
bool parse_count(const std::string& s, std::size_t max, std::size_t* size, int* count) {
  if (s.empty() || s.size() > 10 || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return false;
  const unsigned long long n = std::stoull(s);
  if (n == 0 || n > max) return false;
  if (size) *size = static_cast<std::size_t>(n);
  if (count) *count = static_cast<int>(n);
  return true;
}

// Parses options after the command; returns kOk or an exit status.
int parse(int argc, char** argv, Options* o) {
  bool only_args = false;
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i];
    if (only_args || a == "-" || a.empty() || a[0] != '-') {
      o->args.push_back(a);
      continue;
    }
    if (a == "--") {
      only_args = true;
      continue;
    }
    std::string name = a, value;
    bool has_value = false;
    if (auto eq = a.find('='); eq != std::string::npos) {
      name = a.substr(0, eq);
      value = a.substr(eq + 1);
      has_value = true;
    }
    if (name == "--no-default-rates") {
      o->no_default_rates = true;
      continue;
    }
    if (name == "--quiet" || name == "-q") {
      o->quiet = true;
      continue;
    }
    if (name == "-j" || name == "--threads" || name == "--part-bytes" || (a.rfind("-j", 0) == 0 && a.size() > 2)) {
      if (a.rfind("-j", 0) == 0 && a.size() > 2) value = a.substr(2), has_value = true;  // -j4
      if (!has_value) {
        if (i + 1 >= argc) return usage_error(fmt::format("option '{}' needs a value", name));
        value = argv[++i];
      }
      if (!parse_count(value, name == "--part-bytes" ? std::size_t{1} << 30 : 4096,
                       name == "--part-bytes" ? &o->part_bytes : nullptr, name == "--part-bytes" ? nullptr : &o->threads))
        return usage_error(fmt::format("{} must be a positive number, not '{}'", name == "--part-bytes" ? name : "-j/--threads", value));
      continue;
    }
    std::string* slot = nullptr;
    std::string rates_file;
    if (name == "--format") slot = &o->format;
    else if (name == "--rate-tolerance") slot = &o->tolerance;
    else if (name == "--to") slot = &o->to;
    else if (name == "--input") slot = &o->input;
    else if (name == "--rules") slot = &o->rules;
    else if (name == "--date") slot = &o->date;
    else if (name == "--rates") slot = &rates_file;
    if (!slot) {
      // A leading '-' may start a figure for `krfx value` (-9.23).
      if (o->command == "value" && a.size() > 1 && (std::isdigit(static_cast<unsigned char>(a[1])) || a[1] == '.')) {
        o->args.push_back(a);
        continue;
      }
      return usage_error(fmt::format("unknown option '{}'", a));
    }
    if (!has_value) {
      if (i + 1 >= argc) return usage_error(fmt::format("option '{}' needs a value", name));
      value = argv[++i];
    }
    *slot = value;
    if (name == "--rates") o->rates.push_back(rates_file);
  }
  if (!o->tolerance.empty()) {
    auto t = krfx::Decimal::parse(o->tolerance);
    if (!t || t->is_negative()) return usage_error(fmt::format("--rate-tolerance must be a percentage, not '{}'", o->tolerance));
  }
  if (!o->to.empty() && (o->to.size() != 3 || !std::all_of(o->to.begin(), o->to.end(), [](char c) { return c >= 'A' && c <= 'Z'; })))
    return usage_error(fmt::format("--to must be an ISO 4217 code such as KRW or USD, not '{}'", o->to));
  if (!o->format.empty() && o->format != "jsonl" && o->format != "csv" && o->format != "table")
    return usage_error(fmt::format("--format must be jsonl, csv or table, not '{}'", o->format));
  if (!o->input.empty() && o->input != "jsonl" && o->input != "text")
    return usage_error(fmt::format("--input must be jsonl or text, not '{}'", o->input));
  if (!o->date.empty() && !valid_date(o->date))
    return usage_error(fmt::format("--date must be YYYY-MM-DD, not '{}'", o->date));
  return kOk;
}

// The engine for the rest of the process, or nullptr after printing why
// the rules could not be loaded. It is never destroyed: freeing its tables
// one by one at exit, and waiting for a pattern still compiling ahead, took
// longer than extracting a short article.
const krfx::Engine* load_engine(const Options& o) {
  krfx::LoadError err;
  auto engine = o.rules.empty() ? krfx::Engine::load_default(&err) : krfx::Engine::load(o.rules, &err);
  if (!engine) {
    fmt::print(stderr, "krfx: {}\n", err.to_string());
    return nullptr;
  }
  // Held by a global, so that leak checkers see it as still in use;
  // volatile, or the compiler drops a store that nothing reads.
  static const krfx::Engine* volatile kept = nullptr;
  kept = engine.release();
  return kept;
}

// The --rates files first, then the built-in table: for the same pair and
// date the user's figure wins. False with *err on the first bad file.
bool read_rates(const Options& o, krfx::RateTable* rates, krfx::LoadError* err) {
  for (const std::string& f : o.rates)
    if (!rates->add_file(f, err)) return false;
  return o.no_default_rates || rates->add_default(err);
}

// The rates, read on a second thread while the rules load (neither needs
// the other); wait() gives them, or prints why not.
class RatesLoader {
 public:
  explicit RatesLoader(const Options& o) : o_(o) {
    if (!o.rates.empty() || !o.no_default_rates) thread_ = std::thread([this] { ok_ = read_rates(o_, &rates_, &err_); });
  }
  ~RatesLoader() {
    if (thread_.joinable()) thread_.join();
  }
  // The table once read; nullptr (after printing the error) when a file is bad.
  krfx::RateTable* wait() {
    if (thread_.joinable()) thread_.join();
    if (ok_) return &rates_;
    fmt::print(stderr, "krfx: {}\n", err_.to_string());
    return nullptr;
  }

 private:
  const Options& o_;
  krfx::RateTable rates_;
  krfx::LoadError err_;
  bool ok_ = true;
  std::thread thread_;
};

krfx::CheckOptions check_options(const Options& o, const krfx::Engine& engine) {
  krfx::CheckOptions c;
  if (!o.tolerance.empty()) c.tolerance_percent = *krfx::Decimal::parse(o.tolerance);
  c.default_date = o.date;
  c.to_currency = o.to;
  c.home_currency = engine.home_currency();
  return c;
}

krfx::InputKind input_kind(const Options& o) {
  return o.input == "jsonl" ? krfx::InputKind::kJsonl
         : o.input == "text" ? krfx::InputKind::kText
                             : krfx::InputKind::kAuto;
}

// How the pipeline runs for these options: threads, parts, progress.
krfx::PipelineOptions pipeline_options(const Options& o, const krfx::Engine& engine) {
  krfx::PipelineOptions p;
  p.threads = o.threads > 0 ? o.threads : krfx::default_threads();
  p.input = input_kind(o);
  if (o.part_bytes > 0) {
    p.split.part_bytes = o.part_bytes;
    p.split.max_part_bytes = std::max(p.split.max_part_bytes, o.part_bytes);
    p.window_bytes = std::max(p.window_bytes, o.part_bytes);
  }
  p.check = check_options(o, engine);
  p.progress = !o.quiet && isatty(STDERR_FILENO);
  return p;
}

// Runs every document of every FILE through the engine and the check on
// o.threads cores; `render` (called concurrently) gives the text written to
// stdout for each document, in input order. Returns kInputError when
// anything could not be read or decoded.
int render_documents(const Options& o, const krfx::Engine& engine, const krfx::RateTable& rates,
                     std::function<std::string(const krfx::Document&, const krfx::ExtractResult&, std::int64_t)> render,
                     bool in_order = false) {
  krfx::PipelineOutput out;
  out.render = std::move(render);
  out.render_in_order = in_order;
  out.on_diagnostic = [](const std::string& file, const krfx::Document& doc, const krfx::Diagnostic& d) {
    fmt::print(stderr, "krfx: {}: document '{}': {}\n", file, doc.id, d.message);
  };
  out.on_input_error = [](const krfx::InputError& e) { fmt::print(stderr, "krfx: {}\n", e.to_string()); };
  std::vector<std::string> files = o.args.empty() ? std::vector<std::string>{"-"} : o.args;
  krfx::PipelineStats st = krfx::run_pipeline(engine, rates, files, pipeline_options(o, engine), out, std::cout);
  return st.input_errors > 0 || st.diagnostics > 0 ? kInputError : kOk;
}

// Reads every document of every FILE, extracts and checks it, and hands it
// on, one at a time in input order (extraction runs on all cores). A
// document larger than 1 MiB comes in windows of whole paragraphs; doc.text
// is then the window's text, and byte offsets are made relative to it.
int for_each_document(const Options& o, const krfx::Engine& engine, const krfx::RateTable& rates,
                      const std::function<void(const krfx::Document&, const krfx::ExtractResult&)>& sink) {
  return render_documents(
      o, engine, rates,
      [&](const krfx::Document& doc, const krfx::ExtractResult& r, std::int64_t text_offset) {
        if (text_offset == 0) {
          sink(doc, r);
        } else {
          krfx::ExtractResult local = r;
          for (krfx::Mention& m : local.mentions) {
            m.byte_start -= text_offset;
            m.byte_end -= text_offset;
          }
          sink(doc, local);
        }
        return std::string();
      },
      true);
}

krfx::Format output_format(const Options& o) {
  if (o.format == "jsonl") return krfx::Format::kJsonl;
  if (o.format == "table" || (o.format.empty() && isatty(STDOUT_FILENO))) return krfx::Format::kTable;
  return krfx::Format::kCsv;
}

int run_extract(const Options& o) {
  RatesLoader loader(o);
  auto engine = load_engine(o);
  if (!engine) return kUsage;
  krfx::RateTable* loaded = loader.wait();
  if (!loaded) return kUsage;
  const krfx::RateTable& rates = *loaded;
  const krfx::Format format = output_format(o);
  krfx::WriterOptions wopt;
  wopt.conversion_fields = !o.to.empty();
  auto writer = krfx::make_writer(format, std::cout, wopt);
  writer->begin();
  int status;
  if (format == krfx::Format::kTable) {
    // The table aligns all rows at the end: rows are gathered in order.
    status = for_each_document(o, *engine, rates, [&](const krfx::Document& doc, const krfx::ExtractResult& r) {
      writer->write(doc, r.mentions);
    });
  } else {
    status = render_documents(o, *engine, rates, [&](const krfx::Document& doc, const krfx::ExtractResult& r, std::int64_t) {
      std::ostringstream text;
      krfx::make_writer(format, text, wopt)->write(doc, r.mentions);
      return text.str();
    });
  }
  writer->end();
  std::cout.flush();
  return status;
}

std::string amount_text(const krfx::Mention& m) {
  std::string amount = m.value ? m.value->to_string() : m.low->to_string() + ".." + m.high->to_string();
  return fmt::format("{} ({} {})", m.text, m.currency, amount);
}

int run_check(const Options& o) {
  if (!o.format.empty() || !o.to.empty()) return usage_error("check takes neither --format nor --to");
  RatesLoader loader(o);
  auto engine = load_engine(o);
  if (!engine) return kUsage;
  krfx::RateTable* loaded = loader.wait();
  if (!loaded) return kUsage;
  const krfx::RateTable& rates = *loaded;
  std::atomic<int> total{0}, consistent{0}, inconsistent{0}, unchecked{0};
  int status = render_documents(o, *engine, rates, [&](const krfx::Document& doc, const krfx::ExtractResult& r, std::int64_t) {
    std::string lines;
    for (const krfx::Mention& c : r.mentions) {
      if (c.role != krfx::Role::kConversion) continue;
      // Ids count from the start of the document; r may be a later window.
      const krfx::Mention& p = r.mentions[static_cast<std::size_t>(c.converts - r.mentions.front().id)];
      ++total;
      std::string verdict = c.rate_check.empty() ? "unchecked" : c.rate_check;
      if (verdict == "consistent") ++consistent;
      else if (verdict == "inconsistent") ++inconsistent;
      else ++unchecked;
      std::string ref = "no reference rate";
      if (!c.reference_rate.empty()) {
        std::string when = c.reference_date.empty() ? "" : " on " + c.reference_date;
        ref = fmt::format("reference {} {}/{}{} ({}), deviation {}%", c.reference_rate, c.currency, p.currency, when,
                          c.reference_source, c.rate_deviation);
      }
      lines += fmt::format("{}:{}: {} restated as {}: implied {} {}/{}; {}: {}\n", doc.id, c.start, amount_text(p),
                           amount_text(c), c.implied_rate, c.currency, p.currency, ref, verdict);
    }
    return lines;
  });
  std::cout << fmt::format("{} conversions: {} consistent, {} inconsistent, {} unchecked\n", total.load(),
                           consistent.load(), inconsistent.load(), unchecked.load());
  std::cout.flush();
  if (inconsistent > 0) return kInconsistent;
  return status;
}

// krfx report: its own options (--by, --bom, --top) are taken out first, the
// rest are the extract options.
int run_report(int argc, char** argv) {
  krfx::ReportOptions ropt;
  krfx::ReportWriteOptions wopt;
  std::vector<char*> rest{argv[0], argv[1]};
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--") {
      rest.insert(rest.end(), argv + i, argv + argc);
      break;
    }
    std::string name = a, value;
    bool has_value = false;
    if (auto eq = a.find('='); eq != std::string::npos && a.rfind("--", 0) == 0) {
      name = a.substr(0, eq);
      value = a.substr(eq + 1);
      has_value = true;
    }
    if (name == "--bom" && !has_value) {
      wopt.bom = true;
      continue;
    }
    if (name != "--by" && name != "--top") {
      rest.push_back(argv[i]);
      continue;
    }
    if (!has_value) {
      if (i + 1 >= argc) return usage_error(fmt::format("option '{}' needs a value", name));
      value = argv[++i];
    }
    if (name == "--top") {
      if (value.empty() || value.size() > 6 || !std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return usage_error(fmt::format("--top must be a number of rows, not '{}'", value));
      wopt.top = std::stoi(value);
      continue;
    }
    std::size_t b = 0;
    while (true) {
      std::size_t e = value.find(',', b);
      std::string by = value.substr(b, e == std::string::npos ? std::string::npos : e - b);
      if (by == "target") ropt.by_target = true;
      else if (by == "doc") ropt.by_doc = true;
      else return usage_error(fmt::format("--by must be target or doc, not '{}'", by));
      if (e == std::string::npos) break;
      b = e + 1;
    }
  }
  Options o;
  o.command = "report";
  if (int rc = parse(static_cast<int>(rest.size()), rest.data(), &o); rc != kOk) return rc;
  if (wopt.bom && !o.format.empty() && o.format != "csv") return usage_error("--bom applies to CSV output only");
  RatesLoader loader(o);
  auto engine = load_engine(o);
  if (!engine) return kUsage;
  if (o.to.empty()) o.to = "KRW";
  ropt.to_currency = o.to;
  krfx::LoadError err;
  if (!krfx::load_report_words(o.rules, &ropt, &err)) {
    fmt::print(stderr, "krfx: {}\n", err.to_string());
    return kUsage;
  }
  krfx::RateTable* loaded = loader.wait();
  if (!loaded) return kUsage;
  const krfx::RateTable& rates = *loaded;
  krfx::Format format = krfx::Format::kCsv;
  if (o.format == "jsonl") format = krfx::Format::kJsonl;
  else if (o.format == "table" || (o.format.empty() && !wopt.bom && isatty(STDOUT_FILENO))) format = krfx::Format::kTable;
  krfx::Report report(ropt);
  int status = for_each_document(o, *engine, rates, [&](const krfx::Document& doc, const krfx::ExtractResult& r) {
    report.add(doc, r);
  });
  krfx::write_report(report, format, std::cout, wopt);
  return status;
}

std::string strip_line_end(std::string s) {
  while (!s.empty() && (s.back() == '\r' || s.back() == '\n')) s.pop_back();
  return s;
}

int run_value(const Options& o) {
  auto engine = load_engine(o);
  if (!engine) return kUsage;
  int status = kOk;
  auto one = [&](const std::string& expr) {
    krfx::ValueResult r = engine->value(expr);
    std::string value;
    if (r.ok) value = r.value ? r.value->to_string() : r.low->to_string() + ".." + r.high->to_string();
    fmt::print("{}\t{}\t{}\n", expr, value, r.currency);
    if (!r.ok) {
      fmt::print(stderr, "krfx: value: {}\n", r.error);
      status = kInputError;
    }
  };
  if (!o.args.empty()) {
    for (const std::string& a : o.args) one(a);
  } else {
    std::string line;
    while (std::getline(std::cin, line)) {
      line = strip_line_end(line);
      if (line.empty()) continue;
      one(line);
      std::fflush(stdout);
    }
  }
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  if (argc < 2) {
    fmt::print(stderr, "{}", kHelp);
    return kUsage;
  }
  std::string cmd = argv[1];
  if (cmd == "--help" || cmd == "-h" || cmd == "help") {
    fmt::print("{}", kHelp);
    return kOk;
  }
  if (cmd == "--version") {
    fmt::print("krfx {}\n", krfx::version());
    return kOk;
  }
  if (cmd != "extract" && cmd != "value" && cmd != "check" && cmd != "report")
    return usage_error(fmt::format("unknown command '{}'", cmd));
  Options o;
  o.command = cmd;
  for (int i = 2; i < argc; ++i)
    if (std::string(argv[i]) == "--help") {
      fmt::print("{}", kHelp);
      return kOk;
    }
  if (cmd == "report") return run_report(argc, argv);
  if (int rc = parse(argc, argv, &o); rc != kOk) return rc;
  if (cmd == "check") return run_check(o);
  return cmd == "extract" ? run_extract(o) : run_value(o);
}
