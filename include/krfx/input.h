// krfx/input.h — reading documents from files and standard input.
//
// A plain file is one document whose id is the path as given; a JSONL file
// holds one document per line: {"id": "...", "text": "...", "date": "..."}.
// Documents are handed over one at a time, so memory does not grow with the
// number of documents in a file.
//
//   krfx::read_documents("news.jsonl", krfx::InputKind::kAuto,
//       [&](krfx::Document&& d) { /* extract, write */ },
//       [&](const krfx::InputError& e) { std::cerr << e.to_string() << "\n"; });
#ifndef KRFX_INPUT_H_
#define KRFX_INPUT_H_

#include <krfx/mention.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace krfx {

enum class InputKind { kAuto, kText, kJsonl };

// A document or line that could not be read. `line` and `column` are
// 1-based (0 when they do not apply, e.g. a file that cannot be opened);
// column counts bytes. to_string() gives "file:line:col: message".
struct InputError {
  std::string file;
  std::int64_t line = 0;
  std::int64_t column = 0;
  std::string message;
  std::string to_string() const;
};

// Reads `path` ("-" is standard input; its id is "-"). kAuto treats a name
// ending in ".jsonl" as JSONL. Calls on_document for each good document in
// order and on_error for each bad line or unreadable file, then goes on with
// the rest. Returns the number of errors reported.
std::int64_t read_documents(const std::string& path, InputKind kind,
                            const std::function<void(Document&&)>& on_document,
                            const std::function<void(const InputError&)>& on_error);

// ---------------------------------------------------------------------------
// Streaming in parts
//
// A document is read and extracted in parts cut at paragraph boundaries, so a
// plain text file is never held whole in memory and one huge document can be
// spread over several threads. Parts are extracted one by one and their
// results joined with append_part_result(), which shifts offsets and ids so
// that the records are those of the whole document.
//
// Where a part ends (part_end): at the first blank line (a line of nothing
// but spaces, tabs or CR) that ends at or after `part_bytes`; when none comes
// before `max_part_bytes`, at the first line end after `part_bytes`; failing
// that (one line longer than `max_part_bytes`), after the first space past
// `part_bytes` with no ASCII digit within 48 bytes of it, else after the
// first space, else at the last UTF-8 character boundary before
// `max_part_bytes`. An
// amount that spans a line end or such a forced cut is split in two and may
// be missed or read as two smaller ones; an amount never spans a blank line.

struct SplitOptions {
  std::size_t part_bytes = std::size_t{128} << 10;
  // Parts are extracted whole, with about 15 bytes of working memory per
  // byte of dense text: this bounds that for text without blank lines.
  std::size_t max_part_bytes = std::size_t{512} << 10;
};

// Bytes of `text` that form its first part. With at_end false, `text` is the
// start of something longer: 0 means that more text is needed to decide.
// `scanned`, when given, carries work between calls on a growing buffer:
// start it at 0, and after taking a part of c bytes from the front lower it
// by c (not below 0). Linear in the text over a whole document.
std::size_t part_end(std::string_view text, bool at_end, const SplitOptions& options,
                     std::size_t* scanned = nullptr);

// One part of a document, in order. `byte_offset` is where `text` starts in
// the document; the first part of a document has first set, its last part
// last (a document that fits in one part has both).
struct DocumentPart {
  std::string id, date;
  std::string text;
  std::int64_t byte_offset = 0;
  bool first = true, last = true;
  // Bytes of the input file consumed when this part was handed over (for
  // progress reports; approximate within a JSONL line).
  std::uint64_t input_bytes = 0;
};

// As read_documents, but hands over documents in parts. A plain text file is
// read in chunks and is never held whole; a JSONL line is still read whole
// (up to 64 MiB) and its text cut into parts.
std::int64_t read_document_parts(const std::string& path, InputKind kind, const SplitOptions& options,
                                 const std::function<void(DocumentPart&&)>& on_part,
                                 const std::function<void(const InputError&)>& on_error);

// Code points of `text` as Mention::start and end count them (an invalid
// byte is one code point).
std::int64_t count_code_points(std::string_view text);

// Appends the extraction of the next part of a document to `joined`, the
// result of the parts before it: offsets move by `byte_offset` and
// `code_point_offset` (where the part starts in the document), ids and
// `converts` continue after joined's mentions, stated rates and diagnostics
// (their message's "at byte N" too) move with the text.
void append_part_result(ExtractResult* joined, ExtractResult&& part, std::int64_t byte_offset,
                        std::int64_t code_point_offset);

// Adds `delta` to the id and (when set) the converts of every mention.
void shift_mention_ids(std::vector<Mention>* mentions, int delta);

// Parses one JSONL document line. Returns false and fills *error (message
// and 1-based byte column) when the line is not a JSON object with a string
// "text" (and optional string "id" and "date").
bool parse_document_line(const std::string& line, Document* doc, InputError* error);

}  // namespace krfx

#endif  // KRFX_INPUT_H_
