#include "slsim/line_reader.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstring>

namespace slsim {

LineReader& LineReader::operator=(LineReader&& other) noexcept {
  if (this == &other) return *this;
  close();
  fd_ = other.fd_;
  other.fd_ = -1;
  seekable_ = other.seekable_;
  eof_ = other.eof_;
  buffer_ = std::move(other.buffer_);
  capacity_ = other.capacity_;
  other.capacity_ = 0;
  begin_ = other.begin_;
  end_ = other.end_;
  line_ = other.line_;
  path_ = std::move(other.path_);
  error_ = std::move(other.error_);
  return *this;
}

bool LineReader::open(const std::string& path, std::string& error) {
  close();
  path_ = path;
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) {
    error = std::string("cannot open it: ") + std::strerror(errno);
    return false;
  }
  struct stat st {};
  if (::fstat(fd_, &st) == 0 && S_ISDIR(st.st_mode)) {
    error = "it is a folder, not a file";
    close();
    return false;
  }
  seekable_ = ::fstat(fd_, &st) == 0 && S_ISREG(st.st_mode);
  if (seekable_) ::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
  if (capacity_ < kBufferBytes) {
    buffer_ = std::make_unique_for_overwrite<char[]>(kBufferBytes);
    capacity_ = kBufferBytes;
  }
  begin_ = end_ = 0;
  eof_ = false;
  line_ = 0;
  error_.clear();
  return true;
}

void LineReader::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

bool LineReader::rewind(std::string& error) {
  if (!seekable_ || ::lseek(fd_, 0, SEEK_SET) != 0) {
    error = "it cannot be read again (a pipe?): repeat needs a regular file";
    return false;
  }
  begin_ = end_ = 0;
  eof_ = false;
  line_ = 0;
  return true;
}

