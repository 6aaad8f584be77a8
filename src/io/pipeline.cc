// The pipeline of krfx/pipeline.h: reader thread -> worker pool -> writer in
// input order, with a bounded number of batches in flight.
#include <krfx/pipeline.h>

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <exception>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>

namespace krfx {
namespace {

// A batch closes at this much text or this many parts: big enough that the
// hand-over between threads costs nothing next to extraction, small enough
// that output follows input closely.
constexpr std::size_t kBatchBytes = std::size_t{64} << 10;
constexpr std::size_t kBatchEntries = 256;
// Batches in flight (queued, being extracted, or waiting to be written) per
// worker thread, plus two.
constexpr std::size_t kInFlightPerThread = 2;

// No progress line for inputs smaller than this (MB = 10^6 bytes).
constexpr std::uint64_t kProgressMinBytes = 8000000;
constexpr auto kProgressInterval = std::chrono::milliseconds(250);

struct Entry {
  bool is_error = false;
  InputError error;
  std::size_t file = 0;
  DocumentPart part;  // text moved out while extracting; back only when needed
  std::size_t bytes = 0;
  ExtractResult result;
  std::string rendered;
  bool rendered_done = false;
  std::int64_t code_points = 0;  // of the part, when its document has several
};

struct Batch {
  std::uint64_t seq = 0;
  std::vector<Entry> entries;
  std::size_t bytes = 0;
  std::uint64_t input_done = 0;  // input bytes read when the batch closed
  std::exception_ptr failure;
};

// What the workers do: extract each part; a whole document is also checked
// and, unless it has to be rendered in order, rendered.
class Processor {
 public:
  Processor(const Engine& engine, const RateTable& rates, const PipelineOptions& options,
            const PipelineOutput& output)
      : engine_(engine), rates_(rates), options_(options), output_(output) {}

  void process(Batch* batch) const {
    for (Entry& e : batch->entries)
      if (!e.is_error) process(&e);
  }

 private:
  void process(Entry* e) const {
    DocumentPart& p = e->part;
    Document doc{p.id, std::move(p.text), p.date};
    e->result = engine_.extract(doc);
    if (p.first && p.last) {
      check_conversions(rates_, options_.check, doc, &e->result);
      if (output_.render && !output_.render_in_order) {
        e->rendered = output_.render(doc, e->result, 0);
        e->rendered_done = true;
        e->result.mentions = {};
        e->result.stated_rates = {};
        return;  // the text goes with doc
      }
    } else {
      e->code_points = count_code_points(doc.text);
    }
    p.text = std::move(doc.text);
  }

  const Engine& engine_;
  const RateTable& rates_;
  const PipelineOptions& options_;
  const PipelineOutput& output_;
};

std::string tenths(std::uint64_t n) { return fmt::format("{}.{}", n / 10, n % 10); }

std::string clock_text(std::uint64_t seconds) {
  if (seconds >= 3600) return fmt::format("{}:{:02}:{:02}", seconds / 3600, seconds / 60 % 60, seconds % 60);
  return fmt::format("{}:{:02}", seconds / 60, seconds % 60);
}

// The progress line: bytes done, MB/s, and with a known total the share and
// ETA, redrawn in place with \r.
class Progress {
 public:
  Progress(bool enabled, std::uint64_t total)
      : enabled_(enabled), total_(total), shared_terminal_(enabled && isatty(STDOUT_FILENO)) {}

