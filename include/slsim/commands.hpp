// The subcommands behind the thin main(): each takes its parsed options and returns the process
// exit code (exit_codes.hpp: 0 success, 1 bad input or failed run, 2 usage, 128 + signal when
// interrupted). Errors go to stderr.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace slsim {

struct RunCommand {
  std::string scenario;
  std::string out;                  // empty: print only
  std::optional<uint64_t> seed;     // overrides the scenario's
  std::optional<int> replications;  // overrides the scenario's
  int threads = 0;                  // 0: hardware threads
  std::vector<std::string> sets;    // --set path=value
  bool requests = false;            // write requests.csv
  bool quiet = false;
  bool plot = false;  // draw plots + report.html (needs --out)
};
int run_command(const RunCommand& options);

int validate_command(const std::vector<std::string>& files);

struct BenchCommand {
  int64_t requests = 10000000;  // for case (a)
  int threads = 1;
};
int bench_command(const BenchCommand& options);

}  // namespace slsim
