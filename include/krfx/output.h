// krfx/output.h — writing mentions in the contract's formats.
//
// A Writer prints records for one document at a time, so output can be
// streamed and flushed as documents are processed:
//
//   auto w = krfx::make_writer(krfx::Format::kJsonl, std::cout);
//   w->begin();
//   w->write(doc, result.mentions);   // once per document, in input order
//   w->end();                          // the table format prints here
//
// Field order is fixed by the output contract (v1); rate_deviation and, with
// --to, the conversion fields are appended at the end, as the contract allows. CSV is RFC 4180 with a
// header row; JSONL has exactly the contract's keys; the table aligns Hangul
// and other wide characters by East Asian width.
#ifndef KRFX_OUTPUT_H_
#define KRFX_OUTPUT_H_

#include <krfx/mention.h>

#include <memory>
#include <ostream>
#include <string>
#include <vector>

namespace krfx {

enum class Format { kJsonl, kCsv, kTable };

struct WriterOptions {
  // Append converted_currency, converted_value, converted_low,
  // converted_high, rate_used, rate_source (krfx extract --to CUR).
  bool conversion_fields = false;
};

class Writer {
 public:
  virtual ~Writer() = default;
  virtual void begin() = 0;
  virtual void write(const Document& doc, const std::vector<Mention>& mentions) = 0;
  virtual void end() = 0;
};

std::unique_ptr<Writer> make_writer(Format format, std::ostream& out, const WriterOptions& options = {});

// The field names, in order: the contract's, then rate_deviation, then the
// conversion fields when asked for.
std::vector<std::string> field_names(const WriterOptions& options = {});

// Terminal columns a UTF-8 string occupies (wide and fullwidth characters
// count 2, combining marks 0).
int display_width(const std::string& utf8);

}  // namespace krfx

#endif  // KRFX_OUTPUT_H_