  void update(std::uint64_t done) {
    if (!enabled_) return;
    if (total_ > 0 ? total_ < kProgressMinBytes : done < kProgressMinBytes) return;
    const auto now = std::chrono::steady_clock::now();
    if (drawn_ && now - last_ < kProgressInterval) return;
    last_ = now;
    drawn_ = true;
    const auto ms = static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::milliseconds>(now - start_).count());
    const std::uint64_t rate = ms > 0 ? done * 1000 / ms : 0;  // bytes per second
    std::string line = fmt::format("krfx: {} MB", tenths(done / 100000));
    if (total_ > 0) {
      const std::uint64_t shown = std::min(done, total_);
      line += fmt::format(" of {} MB ({}%)", tenths(total_ / 100000), shown * 100 / total_);
    }
    line += fmt::format(", {} MB/s", tenths(rate / 100000));
    if (total_ > 0 && rate > 0 && done <= total_) line += fmt::format(", ETA {}", clock_text((total_ - done) / rate));
    std::fprintf(stderr, "\r%s\033[K", line.c_str());
    std::fflush(stderr);
    visible_ = true;
  }

  // Before output: when stdout is the same terminal, the line goes away
  // first, and comes back at the next update.
  void before_output() {
    if (shared_terminal_) clear();
  }

  // Takes the line away, before a message or at the end.
  void clear() {
    if (!visible_) return;
    std::fputs("\r\033[K", stderr);
    std::fflush(stderr);
    visible_ = false;
  }

 private:
  bool enabled_;
  std::uint64_t total_;
  bool shared_terminal_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now(), last_;
  bool drawn_ = false, visible_ = false;
};

// Hands a job to the worker threads.
using Dispatch = std::function<void(std::function<void()>)>;

// The calling thread's side: batches in input order; parts joined into
// windows, which are checked and rendered on the workers (given a dispatch)
// while the next window gathers; output written in order.
class OrderedWriter {
 public:
  OrderedWriter(const RateTable& rates, const PipelineOptions& options, const PipelineOutput& output,
                const std::vector<std::string>& files, std::ostream& out, PipelineStats* stats, Progress* progress)
      : rates_(rates), options_(options), output_(output), files_(files), out_(out), stats_(stats),
        progress_(progress) {}

  // Windows are finished on the workers, at most `max_deferred` at a time.
  void set_dispatch(Dispatch dispatch, std::size_t max_deferred) {
    dispatch_ = std::move(dispatch);
    max_deferred_ = std::max<std::size_t>(max_deferred, 1);
  }

  void write(Batch* batch) {
    for (Entry& e : batch->entries) write(&e);
    drain(false);
    flush_out();
    progress_->update(batch->input_done);
  }

  // Writes what is still waiting for the workers.
  void finish() {
    drain(true);
    flush_out();
  }

 private:
  void write(Entry* e) {
    if (e->is_error) {
      ++stats_->input_errors;
      flush_out();  // (the message comes after the output before it)
      progress_->clear();
      if (output_.on_input_error) output_.on_input_error(e->error);
      return;
    }
    DocumentPart& p = e->part;
    if (p.first && p.last) {
      ++stats_->documents;
      Document doc{std::move(p.id), std::move(p.text), std::move(p.date)};
      report(e->file, doc, e->result.diagnostics);
      if (e->rendered_done) {
        emit(std::move(e->rendered));
      } else if (output_.render) {
        emit(output_.render(doc, e->result, 0));
      }
      return;
    }
    if (p.first) {
      ++stats_->documents;
      doc_ = Document{p.id, std::string(), p.date};
      file_ = e->file;
      code_points_ = 0;
      ids_ = 0;
    } else if (window_bytes_ > 0 && (window_bytes_ + e->bytes > options_.window_bytes ||
                                     window_.mentions.size() >= options_.window_mentions)) {
      flush_window();
    }
    if (window_bytes_ == 0) window_offset_ = p.byte_offset;
    append_part_result(&window_, std::move(e->result), p.byte_offset, code_points_);
    code_points_ += e->code_points;
    doc_.text += p.text;
    window_bytes_ += e->bytes;
    if (p.last) {
      flush_window();
      std::string().swap(doc_.text);
    }
  }

