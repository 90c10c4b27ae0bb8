// A CSV file written while the simulation runs (requests.csv rows, metrics.csv minutes): lines
// are appended to a buffer and flushed in 1 MB writes, so memory stays independent of the number
// of requests and of the simulated duration.
#pragma once

#include <cstdio>
#include <string>

namespace slsim {

class CsvLog {
 public:
  // Opens `path` for writing; ok() tells whether that worked.
  explicit CsvLog(const std::string& path);
  ~CsvLog();
  CsvLog(const CsvLog&) = delete;
  CsvLog& operator=(const CsvLog&) = delete;

  bool ok() const { return file_ != nullptr && !failed_; }
  std::string& buffer() { return buffer_; }  // append whole lines, then call maybe_flush()
  void maybe_flush() {
    if (buffer_.size() >= kFlushBytes) flush();
  }
  // Flushes and closes; returns false on any write error.
  bool close();

 private:
  static constexpr size_t kFlushBytes = 1 << 20;
  void flush();
  std::FILE* file_ = nullptr;
  std::string buffer_;
  bool failed_ = false;
};

}  // namespace slsim
