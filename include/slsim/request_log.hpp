// Per-request output (`--requests`): one CSV line per request, buffered and written to a file as
// the simulation goes, so memory stays independent of the number of requests.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

namespace slsim {

class RequestLog {
 public:
  // Opens `path` for writing; ok() tells whether that worked.
  explicit RequestLog(const std::string& path);
  ~RequestLog();
  RequestLog(const RequestLog&) = delete;
  RequestLog& operator=(const RequestLog&) = delete;

  bool ok() const { return file_ != nullptr && !failed_; }
  std::string& buffer() { return buffer_; }  // append a line, then call maybe_flush()
  void maybe_flush() {
    if (buffer_.size() >= kFlushBytes) flush();
  }
  // Flushes and closes; returns false on any write error.
  bool close();
  static const char* header();

 private:
  static constexpr size_t kFlushBytes = 1 << 20;
  void flush();
  std::FILE* file_ = nullptr;
  std::string buffer_;
  bool failed_ = false;
};

}  // namespace slsim
