#include "slsim/csv_log.hpp"

namespace slsim {

CsvLog::CsvLog(const std::string& path) : file_(std::fopen(path.c_str(), "wb")) {
  buffer_.reserve(kFlushBytes + 4096);
}

CsvLog::~CsvLog() { close(); }

void CsvLog::flush() {
  if (file_ && !buffer_.empty() &&
      std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size())
    failed_ = true;
  buffer_.clear();
}

bool CsvLog::close() {
  if (!file_) return !failed_;
  flush();
  if (std::fclose(file_) != 0) failed_ = true;
  file_ = nullptr;
  return !failed_;
}

}  // namespace slsim
