// Writers for the output contract (v1): JSONL, CSV and a terminal table.
//
// JSONL and CSV share one flattening of a Mention into the contract's
// fields (for_each_mention_field), so the field order is defined in exactly one place.
#include <krfx/output.h>

#include "write/escape.h"

#include <fmt/format.h>
#include <unicode/uchar.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <optional>
#include <string_view>

namespace krfx {
namespace {

// ---------------------------------------------------------------------------
// Contract fields

enum class Kind { kString, kNumber, kBool };

struct FieldSpec {
  const char* name;
  Kind kind;
};

// The contract's fields in order; JSON types follow the contract (id and the
// offsets are numbers, approx is a boolean, everything else a string).
constexpr std::array<FieldSpec, 21> kFields = {{
    {"doc", Kind::kString},        {"id", Kind::kNumber},
    {"start", Kind::kNumber},      {"end", Kind::kNumber},
    {"byte_start", Kind::kNumber}, {"byte_end", Kind::kNumber},
    {"text", Kind::kString},       {"currency", Kind::kString},
    {"value", Kind::kString},      {"low", Kind::kString},
    {"high", Kind::kString},       {"approx", Kind::kBool},
    {"bound", Kind::kString},      {"role", Kind::kString},
    {"converts", Kind::kString},   {"implied_rate", Kind::kString},
    {"rate_check", Kind::kString}, {"entity", Kind::kString},
    {"action", Kind::kString},     {"target", Kind::kString},
    {"rate_deviation", Kind::kString},
}};

// Appended after kFields when amounts are converted to one currency (--to).
constexpr std::array<FieldSpec, 6> kConversionFields = {{
    {"converted_currency", Kind::kString}, {"converted_value", Kind::kString},
    {"converted_low", Kind::kString},      {"converted_high", Kind::kString},
    {"rate_used", Kind::kString},          {"rate_source", Kind::kString},
}};

// The longest text a JSONL record has between two values: a quote, a
// comma, the quoted name (plain ASCII), a colon and a quote.
constexpr std::size_t kJointBytes = [] {
  std::size_t n = 0;
  for (const FieldSpec& f : kFields) n = std::max(n, std::char_traits<char>::length(f.name));
  for (const FieldSpec& f : kConversionFields) n = std::max(n, std::char_traits<char>::length(f.name));
  return n + 6;
}();

// Built once for each set of fields: the CLI makes a writer per document.
const std::vector<FieldSpec>& field_specs(const WriterOptions& options) {
  static const std::array<std::vector<FieldSpec>, 2> specs = [] {
    std::array<std::vector<FieldSpec>, 2> v;
    for (std::vector<FieldSpec>& f : v) f.assign(kFields.begin(), kFields.end());
    v[1].insert(v[1].end(), kConversionFields.begin(), kConversionFields.end());
    return v;
  }();
  return specs[options.conversion_fields ? 1 : 0];
}

std::string decimal_text(const std::optional<Decimal>& d) {
  return d ? d->to_string() : std::string();
}

// Hands every field as text, in contract order, to `field` (a view that is
// valid only during the call). Numbers and booleans are already in their
// JSON/CSV spelling, so writers only decide about quoting; nothing is
// copied into a record first, as writing a field is about as cheap as
// copying it.
template <typename Field>
void for_each_mention_field(const Document& doc, const Mention& m, const WriterOptions& options, Field&& field) {
  const auto number = [&](std::int64_t v) {
    const fmt::format_int f(v);
    field(std::string_view(f.data(), f.size()));
  };
  // One buffer for every value of the thread: a value of 16 digits and
  // more (a won amount from 1jo up) no longer costs an allocation.
  thread_local std::string value_text;
  const auto decimal = [&](const std::optional<Decimal>& d) {
    if (d) {
      value_text.clear();
      d->append_to(&value_text);
      field(std::string_view(value_text));
    } else {
      field(std::string_view());
    }
  };
  field(std::string_view(doc.id));
  number(m.id);
  number(m.start);
  number(m.end);
  number(m.byte_start);
  number(m.byte_end);
  field(std::string_view(m.text));
  field(std::string_view(m.currency));
  decimal(m.value);
  decimal(m.low);
  decimal(m.high);
  field(std::string_view(m.approx ? "true" : "false"));
  field(std::string_view(to_string(m.bound)));
  field(std::string_view(to_string(m.role)));
  if (m.converts != 0) {
    number(m.converts);
  } else {
    field(std::string_view());
  }
  field(std::string_view(m.implied_rate));
  field(std::string_view(m.rate_check));
  field(std::string_view(m.entity));
  field(std::string_view(m.action));
  field(std::string_view(m.target));
  field(std::string_view(m.rate_deviation));
  if (options.conversion_fields) {
    for (const std::string* v : {&m.converted_currency, &m.converted_value, &m.converted_low, &m.converted_high,
                                 &m.rate_used, &m.rate_source})
      field(std::string_view(*v));
  }
}

// ---------------------------------------------------------------------------
// UTF-8

constexpr char32_t kInvalid = 0xFFFFFFFF;
constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Decodes one well-formed UTF-8 sequence at *pos (Unicode Table 3-7: no
// overlongs, no surrogates, nothing above U+10FFFF) and advances past it.
// Anything else consumes exactly one byte and yields kInvalid, matching the
// contract's rule that an invalid byte counts as one code point.
char32_t decode_utf8(std::string_view s, std::size_t* pos) {
  const std::size_t i = *pos;
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b0 = byte(i);
  *pos = i + 1;
  if (b0 < 0x80) return b0;

  std::size_t len = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  char32_t cp = 0;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2, cp = b0 & 0x1F;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3, cp = b0 & 0x0F;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4, cp = b0 & 0x07;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;
  } else {
    return kInvalid;
  }
  if (i + len > s.size()) return kInvalid;
  for (std::size_t k = 1; k < len; ++k) {
    const unsigned char b = byte(i + k);
    const unsigned char min = k == 1 ? lo : 0x80;
    const unsigned char max = k == 1 ? hi : 0xBF;
    if (b < min || b > max) return kInvalid;
    cp = (cp << 6) | (b & 0x3F);
  }
  *pos = i + len;
  return cp;
}

// A well-formed three-byte sequence at s[i] (as decode_utf8 would accept
// it) other than one led by E0: Hangul and most other text of the inputs,
// told without decoding.
inline bool three_byte_at(std::string_view s, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b0 = byte(i);
  if (b0 < 0xE1 || b0 > 0xEF || i + 2 >= s.size()) return false;
  const unsigned char b1 = byte(i + 1), b2 = byte(i + 2);
  return b1 >= 0x80 && b1 <= (b0 == 0xED ? 0x9F : 0xBF) && (b2 & 0xC0) == 0x80;
}

// Appends the bytes s[begin, end) (one decoded sequence) or U+FFFD.
void append_code_point(std::string_view s, std::size_t begin, std::size_t end,
                       char32_t cp, std::string* out) {
  if (cp == kInvalid) {
    out->append(kReplacement);
  } else {
    out->append(s.data() + begin, end - begin);
  }
}

// The bytes that stand for themselves in a JSON string on their own:
// printable ASCII other than the quote and the backslash. One load per
// byte, not four tests.
constexpr std::array<bool, 256> kPlainAscii = [] {
  std::array<bool, 256> t{};
  for (int c = 0x20; c < 0x80; ++c) t[static_cast<std::size_t>(c)] = c != '"' && c != '\\';
  return t;
}();

// JSON escaping makes at most six bytes of one (a control byte as \u001f).
constexpr std::size_t kJsonGrowth = 6;

// Writes the characters of `s` in a JSON string literal, without its
// quotes, at `out`, which has room for kJsonGrowth bytes per byte of `s`;
// returns the end of what it wrote.
char* write_json_chars(std::string_view s, char* out) {
  if (s.empty()) return out;  // most of a record's fields (and no data to copy)
  // Runs of bytes that stand for themselves (printable ASCII other than the
  // quote and backslash, well-formed multi-byte sequences) go out in one
  // copy: most text is nothing else.
  std::size_t run = 0, pos = 0;
  const auto copy = [&out](const char* from, std::size_t n) {
    std::memcpy(out, from, n);
    out += n;
  };
  while (pos < s.size()) {
    const auto c = static_cast<unsigned char>(s[pos]);
    if (kPlainAscii[c]) {
      ++pos;
      continue;
    }
    if (three_byte_at(s, pos)) {
      pos += 3;
      continue;
    }
    const std::size_t begin = pos;
    const char32_t cp = decode_utf8(s, &pos);
    if (c >= 0x80 && cp != kInvalid) continue;
    copy(s.data() + run, begin - run);
    run = pos;
    switch (cp) {
      case '"': copy("\\\"", 2); break;
      case '\\': copy("\\\\", 2); break;
      case '\n': copy("\\n", 2); break;
      case '\t': copy("\\t", 2); break;
      case '\r': copy("\\r", 2); break;
      default:
        if (cp < 0x20) {
          out = fmt::format_to(out, "\\u{:04x}", static_cast<unsigned>(cp));
        } else if (cp == kInvalid) {
          copy(kReplacement.data(), kReplacement.size());
        } else {
          copy(s.data() + begin, pos - begin);
        }
    }
  }
  copy(s.data() + run, pos - run);
  return out;
}

// The characters of `s` in a JSON string literal, without its quotes.
void append_json_chars(std::string_view s, std::string* out) {
  const std::size_t old = out->size();
  out->resize(old + kJsonGrowth * s.size());
  char* end = write_json_chars(s, out->data() + old);
  out->resize(static_cast<std::size_t>(end - out->data()));
}

}  // namespace

// Escaping shared with the report writers (write/escape.h).
namespace internal {

// Appends `s` as a JSON string literal. Non-ASCII text stays raw UTF-8 so the
// output is readable; invalid bytes become U+FFFD so the line is always valid
// JSON (a JSON text must be UTF-8).
void append_json_string(std::string_view s, std::string* out) {
  out->push_back('"');
  append_json_chars(s, out);
  out->push_back('"');
}

// Replaces invalid UTF-8 bytes with U+FFFD: the contract promises UTF-8 CSV,
// and a stray byte would make strict readers reject the whole file.
std::string sanitize_utf8(std::string_view s) {
  std::size_t valid = 0;
  while (valid < s.size()) {
    if (three_byte_at(s, valid)) {
      valid += 3;
      continue;
    }
    std::size_t next = valid;
    if (decode_utf8(s, &next) == kInvalid) break;
    valid = next;
  }
  if (valid == s.size()) return std::string(s);
  std::string out;
  out.reserve(s.size());
  std::size_t pos = 0;
  while (pos < s.size()) {
    const std::size_t begin = pos;
    const char32_t cp = decode_utf8(s, &pos);
    append_code_point(s, begin, pos, cp, &out);
  }
  return out;
}

// RFC 4180: a field is quoted when it contains a comma, a quote, CR or LF;
// quotes inside are doubled.
void append_csv_field(std::string_view field, std::string* out) {
  // Most fields are valid UTF-8 with nothing to quote: they go out as they
  // are, without a sanitized copy.
  std::size_t pos = 0;
  while (pos < field.size()) {
    const auto c = static_cast<unsigned char>(field[pos]);
    if (c < 0x80) {
      if (c == ',' || c == '"' || c == '\r' || c == '\n') break;
      ++pos;
    } else if (three_byte_at(field, pos)) {
      pos += 3;
    } else if (std::size_t next = pos; decode_utf8(field, &next) != kInvalid) {
      pos = next;
    } else {
      break;
    }
  }
  if (pos == field.size()) {
    out->append(field);
    return;
  }
  const std::string clean = sanitize_utf8(field);
  if (clean.find_first_of(",\"\r\n") == std::string::npos) {
    out->append(clean);
    return;
  }
  out->push_back('"');
  for (char c : clean) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  out->push_back('"');
}

}  // namespace internal

namespace {

using internal::append_csv_field;
using internal::append_json_string;
using internal::sanitize_utf8;

// Lines are gathered and written this many bytes at a time: a stream's
// write costs more per call than per byte.
constexpr std::size_t kWriteBytes = std::size_t{64} << 10;

// The lines of a write() not yet written: one buffer per thread, empty
// between calls, so that its capacity outlives the writer (the CLI makes a
// writer per document).
std::string& write_buffer() {
  thread_local std::string buffer;
  return buffer;
}

// ---------------------------------------------------------------------------
// JSONL

class JsonlWriter : public Writer {
 public:
  JsonlWriter(std::ostream& out, const WriterOptions& options)
      : out_(out), options_(options), fields_(field_specs(options)), joints_(joints(options)) {}

