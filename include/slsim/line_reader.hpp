// Streaming reading of text traces without allocation per line: one buffer, lines handed out as
// views into it, fields split in place, numbers and instants parsed with std::from_chars and
// integer arithmetic. A line longer than the buffer grows it (once per longer line, not per row),
// up to kMaxLineBytes: a longer "line" is an error, not gigabytes of memory.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace slsim {

class LineReader {
 public:
  static constexpr size_t kBufferBytes = 1 << 20;
  static constexpr size_t kMaxLineBytes = size_t{64} << 20;

  LineReader() = default;
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;
  LineReader(LineReader&& other) noexcept { *this = std::move(other); }
  LineReader& operator=(LineReader&& other) noexcept;
  ~LineReader() { close(); }

  // Opens `path` (a regular file, a FIFO or /dev/stdin). False with `error` set if it cannot.
  bool open(const std::string& path, std::string& error);
  void close();
  bool is_open() const { return fd_ >= 0; }
  // Whether rewind() can work (a regular file, not a pipe).
  bool seekable() const { return seekable_; }
  // Back to the first line. REQUIRES: seekable().
  bool rewind(std::string& error);

  // The next line, without its "\n" or "\r\n"; valid until the next call. False at the end of
  // the file, or on a read error (then error() says what).
  bool next(std::string_view& line);
  int64_t line_number() const { return line_; }  // of the line last returned (1-based)
  const std::string& error() const { return error_; }
  const std::string& path() const { return path_; }

 private:
  bool fill();  // reads more after end_; false at end of file or error

  int fd_ = -1;
  bool seekable_ = false;
  bool eof_ = false;
  // Uninitialised storage (pages a small file never reaches are never touched), kept across
  // open() calls.
  std::unique_ptr<char[]> buffer_;
  size_t capacity_ = 0;
  size_t begin_ = 0, end_ = 0;
  int64_t line_ = 0;
  std::string path_;
  std::string error_;
};

// The comma-separated fields of one line, in place, without the spaces around them. A field in
// double quotes may hold commas; its view is what is inside the quotes (a doubled quote inside is
// left doubled).
class CsvFields {
 public:
  explicit CsvFields(std::string_view line) : line_(line) {}
  // The next field and its 1-based column; false after the last one.
  bool next(std::string_view& field, int& column);
  // False if a quoted field was not closed (after next() returned it).
  bool well_formed() const { return well_formed_; }

 private:
  std::string_view line_;
  size_t pos_ = 0;
  bool done_ = false;
  bool well_formed_ = true;
};

// Splits a header line into column names (allocates: once per file).
std::vector<std::string> split_header(std::string_view line);

// An exact decimal number times 10^exponent, rounded to the nearest integer: "12.5" with
// exponent 9 is 12'500'000'000 (seconds to nanoseconds). Scientific notation is accepted and
// goes through a double. Returns nullptr, or what is wrong.
const char* parse_scaled_decimal(std::string_view text, int exponent, int64_t& out);
// An ISO 8601 date-time as nanoseconds since 1970: `2027-03-22T10:00:00`, `T` or a space
// between date and time, 0–9 fractional digits (more are rounded), then `Z`, `±HH:MM`, `±HHMM`
// or nothing (UTC), or a date alone (midnight). Returns nullptr, or what is wrong.
const char* parse_iso8601_ns(std::string_view text, int64_t& out);
// A finite double; nullptr or what is wrong.
const char* parse_double(std::string_view text, double& out);
// A non-negative integer; nullptr or what is wrong.
const char* parse_count(std::string_view text, int64_t& out);

}  // namespace slsim
