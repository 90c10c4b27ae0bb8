// Files for tests that run slsim end to end: a whole file's bytes, and scratch paths under the
// temporary folder that are unique to this process (ctest runs each test case in its own).
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>

namespace slsim::testing {

// The bytes of `p` ("" when it cannot be read).
inline std::string read(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// `<tmp>/slsim-test-<pid>-<name>`, removed with everything below it if present: a path slsim
// itself creates (an --out folder).
inline std::filesystem::path fresh_path(const std::string& name) {
  const std::filesystem::path p = std::filesystem::temp_directory_path() /
                                  ("slsim-test-" + std::to_string(::getpid()) + "-" + name);
  std::filesystem::remove_all(p);
  return p;
}

// Runs `command` in the shell with its output discarded; its exit status (-1 if it did not exit).
inline int sh(const std::string& command) {
  const int status = std::system((command + " >/dev/null 2>&1").c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Runs `command` in the shell; its exit status (-1 if it did not exit) and its stdout and
// stderr together.
inline std::pair<int, std::string> sh_output(const std::string& command) {
  std::string out;
  std::FILE* p = ::popen((command + " 2>&1").c_str(), "r");
  if (!p) return {-1, out};
  char buffer[4096];
  for (size_t n; (n = std::fread(buffer, 1, sizeof buffer, p)) > 0;) out.append(buffer, n);
  const int status = ::pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

// fresh_path(name), created empty.
inline std::filesystem::path fresh_dir(const std::string& name) {
  const std::filesystem::path d = fresh_path(name);
  std::filesystem::create_directories(d);
  return d;
}

}  // namespace slsim::testing