  void begin() override {}

  void write(const Document& doc, const std::vector<Mention>& mentions) override {
    used_ = 0;
    for (const Mention& m : mentions) {
      std::size_t i = 0;
      for_each_mention_field(doc, m, options_, [&](std::string_view v) {
        const std::size_t k = i++;
        const Joint& joint = joints_[k];
        // Written through a pointer into room made for the worst case:
        // two string appends per field, each checking for room, were
        // most of the writer's time. A joint is copied whole, a fixed
        // size that needs no call to memcpy, and the pointer moved by
        // its length.
        char* p = room(joint.bytes.size() + kJsonGrowth * v.size());
        std::memcpy(p, joint.bytes.data(), joint.bytes.size());
        p += joint.size;
        if (fields_[k].kind == Kind::kString) {
          p = write_json_chars(v, p);
        } else {
          std::memcpy(p, v.data(), v.size());  // already a JSON number or true/false
          p += v.size();
        }
        used_ = static_cast<std::size_t>(p - text_.data());
      });
      const Joint& last = joints_.back();
      std::memcpy(room(last.bytes.size()), last.bytes.data(), last.bytes.size());
      used_ += last.size;
      if (used_ >= kWriteBytes) write_out();
    }
    write_out();
    out_.flush();  // streaming: a consumer sees each document as it is done
  }

