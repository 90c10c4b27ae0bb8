#include "slsim/data_paths.hpp"

#include <cstdlib>
#include <filesystem>
#include <system_error>

#ifndef SLSIM_SOURCE_DIR
#define SLSIM_SOURCE_DIR ""
#endif
#ifndef SLSIM_BUILD_DIR
#define SLSIM_BUILD_DIR ""
#endif

namespace slsim {
namespace fs = std::filesystem;

namespace {

fs::path executable_dir() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::path() : exe.parent_path();
}

bool has_data(const fs::path& dir) {
  std::error_code ec;
  return !dir.empty() && fs::is_directory(dir / "pricing", ec);
}

}  // namespace

std::string data_dir() {
  if (const char* env = std::getenv("SLSIM_DATA_DIR"); env && *env) return env;
  const fs::path exe = executable_dir();
  if (const fs::path installed = exe / ".." / "share" / "slsim"; has_data(installed))
    return installed.lexically_normal().string();
  // A build-tree executable (or test binary) uses the sources it was built from.
  std::error_code ec;
  const fs::path build = SLSIM_BUILD_DIR;
  if (!build.empty() && fs::equivalent(exe, build, ec) && has_data(SLSIM_SOURCE_DIR))
    return SLSIM_SOURCE_DIR;
  return "";
}

std::string default_pricing_path() {
  const std::string dir = data_dir();
  return dir.empty() ? std::string() : (fs::path(dir) / "pricing" / "us-east-1.yaml").string();
}

}  // namespace slsim
