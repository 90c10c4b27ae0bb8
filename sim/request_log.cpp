#include "slsim/request_log.hpp"

namespace slsim {

RequestLog::RequestLog(const std::string& path) : file_(std::fopen(path.c_str(), "wb")) {
  buffer_.reserve(kFlushBytes + 4096);
}

RequestLog::~RequestLog() { close(); }

const char* RequestLog::header() {
  return "replication,endpoint,arrival_s,outcome,latency_s,model_latency_s,overhead_s,"
         "scheduling_s,image_pull_s,artifact_download_s,extraction_s,model_load_s,"
         "container_init_s,payload_bytes\n";
}

void RequestLog::flush() {
  if (file_ && !buffer_.empty() &&
      std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size())
    failed_ = true;
  buffer_.clear();
}

bool RequestLog::close() {
  if (!file_) return false;
  flush();
  if (std::fclose(file_) != 0) failed_ = true;
  file_ = nullptr;
  return !failed_;
}

}  // namespace slsim