  void end() override { out_.flush(); }

 private:
  void write_out() {
    out_.write(text_.data(), static_cast<std::streamsize>(used_));
    used_ = 0;
  }

  // Room for `n` more bytes after the used ones.
  char* room(std::size_t n) {
    if (text_.size() - used_ < n) text_.resize(std::max(2 * text_.size(), used_ + n));
    return text_.data() + used_;
  }

  // What stands before each field's value: the previous value's closing
  // quote, the key and the value's opening quote ("text":" or ","entity":"),
  // and last what ends the line; its first `size` bytes, the rest zeros.
  struct Joint {
    std::array<char, kJointBytes> bytes{};
    std::size_t size = 0;
  };

  // Built once for each set of fields.
  static const std::vector<Joint>& joints(const WriterOptions& options) {
    static const std::array<std::vector<Joint>, 2> joints = [] {
      std::array<std::vector<Joint>, 2> v;
      for (bool conversion : {false, true}) {
        WriterOptions o;
        o.conversion_fields = conversion;
        std::vector<std::string> texts;
        bool quoted = false;  // the field before is a string
        for (const FieldSpec& f : field_specs(o)) {
          std::string& j = texts.emplace_back(quoted ? "\"" : "");
          j.push_back(texts.size() == 1 ? '{' : ',');
          append_json_string(f.name, &j);
          j.push_back(':');
          quoted = f.kind == Kind::kString;
          if (quoted) j.push_back('"');
        }
        texts.emplace_back(quoted ? "\"}\n" : "}\n");
        for (const std::string& t : texts) {
          Joint& j = v[conversion ? 1 : 0].emplace_back();
          j.size = t.size();
          std::memcpy(j.bytes.data(), t.data(), j.size);
        }
      }
      return v;
    }();
    return joints[options.conversion_fields ? 1 : 0];
  }

