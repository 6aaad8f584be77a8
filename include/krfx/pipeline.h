// krfx/pipeline.h — running input files through the engine on all cores.
//
// One reader thread cuts the input into parts (krfx/input.h: a document, or
// a paragraph-bounded piece of a large one) and hands them out in small
// batches; worker threads extract and check them on the one shared,
// immutable Engine and RateTable; the calling thread writes the results in
// input order. Batches in flight are bounded, so memory does not grow with
// the input, and the output does not depend on the number of threads.
//
//   krfx::PipelineOptions opt;
//   opt.threads = krfx::default_threads();
//   krfx::PipelineOutput out;
//   out.render = [&](const krfx::Document& d, const krfx::ExtractResult& r, std::int64_t) {
//     std::ostringstream s;  // e.g. a JSONL writer over s
//     ...
//     return s.str();
//   };
//   krfx::PipelineStats st = krfx::run_pipeline(*engine, rates, files, opt, out, std::cout);
//
// A document's parts are joined again before it is checked and rendered, so
// what render sees is what Engine::extract and check_conversions would give
// for the whole document. A document larger than `window_bytes` is checked
// and rendered in windows: runs of whole parts of at most that size, closed
// early once they hold `window_mentions` mentions (a conversion is then
// checked against the rates and medians of its window; ids and offsets
// still count from the start of the document).
#ifndef KRFX_PIPELINE_H_
#define KRFX_PIPELINE_H_

#include <krfx/check.h>
#include <krfx/engine.h>
#include <krfx/input.h>
#include <krfx/mention.h>
#include <krfx/rates.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

namespace krfx {

struct PipelineOptions {
  int threads = 1;  // worker threads; 1 runs everything on the calling thread
  InputKind input = InputKind::kAuto;
  SplitOptions split;
  // A document up to this size is checked and rendered whole; a larger one
  // in windows of whole parts up to this size. Its mentions are held until
  // then (about 10 KB of memory per KB of text), so this bounds memory.
  std::size_t window_bytes = std::size_t{1} << 20;
  // ... and a window also closes once it holds this many mentions, so that
  // text dense with amounts (one every few bytes) stays within bounds too.
  std::size_t window_mentions = 16384;
  CheckOptions check;
  // A progress line on stderr (bytes done, MB/s, ETA when the total is
  // known) for inputs over 8 MB, refreshed at most four times a second. The
  // caller decides whether stderr is a terminal.
  bool progress = false;
};

struct PipelineOutput {
  // The bytes to write for one checked document (or window). `doc` carries
  // the id, the date and the text of the document; for a window of a larger
  // document, the window's text, which starts at byte `text_offset` of the
  // document (mention offsets count from the start of the document, so
  // doc.text[m.byte_start - text_offset] is where m starts). Called on worker
  // threads, several at once, unless render_in_order is set: then on the
  // calling thread, in input order.
  std::function<std::string(const Document& doc, const ExtractResult& result, std::int64_t text_offset)> render;
  bool render_in_order = false;
  // Called on the calling thread, in input order: a problem inside a
  // document (invalid UTF-8), and an input that could not be read.
  std::function<void(const std::string& file, const Document& doc, const Diagnostic& d)> on_diagnostic;
  std::function<void(const InputError& e)> on_input_error;
};

struct PipelineStats {
  std::int64_t documents = 0;
  std::int64_t diagnostics = 0;
  std::int64_t input_errors = 0;
  std::uint64_t input_bytes = 0;
};

// Reads every file ("-" is standard input) in order and writes what render
// returns to `out`, in input order, flushing after each batch. An exception
// from render (or the engine) stops the run and is rethrown here.
PipelineStats run_pipeline(const Engine& engine, const RateTable& rates, const std::vector<std::string>& files,
                           const PipelineOptions& options, const PipelineOutput& output, std::ostream& out);

// The number of cores (std::thread::hardware_concurrency), at least 1.
int default_threads();

}  // namespace krfx

#endif  // KRFX_PIPELINE_H_
