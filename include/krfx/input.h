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

#include <cstdint>
#include <functional>
#include <string>

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

// Parses one JSONL document line. Returns false and fills *error (message
// and 1-based byte column) when the line is not a JSON object with a string
// "text" (and optional string "id" and "date").
bool parse_document_line(const std::string& line, Document* doc, InputError* error);

}  // namespace krfx

#endif  // KRFX_INPUT_H_