  std::ostream& out_;
  WriterOptions options_;
  const std::vector<FieldSpec>& fields_;
  const std::vector<Joint>& joints_;
  // The lines of a write() not yet written are its first used_ bytes; the
  // rest is room. One buffer per thread, apart from write_buffer(), whose
  // users keep it empty between calls.
  std::vector<char>& text_ = jsonl_buffer();
  std::size_t used_ = 0;

  static std::vector<char>& jsonl_buffer() {
    thread_local std::vector<char> buffer;
    return buffer;
  }
};

// ---------------------------------------------------------------------------
// CSV

// Lines end in "\n", not RFC 4180's CRLF: the output is meant for Unix
// pipelines (cut, awk, diff), and CSV readers accept either ending. Line
// breaks inside quoted fields are kept exactly as they are in the text.
class CsvWriter : public Writer {
 public:
  CsvWriter(std::ostream& out, const WriterOptions& options) : out_(out), options_(options) {}

  void begin() override {
    std::string line;
    const std::vector<FieldSpec>& fields = field_specs(options_);
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (i > 0) line.push_back(',');
      line.append(fields[i].name);
    }
    line.push_back('\n');
    emit(line);
  }

  void write(const Document& doc, const std::vector<Mention>& mentions) override {
    text_.clear();
    for (const Mention& m : mentions) {
      bool first = true;
      for_each_mention_field(doc, m, options_, [&](std::string_view v) {
        if (!first) text_.push_back(',');
        first = false;
        append_csv_field(v, &text_);
      });
      text_.push_back('\n');
      if (text_.size() >= kWriteBytes) write_out();
    }
    write_out();
    out_.flush();  // streaming, as for JSONL
  }

