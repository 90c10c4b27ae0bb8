// The bad-input battery's harness (bad_value_test.cpp, bad_file_test.cpp): a base scenario,
// running the real slsim on a case, and the checks every case shares.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace slsim::bad_input {

namespace fs = std::filesystem;

inline const std::string kSlsim = SLSIM_BINARY;

// A valid scenario that each case changes in one place (line numbers in comments).
inline const std::string kBase =
    "name: t\n"                              // 1
    "duration: 10min\n"                      // 2
    "platform:\n"                            // 3
    "  idle_timeout: 5min\n"                 // 4
    "models:\n"                              // 5
    "  m:\n"                                 // 6
    "    image_size: 1GB\n"                  // 7
    "endpoints:\n"                           // 8
    "  - name: a\n"                          // 9
    "    memory: 2048MB\n"                   // 10
    "    max_concurrency: 2\n"               // 11
    "    model: m\n"                         // 12
    "    traffic:\n"                         // 13
    "      - {type: poisson, rate: 1/s}\n";  // 14

// `s` (default: kBase) with the first `from` replaced by `to`.
inline std::string with(std::string s, const std::string& from, const std::string& to) {
  const size_t at = s.find(from);
  REQUIRE(at != std::string::npos);
  return s.replace(at, from.size(), to);
}
inline std::string with(const std::string& from, const std::string& to) {
  return with(kBase, from, to);
}

inline const std::string kPoisson = "{type: poisson, rate: 1/s}";

struct Case {
  std::string name;
  std::string scenario;           // written to s.yaml
  std::vector<std::string> args;  // after `run s.yaml -q --out out`
  std::string expect;             // a line of stderr starts with "s.yaml:" + expect, or contains it
  int status = 1;
};

struct Outcome {
  int status = -1;
  std::string err;
};

// Runs slsim in `dir` (the scenario is s.yaml there); stderr is captured.
inline Outcome run_in(const fs::path& dir, const std::string& args) {
  const std::string command =
      "cd '" + dir.string() + "' && " + kSlsim + " " + args + " >/dev/null 2>err.txt";
  const int status = std::system(command.c_str());
  std::ifstream in(dir / "err.txt");
  std::stringstream ss;
  ss << in.rdbuf();
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, ss.str()};
}

inline std::string quote(const std::string& s) { return "'" + s + "'"; }

inline fs::path case_dir(const std::string& name) {
  static int counter = 0;
  const fs::path d = fs::temp_directory_path() /
                     ("slsim-bad-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  fs::remove_all(d);
  fs::create_directories(d);
  (void)name;
  return d;
}

inline void check(const Case& c, const fs::path& dir) {
  std::string args = "run s.yaml -q --out out";
  for (const auto& a : c.args) args += " " + quote(a);
  const Outcome o = run_in(dir, args);
  INFO("case: " << c.name << "\nstderr:\n" << o.err);
  CHECK(o.status == c.status);
  CHECK_THAT(o.err, Catch::Contains(c.expect));
  CHECK_FALSE(fs::exists(dir / "out"));
  // No working folder or temporary of any kind is left beside it.
  for (const auto& e : fs::directory_iterator(dir))
    CHECK_THAT(e.path().filename().string(), !Catch::Contains("slsim-"));
}

inline std::string laughs() {
  std::string s = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  const std::string names = "abcdefghi";
  for (size_t i = 1; i < names.size(); ++i) {
    s += std::string(1, names[i]) + ": &" + names[i] + " [";
    for (int k = 0; k < 10; ++k) s += std::string(k ? ", *" : "*") + names[i - 1];
    s += "]\n";
  }
  return s + kBase;
}

}  // namespace slsim::bad_input