bool LineReader::fill() {
  if (eof_ || fd_ < 0) return false;
  if (begin_ > 0) {  // keep the partial line at the front
    std::memmove(buffer_.get(), buffer_.get() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (end_ == capacity_) {  // a line longer than the buffer
    if (capacity_ >= kMaxLineBytes) {
      error_ = "a line is longer than " + std::to_string(kMaxLineBytes >> 20) +
               " MB: this is not a line-by-line text trace (or its line ends are missing)";
      eof_ = true;
      return false;
    }
    auto bigger = std::make_unique_for_overwrite<char[]>(capacity_ * 2);
    std::memcpy(bigger.get(), buffer_.get(), end_);
    buffer_ = std::move(bigger);
    capacity_ *= 2;
  }
  for (;;) {
    const ssize_t n = ::read(fd_, buffer_.get() + end_, capacity_ - end_);
    if (n > 0) {
      end_ += static_cast<size_t>(n);
      return true;
    }
    if (n == 0) {
      eof_ = true;
      return false;
    }
    if (errno == EINTR) continue;
    error_ = std::string("reading failed: ") + std::strerror(errno);
    eof_ = true;
    return false;
  }
}

bool LineReader::next(std::string_view& line) {
  size_t scanned = begin_;
  for (;;) {
    const char* data = buffer_.get();
    if (const void* nl = std::memchr(data + scanned, '\n', end_ - scanned)) {
      size_t stop = static_cast<size_t>(static_cast<const char*>(nl) - data);
      const size_t start = begin_;
      begin_ = stop + 1;
      if (stop > start && data[stop - 1] == '\r') --stop;
      line = std::string_view(data + start, stop - start);
      ++line_;
      return true;
    }
    const size_t pending = end_ - begin_;
    if (!fill()) {
      if (end_ == begin_ || !error_.empty()) return false;
      // The last line has no newline.
      size_t stop = end_;
      const size_t start = begin_;
      begin_ = end_;
      if (stop > start && buffer_[stop - 1] == '\r') --stop;
      line = std::string_view(buffer_.get() + start, stop - start);
      ++line_;
      return true;
    }
    scanned = begin_ + pending;  // fill() moved the partial line to the front
  }
}

bool CsvFields::next(std::string_view& field, int& column) {
  if (done_) return false;
  column = static_cast<int>(pos_) + 1;
  if (pos_ < line_.size() && line_[pos_] == '"') {
    size_t i = pos_ + 1;
    for (;;) {
      const size_t q = line_.find('"', i);
      if (q == std::string_view::npos) {
        well_formed_ = false;
        field = line_.substr(pos_ + 1);
        done_ = true;
        return true;
      }
      if (q + 1 < line_.size() && line_[q + 1] == '"') {
        i = q + 2;
        continue;
      }
      field = line_.substr(pos_ + 1, q - pos_ - 1);
      if (q + 1 == line_.size()) {
        done_ = true;
      } else if (line_[q + 1] == ',') {
        pos_ = q + 2;
      } else {
        well_formed_ = false;
        done_ = true;
      }
      return true;
    }
  }
  const size_t comma = line_.find(',', pos_);
  if (comma == std::string_view::npos) {
    field = line_.substr(pos_);
    done_ = true;
  } else {
    field = line_.substr(pos_, comma - pos_);
    pos_ = comma + 1;
  }
  // Spaces around a cell ("1.5, fraud") are not part of it.
  while (!field.empty() && (field.front() == ' ' || field.front() == '\t')) {
    field.remove_prefix(1);
    ++column;
  }
  while (!field.empty() && (field.back() == ' ' || field.back() == '\t')) field.remove_suffix(1);
  return true;
}

std::vector<std::string> split_header(std::string_view line) {
  std::vector<std::string> names;
  if (line.size() >= 3 && line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);  // BOM
  CsvFields fields(line);
  std::string_view f;
  int column;
  while (fields.next(f, column)) {
    while (!f.empty() && (f.front() == ' ' || f.front() == '\t')) f.remove_prefix(1);
    while (!f.empty() && (f.back() == ' ' || f.back() == '\t')) f.remove_suffix(1);
    names.emplace_back(f);
  }
  return names;
}

namespace {

constexpr int64_t kPow10[] = {1,
                              10,
                              100,
                              1000,
                              10000,
                              100000,
                              1000000,
                              10000000,
                              100000000,
                              1000000000,
                              10000000000,
                              100000000000,
                              1000000000000,
                              10000000000000,
                              100000000000000,
                              1000000000000000,
                              10000000000000000,
                              100000000000000000,
                              1000000000000000000};

bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

const char* parse_scaled_decimal(std::string_view text, int exponent, int64_t& out) {
  if (text.empty()) return "the cell is empty";
  size_t i = 0;
  const bool negative = text[0] == '-';
  if (text[0] == '-' || text[0] == '+') ++i;
  const size_t digits_start = i;
  __int128 value = 0;
  constexpr __int128 kLimit = static_cast<__int128>(INT64_MAX) * 10;
  while (i < text.size() && is_digit(text[i])) {
    value = value * 10 + (text[i++] - '0');
    if (value > kLimit) return "the number is too large";
  }
  bool any = i > digits_start;
  int fraction_digits = 0;
  bool round_up = false;
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && is_digit(text[i])) {
      any = true;
      if (fraction_digits < exponent) {
        value = value * 10 + (text[i] - '0');
        ++fraction_digits;
      } else if (fraction_digits == exponent) {
        round_up = text[i] >= '5';
        ++fraction_digits;
      }
      ++i;
    }
  }
  if (!any) return "it is not a number";
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    double d = 0.0;
    const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), d);
    if (ec != std::errc() || p != text.data() + text.size() || !std::isfinite(d))
      return "it is not a number";
    const double scaled = d * static_cast<double>(kPow10[exponent]);
    if (std::fabs(scaled) >= 9.2e18) return "the number is too large";
    out = std::llround(scaled);
    return nullptr;
  }
  if (i != text.size()) return "it is not a number";
  const int missing = exponent - std::min(fraction_digits, exponent);
  value *= kPow10[missing];
  if (round_up) value += 1;
  if (value > INT64_MAX) return "the number is too large";
  out = static_cast<int64_t>(negative ? -value : value);
  return nullptr;
}

namespace {

bool two_digits(std::string_view s, size_t pos, int& out) {
  if (pos + 2 > s.size() || !is_digit(s[pos]) || !is_digit(s[pos + 1])) return false;
  out = (s[pos] - '0') * 10 + (s[pos + 1] - '0');
  return true;
}

}  // namespace