  void end() override { out_.flush(); }

 private:
  void emit(const std::string& s) {
    out_.write(s.data(), static_cast<std::streamsize>(s.size()));
    out_.flush();
  }

  void write_out() {
    out_.write(text_.data(), static_cast<std::streamsize>(text_.size()));
    text_.clear();
  }

  std::ostream& out_;
  WriterOptions options_;
  std::string& text_ = write_buffer();
};

// ---------------------------------------------------------------------------
// Table

int code_point_width(char32_t cp) {
  if (cp == kInvalid) return 1;  // shown as U+FFFD
  const auto c = static_cast<UChar32>(cp);
  if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0)) return 0;  // controls
  if (cp == 0xAD) return 1;  // soft hyphen is Cf but terminals draw it
  if (U_GET_GC_MASK(c) & (U_GC_MN_MASK | U_GC_ME_MASK | U_GC_CF_MASK)) return 0;
  // Conjoining Hangul medial vowels and final consonants combine with the
  // preceding initial consonant into one wide cell.
  const int hst = u_getIntPropertyValue(c, UCHAR_HANGUL_SYLLABLE_TYPE);
  if (hst == U_HST_VOWEL_JAMO || hst == U_HST_TRAILING_JAMO) return 0;
  const int ea = u_getIntPropertyValue(c, UCHAR_EAST_ASIAN_WIDTH);
  // Ambiguous width counts 1, as in a terminal outside a CJK locale.
  return (ea == U_EA_WIDE || ea == U_EA_FULLWIDTH) ? 2 : 1;
}

// Makes a cell safe to print on a terminal: control characters are shown as
// escapes (a newline in a mention's text would break the row) and invalid
// bytes as U+FFFD.
std::string printable_cell(std::string_view s) {
  std::string out;
  std::size_t pos = 0;
  while (pos < s.size()) {
    const std::size_t begin = pos;
    const char32_t cp = decode_utf8(s, &pos);
    if (cp == '\n') {
      out.append("\\n");
    } else if (cp == '\t') {
      out.append("\\t");
    } else if (cp != kInvalid && (cp < 0x20 || cp == 0x7F)) {
      fmt::format_to(std::back_inserter(out), "\\x{:02x}", static_cast<unsigned>(cp));
    } else if (cp >= 0x80 && cp < 0xA0) {
      // C1 controls such as U+009B (CSI) would be obeyed by some terminals.
      fmt::format_to(std::back_inserter(out), "\\u{:04x}", static_cast<unsigned>(cp));
    } else {
      append_code_point(s, begin, pos, cp, &out);
    }
  }
  return out;
}

constexpr std::size_t kTableColumns = 9;
using TableRow = std::array<std::string, kTableColumns>;

