#include "slsim/output_dir.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <system_error>

namespace slsim {
namespace fs = std::filesystem;

OutputDir::~OutputDir() {
  std::error_code ec;
  for (const auto& prefix : scratch_)
    for (int k = 0; fs::exists(fmt::format("{}.{}", prefix, k), ec); ++k)
      fs::remove(fmt::format("{}.{}", prefix, k), ec);
  if (committed_) return;
  for (const auto& [tmp, final_path] : staged_) fs::remove(tmp, ec);
}

std::string OutputDir::scratch(const std::string& name) {
  scratch_.push_back(fmt::format("{}/.{}.tmp-{}", dir_, name, ::getpid()));
  return scratch_.back();
}

bool OutputDir::prepare(std::string& error) {
  std::error_code ec;
  fs::create_directories(dir_, ec);
  if (ec || !fs::is_directory(dir_)) {
    error = fmt::format("cannot create output folder '{}': {}", dir_, ec.message());
    return false;
  }
  return true;
}

std::string OutputDir::stage(const std::string& name) {
  const std::string tmp = fmt::format("{}/.{}.tmp-{}", dir_, name, ::getpid());
  staged_.emplace_back(tmp, path(name));
  return tmp;
}

std::FILE* OutputDir::open(const std::string& name, std::string& error) {
  const std::string tmp = stage(name);
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) error = fmt::format("cannot write '{}'", tmp);
  return f;
}

bool OutputDir::close_file(std::FILE* f, std::string& error) {
  const bool failed = std::ferror(f) != 0;
  if (std::fclose(f) != 0 || failed) {
    error = fmt::format("writing into '{}' failed (disk full?)", dir_);
    return false;
  }
  return true;
}

bool OutputDir::write(const std::string& name, const std::string& content, std::string& error) {
  std::FILE* f = open(name, error);
  if (!f) return false;
  std::fwrite(content.data(), 1, content.size(), f);
  return close_file(f, error);
}

bool OutputDir::commit(std::string& error) {
  for (const auto& [tmp, final_path] : staged_) {
    std::error_code ec;
    fs::rename(tmp, final_path, ec);
    if (ec) {
      error = fmt::format("cannot move '{}' into place: {}", final_path, ec.message());
      return false;
    }
  }
  committed_ = true;
  return true;
}

}  // namespace slsim
