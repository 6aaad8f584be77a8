// Text escaping for the output formats, shared by the mention writers
// (write/writers.cc) and the report writers (report/report.cc), so that both
// spell a field the same way.
#ifndef KRFX_SRC_WRITE_ESCAPE_H_
#define KRFX_SRC_WRITE_ESCAPE_H_

#include <string>
#include <string_view>

namespace krfx::internal {

// `s` as a JSON string literal: raw UTF-8, controls escaped, each invalid
// byte replaced by U+FFFD.
void append_json_string(std::string_view s, std::string* out);

// `s` with each invalid UTF-8 byte replaced by U+FFFD.
std::string sanitize_utf8(std::string_view s);

// `field` as one RFC 4180 CSV field: sanitized, quoted when it holds a comma,
// a quote, CR or LF, quotes doubled.
void append_csv_field(std::string_view field, std::string* out);

}  // namespace krfx::internal

#endif  // KRFX_SRC_WRITE_ESCAPE_H_