  // Checks and renders what has gathered of the current document; the
  // check sees ids from 1 (check_conversions indexes by them), the output
  // ids counted from the start of the document.
  void flush_window() {
    report(file_, doc_, window_.diagnostics);
    const int base = ids_;
    ids_ += static_cast<int>(window_.mentions.size());
    if (output_.render) {
      auto job = [&rates = rates_, &options = options_, &output = output_, base, offset = window_offset_,
                  doc = Document{doc_.id, std::move(doc_.text), doc_.date},
                  window = std::move(window_)]() mutable {
        check_conversions(rates, options.check, doc, &window);
        shift_mention_ids(&window.mentions, base);
        return output.render(doc, window, offset);
      };
      if (dispatch_ && !output_.render_in_order) {
        auto task = std::make_shared<std::packaged_task<std::string()>>(std::move(job));
        pending_.push_back(Pending{std::string(), task->get_future(), true});
        ++deferred_;
        dispatch_([task] { (*task)(); });
        if (deferred_ > max_deferred_) drain(false, deferred_ - max_deferred_);
      } else {
        emit(job());
      }
    }
    window_ = ExtractResult();
    doc_.text.clear();
    window_bytes_ = 0;
  }

  // Writes finished output from the front of the queue: all of it when
  // `all`, else what is ready, waiting for the first `wait_for` deferred.
  void drain(bool all, std::size_t wait_for = 0) {
    while (!pending_.empty()) {
      Pending& p = pending_.front();
      if (p.deferred) {
        const bool must = all || wait_for > 0;
        if (!must && p.later.wait_for(std::chrono::seconds(0)) != std::future_status::ready) return;
        p.text = p.later.get();  // rethrows what the job threw
        --deferred_;
        if (wait_for > 0) --wait_for;
      }
      write_out(p.text);
      pending_.pop_front();
    }
  }

  void report(std::size_t file, const Document& doc, const std::vector<Diagnostic>& diagnostics) {
    for (const Diagnostic& d : diagnostics) {
      ++stats_->diagnostics;
      flush_out();
      progress_->clear();
      if (output_.on_diagnostic) output_.on_diagnostic(files_[file], doc, d);
    }
  }

  // Output in input order: behind any window still being finished.
  void emit(std::string s) {
    if (s.empty()) return;
    if (pending_.empty()) {
      write_out(s);
    } else {
      pending_.push_back(Pending{std::move(s), std::future<std::string>(), false});
    }
  }

  // Output is gathered and written in pieces of up to kWriteBytes: written
  // per document, it was a system call every few KB on the thread that
  // every worker waits for. (Bigger texts go out as they are.)
  static constexpr std::size_t kWriteBytes = std::size_t{256} << 10;

  void write_out(const std::string& s) {
    if (buffered_.size() + s.size() <= kWriteBytes) {
      buffered_ += s;
      return;
    }
    write_buffered();
    put(s);
  }

  void write_buffered() {
    put(buffered_);
    buffered_.clear();
  }

  void put(const std::string& s) {
    if (s.empty()) return;
    progress_->before_output();
    out_.write(s.data(), static_cast<std::streamsize>(s.size()));
  }

  void flush_out() {
    write_buffered();
    out_.flush();
  }

  struct Pending {
    std::string text;
    std::future<std::string> later;
    bool deferred = false;
  };

