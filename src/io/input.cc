// Reading documents: plain text files and JSONL, from files or stdin.
//
// JSONL lines are parsed by a small strict JSON parser written for the job:
// it only needs three string fields, must never recurse without bound or
// crash on hostile bytes, and must report the byte column of a mistake.
#include <krfx/input.h>

#include "normalize/normalize.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

namespace krfx {
namespace {

// Objects and arrays may nest this deep (the document object is level 1).
constexpr int kMaxDepth = 64;

// Largest document (text file or JSONL line) that is read. Bigger ones are
// reported and skipped, so one bad input cannot exhaust memory.
constexpr std::size_t kMaxDocumentBytes = std::size_t{64} << 20;

constexpr std::size_t kChunkBytes = std::size_t{64} << 10;

// ---------------------------------------------------------------------------
// JSON

// A member value the document cares about: its type, its text (string
// contents after unescaping, or a number's lexeme) and where it started.
struct Captured {
  enum class Type { kNone, kString, kNumber, kOther };
  Type type = Type::kNone;
  std::string text;
  std::size_t pos = 0;
};

// The members of the document object that krfx reads.
struct DocumentFields {
  Captured text, id, date;

  Captured* slot(const std::string& key) {
    if (key == "text") return &text;
    if (key == "id") return &id;
    if (key == "date") return &date;
    return nullptr;
  }
};

void append_utf8(char32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Recursive descent over one line. Every function either advances pos_ or
// fails, and recursion is bounded by kMaxDepth, so parsing is linear in the
// line length and uses bounded stack.
class JsonParser {
 public:
  explicit JsonParser(std::string_view s) : s_(s) {}

  bool parse_document(Document* doc);

  std::size_t error_pos() const { return error_pos_; }
  const std::string& error_message() const { return error_; }

 private:
  bool fail(std::size_t pos, std::string message) {
    error_pos_ = pos;
    error_ = std::move(message);
    return false;
  }
  bool at_end() const { return pos_ >= s_.size(); }
  char peek() const { return s_[pos_]; }
  void skip_ws() {
    while (!at_end() && (peek() == ' ' || peek() == '\t' || peek() == '\n' ||
                         peek() == '\r')) {
      ++pos_;
    }
  }
  // What is at `pos`, for messages: a quoted ASCII character, a hex byte, or
  // the end of the line.
  std::string describe(std::size_t pos) const {
    if (pos >= s_.size()) return "end of line";
    const auto c = static_cast<unsigned char>(s_[pos]);
    if (c > 0x20 && c < 0x7F) return fmt::format("'{}'", static_cast<char>(c));
    return fmt::format("byte 0x{:02X}", c);
  }
  bool expect(char c, const char* context) {
    if (!at_end() && peek() == c) {
      ++pos_;
      return true;
    }
    return fail(pos_, fmt::format("expected '{}' {}, found {}", c, context,
                                  describe(pos_)));
  }

  bool parse_value(int depth, Captured* out);
  bool parse_object(int depth, DocumentFields* fields);
  bool parse_array(int depth);
  bool parse_string(std::string* out);
  bool parse_escape(std::string* out);
  bool parse_hex4(std::size_t at, char32_t* out);
  bool parse_number();
  bool parse_literal(std::string_view word);

  std::string_view s_;
  std::size_t pos_ = 0;
  std::size_t error_pos_ = 0;
  std::string error_;
};

bool JsonParser::parse_document(Document* doc) {
  skip_ws();
  if (at_end() || peek() != '{') {
    return fail(pos_, fmt::format("expected a JSON object '{{', found {}",
                                  describe(pos_)));
  }
  const std::size_t object_pos = pos_;
  DocumentFields fields;
  if (!parse_object(1, &fields)) return false;
  Captured& text = fields.text;
  Captured& id = fields.id;
  Captured& date = fields.date;
  skip_ws();
  if (!at_end()) {
    return fail(pos_, fmt::format("unexpected {} after the JSON object",
                                  describe(pos_)));
  }
  using Type = Captured::Type;
  if (text.type == Type::kNone) return fail(object_pos, "missing \"text\"");
  if (text.type != Type::kString) return fail(text.pos, "\"text\" must be a string");
  // A numeric id is kept as its exact lexeme: ids are labels, not amounts.
  if (id.type == Type::kOther) {
    return fail(id.pos, "\"id\" must be a string or a number");
  }
  if (date.type != Type::kNone && date.type != Type::kString) {
    return fail(date.pos, "\"date\" must be a string");
  }
  doc->text = std::move(text.text);
  doc->id = std::move(id.text);
  doc->date = std::move(date.text);
  return true;
}

// Parses any value at nesting level `depth` (meaningful for containers).
// When `out` is given, records the value's type and string/number text.
bool JsonParser::parse_value(int depth, Captured* out) {
  if (at_end()) return fail(pos_, "expected a value, found end of line");
  const std::size_t start = pos_;
  Captured::Type type = Captured::Type::kOther;
  bool ok = false;
  std::string* text = out != nullptr ? &out->text : nullptr;
  switch (peek()) {
    case '{': ok = parse_object(depth, nullptr); break;
    case '[': ok = parse_array(depth); break;
    case '"':
      type = Captured::Type::kString;
      ok = parse_string(text);
      break;
    case 't': ok = parse_literal("true"); break;
    case 'f': ok = parse_literal("false"); break;
    case 'n': ok = parse_literal("null"); break;
    default:
      if (peek() == '-' || is_digit(peek())) {
        type = Captured::Type::kNumber;
        ok = parse_number();
        if (ok && text != nullptr) text->assign(s_.substr(start, pos_ - start));
      } else {
        return fail(pos_, fmt::format("expected a value, found {}", describe(pos_)));
      }
  }
  if (ok && out != nullptr) {
    out->type = type;
    out->pos = start;
  }
  return ok;
}

// Parses an object at pos_ ('{'). For the document object `fields` is given
// and receives "text", "id" and "date"; nested objects are only validated.
bool JsonParser::parse_object(int depth, DocumentFields* fields) {
  if (depth > kMaxDepth) {
    return fail(pos_, fmt::format("nesting deeper than {} levels", kMaxDepth));
  }
  ++pos_;  // '{'
  skip_ws();
  if (!at_end() && peek() == '}') {
    ++pos_;
    return true;
  }
  std::string key;
  for (;;) {
    skip_ws();
    const std::size_t key_pos = pos_;
    if (at_end() || peek() != '"') {
      return fail(pos_, fmt::format("expected a string key, found {}", describe(pos_)));
    }
    key.clear();
    if (!parse_string(fields != nullptr ? &key : nullptr)) return false;
    skip_ws();
    if (!expect(':', "after an object key")) return false;
    skip_ws();
    Captured* slot = fields != nullptr ? fields->slot(key) : nullptr;
    if (slot != nullptr && slot->type != Captured::Type::kNone) {
      return fail(key_pos, fmt::format("duplicate key \"{}\"", key));
    }
    if (!parse_value(depth + 1, slot)) return false;
    skip_ws();
    if (!at_end() && peek() == ',') {
      ++pos_;
      continue;
    }
    return expect('}', "or ',' in object");
  }
}

bool JsonParser::parse_array(int depth) {
  if (depth > kMaxDepth) {
    return fail(pos_, fmt::format("nesting deeper than {} levels", kMaxDepth));
  }
  ++pos_;  // '['
  skip_ws();
  if (!at_end() && peek() == ']') {
    ++pos_;
    return true;
  }
  for (;;) {
    skip_ws();
    if (!parse_value(depth + 1, nullptr)) return false;
    skip_ws();
    if (!at_end() && peek() == ',') {
      ++pos_;
      continue;
    }
    return expect(']', "or ',' in array");
  }
}

// Parses a string literal at pos_ ('"'); appends its contents to *out when
// out is not null. Raw bytes pass through unchanged: invalid UTF-8 in a
// document is diagnosed by the engine, not rejected here.
bool JsonParser::parse_string(std::string* out) {
  const std::size_t open = pos_++;
  for (;;) {
    // Copy the run of ordinary bytes in one step, found eight bytes at a
    // time while none of them is a quote, a backslash or a control byte.
    const std::size_t run = pos_;
    constexpr std::uint64_t kOnes = 0x0101010101010101ULL, kHighs = 0x8080808080808080ULL;
    const auto zero_byte = [](std::uint64_t v) { return (v - kOnes) & ~v & kHighs; };
    while (pos_ + 8 <= s_.size()) {
      std::uint64_t w;
      std::memcpy(&w, s_.data() + pos_, 8);
      if (zero_byte(w ^ (kOnes * '"')) | zero_byte(w ^ (kOnes * '\\')) | ((w - kOnes * 0x20) & ~w & kHighs)) break;
      pos_ += 8;
    }
    while (!at_end() && peek() != '"' && peek() != '\\' &&
           static_cast<unsigned char>(peek()) >= 0x20) {
      ++pos_;
    }
    if (out != nullptr) out->append(s_.data() + run, pos_ - run);
    if (at_end()) return fail(open, "unterminated string");
    const char c = peek();
    if (c == '"') {
      ++pos_;
      return true;
    }
    if (c == '\\') {
      if (!parse_escape(out)) return false;
      continue;
    }
    return fail(pos_, fmt::format("control character U+{:04X} in string must be escaped",
                                  static_cast<unsigned>(c)));
  }
}

// Parses one escape at pos_ ('\'), including a \uXXXX surrogate pair.
bool JsonParser::parse_escape(std::string* out) {
  const std::size_t at = pos_++;
  if (at_end()) return fail(at, "unterminated string");
  const char c = s_[pos_++];
  char simple = 0;
  switch (c) {
    case '"': simple = '"'; break;
    case '\\': simple = '\\'; break;
    case '/': simple = '/'; break;
    case 'b': simple = '\b'; break;
    case 'f': simple = '\f'; break;
    case 'n': simple = '\n'; break;
    case 'r': simple = '\r'; break;
    case 't': simple = '\t'; break;
    case 'u': break;
    default:
      return fail(at, fmt::format("invalid escape '\\' followed by {}", describe(at + 1)));
  }
  if (simple != 0) {
    if (out != nullptr) out->push_back(simple);
    return true;
  }
  char32_t cp = 0;
  if (!parse_hex4(at, &cp)) return false;
  if (cp >= 0xDC00 && cp <= 0xDFFF) {
    return fail(at, fmt::format("unpaired low surrogate \\u{:04X}", static_cast<unsigned>(cp)));
  }
  if (cp >= 0xD800 && cp <= 0xDBFF) {
    // A high surrogate must be followed at once by an escaped low one.
    const std::size_t low_at = pos_;
    char32_t low = 0;
    bool paired = false;
    if (s_.substr(pos_, 2) == "\\u") {
      pos_ += 2;
      if (!parse_hex4(low_at, &low)) return false;
      paired = low >= 0xDC00 && low <= 0xDFFF;
    }
    if (!paired) {
      return fail(at, fmt::format("unpaired high surrogate \\u{:04X}",
                                  static_cast<unsigned>(cp)));
    }
    cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
  }
  if (out != nullptr) append_utf8(cp, out);
  return true;
}

// Reads the four hex digits at pos_; `at` is the escape's '\' for messages.
bool JsonParser::parse_hex4(std::size_t at, char32_t* out) {
  char32_t v = 0;
  for (int i = 0; i < 4; ++i) {
    const int d = at_end() ? -1 : hex_digit(peek());
    if (d < 0) return fail(at, "invalid \\u escape: expected four hex digits");
    v = (v << 4) | static_cast<char32_t>(d);
    ++pos_;
  }
  *out = v;
  return true;
}

// JSON number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
bool JsonParser::parse_number() {
  const std::size_t start = pos_;
  const auto digits = [&] {
    const std::size_t from = pos_;
    while (!at_end() && is_digit(peek())) ++pos_;
    return pos_ > from;
  };
  if (peek() == '-') ++pos_;
  if (!at_end() && peek() == '0') {
    ++pos_;
  } else if (!digits()) {
    return fail(start, "invalid number");
  }
  if (!at_end() && peek() == '.') {
    ++pos_;
    if (!digits()) return fail(start, "invalid number: digits expected after '.'");
  }
  if (!at_end() && (peek() == 'e' || peek() == 'E')) {
    ++pos_;
    if (!at_end() && (peek() == '+' || peek() == '-')) ++pos_;
    if (!digits()) return fail(start, "invalid number: digits expected in exponent");
  }
  if (!at_end() && is_digit(peek())) return fail(start, "invalid number: leading zero");
  return true;
}

bool JsonParser::parse_literal(std::string_view word) {
  if (s_.substr(pos_, word.size()) != word) {
    return fail(pos_, fmt::format("expected a value, found {}", describe(pos_)));
  }
  pos_ += word.size();
  return true;
}

// ---------------------------------------------------------------------------
// Reading

// Forwards errors and counts them.
class Reporter {
 public:
  Reporter(const std::string& file, const std::function<void(const InputError&)>& sink)
      : file_(file), sink_(sink) {}

  void report(std::int64_t line, std::int64_t column, std::string message) {
    ++count_;
    if (!sink_) return;
    InputError e;
    e.file = file_;
    e.line = line;
    e.column = column;
    e.message = std::move(message);
    sink_(e);
  }
  std::int64_t count() const { return count_; }

 private:
  const std::string& file_;
  const std::function<void(const InputError&)>& sink_;
  std::int64_t count_ = 0;
};

enum class LineStatus { kLine, kTooLong, kEnd };

// Splits a stream into lines like std::getline, but in fixed chunks so that
// an overlong line is dropped instead of buffered whole.
class LineReader {
 public:
  explicit LineReader(std::istream& in) : in_(in), chunk_(kChunkBytes, '\0') {}

  LineStatus next(std::string* line) {
    line->clear();
    bool too_long = false;
    bool any = false;
    for (;;) {
      in_.getline(chunk_.data(), static_cast<std::streamsize>(chunk_.size()));
      const auto n = static_cast<std::size_t>(in_.gcount());
      consumed_ += n;
      // getline stops at '\n' (extracted, counted in gcount, flags clear),
      // at end of input (eofbit), or with a full chunk (failbit alone).
      const bool newline = !in_.fail() && !in_.eof();
      const bool full = in_.fail() && !in_.eof() && !in_.bad() && n > 0;
      const std::size_t stored = newline ? n - 1 : n;
      any = any || stored > 0;
      if (!too_long && line->size() + stored > kMaxDocumentBytes) {
        too_long = true;
        std::string().swap(*line);  // give the memory back now
      }
      if (!too_long) line->append(chunk_.data(), stored);
      if (full) {
        in_.clear(in_.rdstate() & ~std::ios::failbit);
        continue;
      }
      if (!newline && !any) return LineStatus::kEnd;
      return too_long ? LineStatus::kTooLong : LineStatus::kLine;
    }
  }

  // Bytes taken from the stream so far, line ends included.
  std::uint64_t consumed() const { return consumed_; }

 private:
  std::istream& in_;
  std::string chunk_;
  std::uint64_t consumed_ = 0;
};

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// A line buffer larger than this is not kept for the next line.
constexpr std::size_t kKeepLineBytes = std::size_t{1} << 20;

bool is_blank(const std::string& line) {
  return line.find_first_not_of(" \t\r") == std::string::npos;
}

// Every document of a JSONL stream, in order, with the bytes read so far;
// a bad line is reported with its line and column and skipped.
template <typename OnDocument>
void for_each_jsonl_document(std::istream& in, const std::string& path, Reporter* errors,
                             const OnDocument& on_document) {
  LineReader reader(in);
  std::string line;
  std::int64_t line_no = 0;
  for (LineStatus st; (st = reader.next(&line)) != LineStatus::kEnd;) {
    ++line_no;
    if (st == LineStatus::kTooLong) {
      errors->report(line_no, 0, fmt::format("line longer than {} bytes; skipped", kMaxDocumentBytes));
      continue;
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    // A BOM before the first line is an editor artifact, not JSON.
    std::size_t skipped = 0;
    if (line_no == 1 && std::string_view(line).substr(0, kBom.size()) == kBom) {
      skipped = kBom.size();
      line.erase(0, skipped);
    }
    if (is_blank(line)) continue;
    Document doc;
    InputError err;
    const bool parsed = parse_document_line(line, &doc, &err);
    // A long line's buffer goes back now, not at the end of the file: the
    // document parsed from it is held while it is processed.
    if (line.capacity() > kKeepLineBytes) std::string().swap(line);
    if (!parsed) {
      errors->report(line_no, err.column + static_cast<std::int64_t>(skipped), std::move(err.message));
      continue;
    }
    // An unnamed document still needs an id that finds it again.
    if (doc.id.empty()) doc.id = fmt::format("{}:{}", path, line_no);
    on_document(std::move(doc), reader.consumed());
  }
  if (in.bad()) errors->report(line_no, 0, "error while reading");
}

void read_jsonl(std::istream& in, const std::string& path,
                const std::function<void(Document&&)>& on_document, Reporter* errors) {
  for_each_jsonl_document(in, path, errors, [&](Document&& doc, std::uint64_t) { on_document(std::move(doc)); });
}

void read_text(std::istream& in, const std::string& path,
               const std::function<void(Document&&)>& on_document, Reporter* errors) {
  Document doc;
  doc.id = path;
  std::string chunk(kChunkBytes, '\0');
  for (;;) {
    in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    const auto n = static_cast<std::size_t>(in.gcount());
    if (n == 0) break;
    if (doc.text.size() + n > kMaxDocumentBytes) {
      errors->report(0, 0, fmt::format("document larger than {} bytes; skipped",
                                       kMaxDocumentBytes));
      return;
    }
    doc.text.append(chunk.data(), n);
  }
  if (in.bad()) {
    errors->report(0, 0, "error while reading");
    return;
  }
  on_document(std::move(doc));
}

// Hands over one document in parts cut by part_end.
void split_document(Document&& doc, const SplitOptions& options, std::uint64_t input_bytes,
                    const std::function<void(DocumentPart&&)>& on_part) {
  const auto make = [&](std::string&& text, std::int64_t offset, bool first, bool last) {
    DocumentPart p;
    p.id = doc.id;
    p.date = doc.date;
    p.text = std::move(text);
    p.byte_offset = offset;
    p.first = first;
    p.last = last;
    p.input_bytes = input_bytes;
    on_part(std::move(p));
  };
  const std::string_view all = doc.text;
  std::size_t cut = part_end(all, true, options);
  if (cut == all.size()) {
    make(std::move(doc.text), 0, true, true);
    return;
  }
  std::size_t pos = 0, scanned = 0;
  for (bool first = true;; first = false) {
    const std::string_view rest = all.substr(pos);
    cut = part_end(rest, true, options, &scanned);
    const bool last = cut == rest.size();
    make(std::string(rest.substr(0, cut)), static_cast<std::int64_t>(pos), first, last);
    if (last) return;
    pos += cut;
    scanned = scanned > cut ? scanned - cut : 0;
  }
}

void read_jsonl_parts(std::istream& in, const std::string& path, const SplitOptions& options,
                      const std::function<void(DocumentPart&&)>& on_part, Reporter* errors) {
  for_each_jsonl_document(in, path, errors, [&](Document&& doc, std::uint64_t consumed) {
    split_document(std::move(doc), options, consumed, on_part);
  });
}

// A plain text file in chunks: the buffer holds the part being cut and what
// was read past it, never the whole file.
void read_text_parts(std::istream& in, const std::string& path, const SplitOptions& options,
                     const std::function<void(DocumentPart&&)>& on_part, Reporter* errors) {
  std::string buf;
  std::size_t head = 0, scanned = 0;
  std::int64_t offset = 0;  // of buf[head] in the document
  std::uint64_t consumed = 0;
  bool at_end = false, first = true, bad = false;
  for (;;) {
    const std::string_view rest = std::string_view(buf).substr(head);
    const std::size_t cut = part_end(rest, at_end, options, &scanned);
    if (cut == 0 && !at_end) {
      if (head > 0 && head >= buf.size() / 2) {
        buf.erase(0, head);
        head = 0;
      }
      const std::size_t old = buf.size();
      buf.resize(old + kChunkBytes * 4);
      in.read(buf.data() + old, static_cast<std::streamsize>(kChunkBytes * 4));
      const auto n = static_cast<std::size_t>(in.gcount());
      buf.resize(old + n);
      consumed += n;
      if (in.bad()) bad = true;
      if (n < kChunkBytes * 4 || !in) at_end = true;
      continue;
    }
    DocumentPart p;
    p.id = path;
    p.text.assign(rest.substr(0, cut));
    p.byte_offset = offset;
    p.first = first;
    p.last = at_end && cut == rest.size();
    p.input_bytes = consumed;
    const bool last = p.last;
    on_part(std::move(p));
    if (last) break;
    first = false;
    head += cut;
    offset += static_cast<std::int64_t>(cut);
    scanned = scanned > cut ? scanned - cut : 0;
  }
  if (bad) errors->report(0, 0, "error while reading");
}

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         std::string_view(s).substr(s.size() - suffix.size()) == suffix;
}

// Why `path` cannot be read as a file, or nullopt. Checked up front because
// opening a directory succeeds on POSIX and only the first read fails, by
// which time iostreams have lost errno.
std::optional<std::string> open_problem(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return std::string(std::strerror(errno));
  if (S_ISDIR(st.st_mode)) return std::string(std::strerror(EISDIR));
  return std::nullopt;
}

// Opens `path` ("-" is standard input) and hands the stream to `read`; a
// file that cannot be opened is reported. The errors reported in all.
template <typename Read>
std::int64_t read_input(const std::string& path, Reporter* errors, const Read& read) {
  if (path == "-") {
    read(std::cin);
    return errors->count();
  }
  if (auto problem = open_problem(path)) {
    errors->report(0, 0, std::move(*problem));
    return errors->count();
  }
  errno = 0;
  // Read a MiB at a time: the stream's own buffer of a few KB made a
  // system call per few KB on the reader thread. (Left uninitialized: a
  // short file touches only the pages it fills.)
  constexpr std::size_t kReadBuffer = std::size_t{1} << 20;
  std::unique_ptr<char[]> buffer(new char[kReadBuffer]);
  std::ifstream in;
  in.rdbuf()->pubsetbuf(buffer.get(), static_cast<std::streamsize>(kReadBuffer));
  in.open(path, std::ios::binary);
  if (!in) {
    errors->report(0, 0, errno != 0 ? std::strerror(errno) : "cannot open file");
    return errors->count();
  }
  read(in);
  return errors->count();
}

}  // namespace

std::string InputError::to_string() const {
  std::string out = file;
  if (line > 0) {
    out += fmt::format(":{}", line);
    if (column > 0) out += fmt::format(":{}", column);
  }
  out += ": ";
  out += message;
  return out;
}

bool parse_document_line(const std::string& line, Document* doc, InputError* error) {
  JsonParser parser(line);
  Document parsed;
  if (parser.parse_document(&parsed)) {
    *doc = std::move(parsed);
    return true;
  }
  if (error != nullptr) {
    error->column = static_cast<std::int64_t>(parser.error_pos()) + 1;
    error->message = parser.error_message();
  }
  return false;
}

std::int64_t read_documents(const std::string& path, InputKind kind,
                            const std::function<void(Document&&)>& on_document,
                            const std::function<void(const InputError&)>& on_error) {
  Reporter errors(path, on_error);
  const bool jsonl =
      kind == InputKind::kJsonl || (kind == InputKind::kAuto && ends_with(path, ".jsonl"));
  const auto read = [&](std::istream& in) {
    if (jsonl) {
      read_jsonl(in, path, on_document, &errors);
    } else {
      read_text(in, path, on_document, &errors);
    }
  };
  return read_input(path, &errors, read);
}

namespace {

bool blank_char(char c) { return c == ' ' || c == '\t' || c == '\r'; }

}  // namespace

std::size_t part_end(std::string_view text, bool at_end, const SplitOptions& options, std::size_t* scanned) {
  const std::size_t target = std::max<std::size_t>(options.part_bytes, 1);
  const std::size_t max_bytes = std::max(options.max_part_bytes, target);
  const std::size_t size = text.size();
  if (size <= target) return at_end ? size : 0;
  const std::size_t limit = std::min(size, max_bytes);
  const char* data = text.data();
  // 1. A blank line: a line end at e >= target - 1 whose line holds nothing
  //    but blanks. Line ends before *scanned were looked at already.
  std::size_t from = target - 1;
  if (scanned != nullptr) from = std::max(from, *scanned);
  while (from < limit) {
    const void* hit = std::memchr(data + from, '\n', limit - from);
    if (hit == nullptr) break;
    const std::size_t e = static_cast<std::size_t>(static_cast<const char*>(hit) - data);
    std::size_t k = e;
    while (k > 0 && blank_char(data[k - 1])) --k;
    if (k > 0 && data[k - 1] == '\n') return e + 1;
    from = e + 1;
  }
  if (scanned != nullptr) *scanned = limit;
  if (size <= max_bytes) return at_end ? size : 0;  // else a blank line may still come
  // From here on size > max_bytes, so text[limit] exists.
  // 2. The first line end.
  if (const void* hit = std::memchr(data + target - 1, '\n', limit - (target - 1)))
    return static_cast<std::size_t>(static_cast<const char*>(hit) - data) + 1;
  // 3. The first space after `part_bytes` with no digit within kClear bytes
  //    on either side, so that the cut falls between sentences rather than
  //    inside an amount, its qualifiers or its restatement; 4. the first
  //    space; 5. the last character boundary before the maximum. The first
  //    rather than the last keeps parts of one long line small: memory per
  //    part grows with the amounts in it.
  constexpr std::size_t kClear = 48;
  const auto digit = [&](std::size_t i) { return data[i] >= '0' && data[i] <= '9'; };
  const std::size_t look_end = std::min(size, limit + kClear);
  const auto next_digit_from = [&](std::size_t i) {
    while (i < look_end && !digit(i)) ++i;
    return i;
  };
  std::size_t last_digit = std::string_view::npos;  // before i
  for (std::size_t k = target - 1 > kClear ? target - 1 - kClear : 0; k < target - 1; ++k)
    if (digit(k)) last_digit = k;
  std::size_t next_digit = next_digit_from(target - 1);  // at or after i - 1
  std::size_t first_space = 0;
  for (std::size_t i = target; i < limit; ++i) {  // a cut after data[i - 1]
    if (next_digit < i - 1) next_digit = next_digit_from(i - 1);
    if (digit(i - 1)) last_digit = i - 1;
    if (data[i - 1] != ' ') continue;
    if (first_space == 0) first_space = i;
    const bool clear_before = last_digit == std::string_view::npos || i - 1 - last_digit > kClear;
    if (clear_before && next_digit >= i + kClear) return i;
  }
  if (first_space > 0) return first_space;
  std::size_t cut = limit;
  while (cut > target && (static_cast<unsigned char>(data[cut]) & 0xC0) == 0x80) --cut;
  return cut;
}

std::int64_t read_document_parts(const std::string& path, InputKind kind, const SplitOptions& options,
                                 const std::function<void(DocumentPart&&)>& on_part,
                                 const std::function<void(const InputError&)>& on_error) {
  Reporter errors(path, on_error);
  const bool jsonl = kind == InputKind::kJsonl || (kind == InputKind::kAuto && ends_with(path, ".jsonl"));
  const auto read = [&](std::istream& in) {
    if (jsonl) {
      read_jsonl_parts(in, path, options, on_part, &errors);
    } else {
      read_text_parts(in, path, options, on_part, &errors);
    }
  };
  return read_input(path, &errors, read);
}

std::int64_t count_code_points(std::string_view text) {
  // Valid UTF-8 (the usual case) counts every byte that does not continue a
  // sequence; anything else goes the engine's own way.
  std::int64_t n = 0;
  std::size_t i = 0;
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  while (i < text.size()) {
    if (p[i] < 0x80) {
      ++i;
      ++n;
      continue;
    }
    const std::size_t len = internal::utf8_sequence_length(text, i);
    i += len == 0 ? 1 : len;
    ++n;
  }
  return n;
}

void append_part_result(ExtractResult* joined, ExtractResult&& part, std::int64_t byte_offset,
                        std::int64_t code_point_offset) {
  const int base = static_cast<int>(joined->mentions.size());
  shift_mention_ids(&part.mentions, base);
  for (Mention& m : part.mentions) {
    m.start += code_point_offset;
    m.end += code_point_offset;
    m.byte_start += byte_offset;
    m.byte_end += byte_offset;
    joined->mentions.push_back(std::move(m));
  }
  for (StatedRate& r : part.stated_rates) {
    r.byte_offset += byte_offset;
    joined->stated_rates.push_back(std::move(r));
  }
  for (Diagnostic& d : part.diagnostics) {
    const std::string old = fmt::format(" at byte {}", d.byte_offset);
    d.byte_offset += byte_offset;
    if (ends_with(d.message, old))
      d.message = d.message.substr(0, d.message.size() - old.size()) + fmt::format(" at byte {}", d.byte_offset);
    joined->diagnostics.push_back(std::move(d));
  }
}

void shift_mention_ids(std::vector<Mention>* mentions, int delta) {
  if (delta == 0) return;
  for (Mention& m : *mentions) {
    m.id += delta;
    if (m.converts > 0) m.converts += delta;
  }
}

}  // namespace krfx
