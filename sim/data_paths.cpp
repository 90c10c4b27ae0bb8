#include "slsim/data_paths.hpp"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <system_error>

// Set by CMakeLists.txt: the install layout relative to the bin folder, and the tree this
// executable was built in and from.
#ifndef SLSIM_INSTALL_DATA_FROM_BIN
#define SLSIM_INSTALL_DATA_FROM_BIN "../share/slsim"
#endif
#ifndef SLSIM_INSTALL_HELPERS_FROM_BIN
#define SLSIM_INSTALL_HELPERS_FROM_BIN "../libexec/slsim"
#endif
#ifndef SLSIM_SOURCE_DIR
#define SLSIM_SOURCE_DIR ""
#endif
#ifndef SLSIM_BUILD_DIR
#define SLSIM_BUILD_DIR ""
#endif

namespace slsim {
namespace fs = std::filesystem;

namespace {

bool has_data(const fs::path& dir) {
  std::error_code ec;
  return !dir.empty() && fs::is_directory(dir / "pricing", ec);
}

bool is_executable(const fs::path& file) {
  std::error_code ec;
  return fs::is_regular_file(file, ec) && ::access(file.c_str(), X_OK) == 0;
}

}  // namespace

std::string executable_dir() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string() : exe.parent_path().string();
}

std::string data_dir() {
  const fs::path exe = executable_dir();
  if (!exe.empty()) {
    if (const fs::path installed = exe / SLSIM_INSTALL_DATA_FROM_BIN; has_data(installed))
      return installed.lexically_normal().string();
    // A build-tree executable (or the test binary) uses the sources it was built from.
    std::error_code ec;
    const fs::path build = SLSIM_BUILD_DIR;
    if (!build.empty() && fs::equivalent(exe, build, ec) && has_data(SLSIM_SOURCE_DIR))
      return SLSIM_SOURCE_DIR;
  }
  if (const char* env = std::getenv("SLSIM_DATA_DIR"); env && *env && has_data(env)) return env;
  return "";
}

std::string default_pricing_path() {
  const std::string dir = data_dir();
  return dir.empty() ? std::string() : (fs::path(dir) / "pricing" / "us-east-1.yaml").string();
}

std::string helper_program(const std::string& name) {
  const fs::path exe = executable_dir();
  if (exe.empty()) return "";
  for (const fs::path& candidate :
       {exe / name, (exe / SLSIM_INSTALL_HELPERS_FROM_BIN / name).lexically_normal()})
    if (is_executable(candidate)) return candidate.string();
  return "";
}

}  // namespace slsim