  const RateTable& rates_;
  const PipelineOptions& options_;
  const PipelineOutput& output_;
  const std::vector<std::string>& files_;
  std::ostream& out_;
  std::string buffered_;  // written by flush_out()
  PipelineStats* stats_;
  Progress* progress_;
  // The document being joined from parts.
  Document doc_;
  std::size_t file_ = 0;
  ExtractResult window_;
  std::size_t window_bytes_ = 0;
  std::int64_t window_offset_ = 0;  // byte of the document where the window starts
  std::int64_t code_points_ = 0;  // before the next part
  int ids_ = 0;                   // mentions written before the window
  Dispatch dispatch_;
  std::size_t max_deferred_ = 1, deferred_ = 0;
  std::deque<Pending> pending_;
};

// The total size of the inputs, or 0 when one of them (a pipe) has none.
std::uint64_t total_size(const std::vector<std::string>& files) {
  std::uint64_t total = 0;
  for (const std::string& f : files) {
    struct stat st;
    const int rc = f == "-" ? ::fstat(STDIN_FILENO, &st) : ::stat(f.c_str(), &st);
    if (rc != 0) continue;  // reported when it is read
    if (!S_ISREG(st.st_mode)) return 0;
    total += static_cast<std::uint64_t>(st.st_size);
  }
  return total;
}

// Whether the inputs are regular files of at most `limit` bytes in all:
// text that makes one batch, which no second thread could share.
bool small_input(const std::vector<std::string>& files, std::uint64_t limit) {
  std::uint64_t total = 0;
  for (const std::string& f : files) {
    struct stat st;
    const int rc = f == "-" ? ::fstat(STDIN_FILENO, &st) : ::stat(f.c_str(), &st);
    if (rc != 0) continue;  // reported when it is read
    if (!S_ISREG(st.st_mode)) return false;
    total += static_cast<std::uint64_t>(st.st_size);
    if (total > limit) return false;
  }
  return true;
}

// Thrown through the reader when the run stops early.
struct Aborted {};

}  // namespace

int default_threads() {
  const unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : static_cast<int>(std::min(n, 1024U));
}