const char* parse_iso8601_ns(std::string_view s, int64_t& out) {
  constexpr const char* kForm =
      "it is not an ISO 8601 date-time such as 2027-03-22T10:00:00.25Z (or with a space for T, "
      "a ±HH:MM offset, or no zone for UTC)";
  if (s.size() < 10 || !is_digit(s[0]) || !is_digit(s[1]) || !is_digit(s[2]) || !is_digit(s[3]) ||
      s[4] != '-' || s[7] != '-')
    return kForm;
  const int year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
  int month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!two_digits(s, 5, month) || !two_digits(s, 8, day)) return kForm;
  int64_t fraction = 0;
  int64_t zone_seconds = 0;
  size_t pos = 10;
  if (pos < s.size()) {
    if (s[pos] != 'T' && s[pos] != 't' && s[pos] != ' ') return kForm;
    if (!two_digits(s, pos + 1, hour) || pos + 9 > s.size() || s[pos + 3] != ':' ||
        !two_digits(s, pos + 4, minute) || s[pos + 6] != ':' || !two_digits(s, pos + 7, second))
      return kForm;
    pos += 9;
    if (pos < s.size() && s[pos] == '.') {
      ++pos;
      const size_t first = pos;
      int n = 0;
      bool round_up = false;
      while (pos < s.size() && is_digit(s[pos])) {
        if (n < 9) {
          fraction = fraction * 10 + (s[pos] - '0');
        } else if (n == 9) {
          round_up = s[pos] >= '5';
        }
        ++n;
        ++pos;
      }
      if (pos == first) return kForm;
      if (n < 9) fraction *= kPow10[9 - n];
      if (round_up) ++fraction;
    }
    if (pos < s.size()) {
      const char z = s[pos];
      if ((z == 'Z' || z == 'z') && pos + 1 == s.size()) {
      } else if (z == '+' || z == '-') {
        int zh = 0, zm = 0;
        const bool colon = pos + 3 < s.size() && s[pos + 3] == ':';
        if (!two_digits(s, pos + 1, zh) || !two_digits(s, pos + (colon ? 4 : 3), zm) ||
            pos + (colon ? 6 : 5) != s.size() || zh > 23 || zm > 59)
          return kForm;
        zone_seconds = (z == '+' ? 1 : -1) * (zh * 3600 + zm * 60);
      } else {
        return kForm;
      }
    }
  }
  if (hour > 23 || minute > 59 || second > 59) return "there is no such time of day";
  namespace chr = std::chrono;
  const chr::year_month_day ymd{chr::year{year}, chr::month{static_cast<unsigned>(month)},
                                chr::day{static_cast<unsigned>(day)}};
  if (!ymd.ok()) return "there is no such date";
  if (year < 1970 || year > 2261) return "the year must be from 1970 to 2261";
  const int64_t days = chr::sys_days{ymd}.time_since_epoch().count();
  const int64_t seconds = days * 86400 + (hour * 60 + minute) * 60 + second - zone_seconds;
  if (seconds < 0) return "the instant is before 1970";
  out = seconds * 1'000'000'000 + fraction;
  return nullptr;
}

const char* parse_double(std::string_view text, double& out) {
  if (text.empty()) return "the cell is empty";
  const char* first = text.data();
  if (*first == '+') ++first;
  const auto [p, ec] = std::from_chars(first, text.data() + text.size(), out);
  if (ec != std::errc() || p != text.data() + text.size() || !std::isfinite(out))
    return "it is not a number";
  return nullptr;
}

const char* parse_count(std::string_view text, int64_t& out) {
  if (text.empty()) return "the cell is empty";
  const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  if (ec == std::errc::result_out_of_range) return "the number is too large";
  if (ec != std::errc() || p != text.data() + text.size()) {
    double d;
    if (!parse_double(text, d) && d >= 0 && d == std::floor(d) && d < 9e18) {
      out = static_cast<int64_t>(d);  // "3.0", as CloudWatch and pandas write counts
      return nullptr;
    }
    return "it is not a whole number";
  }
  if (out < 0) return "it is negative";
  return nullptr;
}

}  // namespace slsim