const TableRow& table_header() {
  static const TableRow header = {"doc",   "id",    "text", "currency", "value",
                                  "approx", "bound", "role", "converts"};
  return header;
}

// Numeric columns (id, value, converts) are right-aligned so digits line up.
constexpr std::array<bool, kTableColumns> kRightAligned = {
    false, true, false, false, true, false, false, false, true};

// The value column shows a single amount, or a range as "low..high".
std::string value_cell(const Mention& m) {
  if (m.value) return m.value->to_string();
  if (!m.low && !m.high) return std::string();
  return decimal_text(m.low) + ".." + decimal_text(m.high);
}

TableRow table_row(const Document& doc, const Mention& m) {
  TableRow row = {
      doc.id,
      fmt::format("{}", m.id),
      m.text,
      m.currency,
      value_cell(m),
      m.approx ? "true" : "false",
      to_string(m.bound),
      to_string(m.role),
      m.converts != 0 ? fmt::format("{}", m.converts) : std::string(),
  };
  for (std::string& cell : row) cell = printable_cell(cell);
  return row;
}

// Collects every row first: column widths depend on all of them, so the
// table cannot be streamed. It is meant for a human at a terminal.
class TableWriter : public Writer {
 public:
  explicit TableWriter(std::ostream& out) : out_(out) {}

  void begin() override { rows_.clear(); }

  void write(const Document& doc, const std::vector<Mention>& mentions) override {
    for (const Mention& m : mentions) rows_.push_back(table_row(doc, m));
  }

  void end() override {
    std::array<int, kTableColumns> widths{};
    measure(table_header(), &widths);
    for (const TableRow& row : rows_) measure(row, &widths);

    std::string text;
    append_row(table_header(), widths, &text);
    append_rule(widths, &text);
    for (const TableRow& row : rows_) append_row(row, widths, &text);
    out_.write(text.data(), static_cast<std::streamsize>(text.size()));
    out_.flush();
    rows_.clear();
  }

 private:
  static void measure(const TableRow& row, std::array<int, kTableColumns>* widths) {
    for (std::size_t i = 0; i < kTableColumns; ++i) {
      (*widths)[i] = std::max((*widths)[i], display_width(row[i]));
    }
  }

  static void append_row(const TableRow& row,
                         const std::array<int, kTableColumns>& widths,
                         std::string* out) {
    std::string line;
    for (std::size_t i = 0; i < kTableColumns; ++i) {
      if (i > 0) line.append("  ");
      const auto pad =
          static_cast<std::size_t>(widths[i] - display_width(row[i]));
      if (kRightAligned[i]) line.append(pad, ' ');
      line.append(row[i]);
      if (!kRightAligned[i]) line.append(pad, ' ');
    }
    // No trailing blanks: they show up in copies and diffs.
    line.erase(line.find_last_not_of(' ') + 1);
    out->append(line);
    out->push_back('\n');
  }

  static void append_rule(const std::array<int, kTableColumns>& widths,
                          std::string* out) {
    std::string line;
    for (std::size_t i = 0; i < kTableColumns; ++i) {
      if (i > 0) line.append("  ");
      line.append(static_cast<std::size_t>(widths[i]), '-');
    }
    out->append(line);
    out->push_back('\n');
  }

  std::ostream& out_;
  std::vector<TableRow> rows_;
};

}  // namespace

std::unique_ptr<Writer> make_writer(Format format, std::ostream& out, const WriterOptions& options) {
  switch (format) {
    case Format::kJsonl: return std::make_unique<JsonlWriter>(out, options);
    case Format::kCsv: return std::make_unique<CsvWriter>(out, options);
    case Format::kTable: return std::make_unique<TableWriter>(out);
  }
  return nullptr;
}

std::vector<std::string> field_names(const WriterOptions& options) {
  std::vector<std::string> v;
  for (const FieldSpec& f : field_specs(options)) v.emplace_back(f.name);
  return v;
}

int display_width(const std::string& utf8) {
  int width = 0;
  std::size_t pos = 0;
  while (pos < utf8.size()) width += code_point_width(decode_utf8(utf8, &pos));
  return width;
}

}  // namespace krfx