PipelineStats run_pipeline(const Engine& engine, const RateTable& rates, const std::vector<std::string>& files,
                           const PipelineOptions& options, const PipelineOutput& output, std::ostream& out) {
  PipelineStats stats;
  Progress progress(options.progress, options.progress ? total_size(files) : 0);
  const Processor processor(engine, rates, options, output);
  OrderedWriter writer(rates, options, output, files, out, &stats, &progress);

  // Cuts the input into batches and hands each to `submit`, in order.
  const auto read_all = [&](const std::function<void(std::unique_ptr<Batch>)>& submit) {
    std::unique_ptr<Batch> batch;
    std::uint64_t seq = 0, before = 0, in_file = 0;
    const auto close = [&] {
      if (!batch) return;
      batch->seq = seq++;
      submit(std::move(batch));
      batch.reset();
    };
    const auto add = [&](std::size_t file) -> Entry& {
      if (!batch) batch = std::make_unique<Batch>();
      batch->entries.emplace_back();
      batch->entries.back().file = file;
      return batch->entries.back();
    };
    bool prepared = false;
    for (std::size_t f = 0; f < files.size(); ++f) {
      in_file = 0;
      // Standard input may be a person or a slow producer: each part goes
      // out at once.
      const bool eager = files[f] == "-";
      read_document_parts(
          files[f], options.input, options.split,
          [&](DocumentPart&& p) {
            // Text to extract: the patterns it needs compile on a second
            // thread from now on (an empty input compiles none).
            if (!prepared && !p.text.empty()) {
              engine.prepare();
              prepared = true;
            }
            in_file = std::max(in_file, p.input_bytes);
            Entry& e = add(f);
            e.bytes = p.text.size();
            e.part = std::move(p);
            batch->bytes += e.bytes;
            batch->input_done = before + in_file;
            if (eager || batch->bytes >= kBatchBytes || batch->entries.size() >= kBatchEntries) close();
          },
          [&](const InputError& err) {
            Entry& e = add(f);
            e.is_error = true;
            e.error = err;
            batch->input_done = before + in_file;
          });
      before += in_file;
    }
    close();
    stats.input_bytes = before;
  };

  // One batch of input is extracted on the calling thread: starting a
  // reader and workers, and handing the batch between them, would cost
  // more than the work (an article as a whole process).
  const int threads = options.threads > 1 && !small_input(files, kBatchBytes) ? options.threads : 1;
  if (threads == 1) {
    read_all([&](std::unique_ptr<Batch> b) {
      processor.process(b.get());
      writer.write(b.get());
    });
    writer.finish();
    progress.clear();
    return stats;
  }

  std::mutex mu;
  std::condition_variable work_cv, done_cv, slot_cv;
  std::deque<std::unique_ptr<Batch>> work;
  std::deque<std::function<void()>> urgent;  // windows to finish, before any batch
  std::map<std::uint64_t, std::unique_ptr<Batch>> done;
  const std::size_t max_in_flight = kInFlightPerThread * static_cast<std::size_t>(threads) + 2;
  std::size_t in_flight = 0;
  std::uint64_t submitted = 0;
  bool reading_done = false, stop = false, finished = false;
  std::exception_ptr reader_failure;

  std::thread reader([&] {
    try {
      read_all([&](std::unique_ptr<Batch> b) {
        std::unique_lock<std::mutex> lock(mu);
        slot_cv.wait(lock, [&] { return stop || in_flight < max_in_flight; });
        if (stop) throw Aborted{};
        ++in_flight;
        ++submitted;
        work.push_back(std::move(b));
        work_cv.notify_one();
      });
    } catch (const Aborted&) {
    } catch (...) {
      std::lock_guard<std::mutex> lock(mu);
      reader_failure = std::current_exception();
    }
    std::lock_guard<std::mutex> lock(mu);
    reading_done = true;
    work_cv.notify_all();
    done_cv.notify_all();
  });

  std::vector<std::thread> workers;
  workers.reserve(static_cast<std::size_t>(threads));
  for (int i = 0; i < threads; ++i) {
    workers.emplace_back([&] {
      for (;;) {
        std::unique_ptr<Batch> b;
        std::function<void()> job;
        {
          std::unique_lock<std::mutex> lock(mu);
          work_cv.wait(lock, [&] { return stop || !urgent.empty() || !work.empty() || finished; });
          if (stop) return;
          if (!urgent.empty()) {
            job = std::move(urgent.front());
            urgent.pop_front();
          } else if (!work.empty()) {
            b = std::move(work.front());
            work.pop_front();
          } else {
            return;  // finished
          }
        }
        if (job) {
          job();  // a packaged task: what it throws goes to its future
          continue;
        }
        try {
          processor.process(b.get());
        } catch (...) {
          b->failure = std::current_exception();
        }
        {
          std::lock_guard<std::mutex> lock(mu);
          const std::uint64_t seq = b->seq;
          done.emplace(seq, std::move(b));
        }
        done_cv.notify_one();
      }
    });
  }

  writer.set_dispatch(
      [&](std::function<void()> job) {
        {
          std::lock_guard<std::mutex> lock(mu);
          urgent.push_back(std::move(job));
        }
        work_cv.notify_one();
      },
      std::min<std::size_t>(static_cast<std::size_t>(threads), 2));
  std::exception_ptr failure;
  for (std::uint64_t next = 0;; ++next) {
    std::unique_ptr<Batch> b;
    {
      std::unique_lock<std::mutex> lock(mu);
      done_cv.wait(lock, [&] { return done.count(next) > 0 || (reading_done && next == submitted); });
      auto it = done.find(next);
      if (it == done.end()) break;
      b = std::move(it->second);
      done.erase(it);
    }
    if (b->failure) {
      failure = b->failure;
      break;
    }
    try {
      writer.write(b.get());
    } catch (...) {
      failure = std::current_exception();
      break;
    }
    b.reset();
    {
      std::lock_guard<std::mutex> lock(mu);
      --in_flight;
    }
    slot_cv.notify_one();
  }
  if (!failure) {
    try {
      writer.finish();
    } catch (...) {
      failure = std::current_exception();
    }
  }
  {
    std::lock_guard<std::mutex> lock(mu);
    if (failure) stop = true;
    finished = true;
    work_cv.notify_all();
    slot_cv.notify_all();
  }
  reader.join();
  for (std::thread& t : workers) t.join();
  progress.clear();
  if (failure) std::rethrow_exception(failure);
  if (reader_failure) std::rethrow_exception(reader_failure);
  return stats;
}

}  // namespace krfx
