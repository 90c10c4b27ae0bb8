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
  std::string out;                      // empty: print only
  std::optional<uint64_t> seed;         // overrides the scenario's
  std::optional<int> replications;      // overrides the scenario's
  int threads = 0;                      // 0: hardware threads
  std::vector<std::string> sets;        // --set path=value
  bool requests = false;                // write requests.csv
  bool quiet = false;                   // no table, no progress line
  bool progress = false;                // progress line even when stderr is not a terminal
  bool plot = false;                    // draw plots + report.html (needs --out)
  std::string metrics_period = "1min";  // rows of metrics.csv: a multiple of 1 min
  bool skip_bad_rows = false;           // count and leave out bad trace rows instead of failing
  std::vector<std::string> slos;        // --slo: objectives checked after the run (slo.hpp)
};
int run_command(const RunCommand& options);

// Also reads every trace file to its end (row counts, every row checked).
int validate_command(const std::vector<std::string>& files, bool skip_bad_rows = false);

struct SweepCommand {
  std::string scenario;
  std::vector<std::string> grid;  // path=values
  std::vector<std::string> sets;  // --set
  std::optional<uint64_t> seed;
  std::optional<int> replications;
  int threads = 0;  // 0: all cores
  std::string out;
  bool dry_run = false;        // list the configurations and stop
  bool keep_runs = false;      // also write every configuration's full result folder
  std::string shard;           // "K/N": this part of the jobs only
  bool resume = false;         // run only the jobs --out does not have yet
  bool skip_bad_rows = false;  // count and leave out bad trace rows instead of failing

  bool quiet = false;
  bool progress = false;
};
int sweep_command(const SweepCommand& options);

struct SweepSpec;
struct Configuration;
// Builds a sweep's specification from the options and loads its configurations. Returns the
// exit status: kExitOk, kExitUsage (a --grid is malformed or conflicts with --set, -r or
// another --grid) or kExitInputError (the scenario is wrong), with the problem printed.
int prepare_sweep(const SweepCommand& options, SweepSpec& spec,
                  std::vector<Configuration>& configs);
struct JobsOutcome;
// Prints, when jobs left out bad trace rows, how many and the first ("COMMAND: skipped …").
void report_skipped_rows(const char* command, const JobsOutcome& outcome);

struct PlanCommand {
  SweepCommand sweep;                  // scenario, --grid, --set, --seed, -r, -j, --out, quiet
  std::vector<std::string> slos;       // --slo
  std::string window;                  // --slo-window: 1h, 1d, hour-of-week; "" for none
  std::vector<std::string> real_time;  // --real-time TYPE[:LOW..HIGH]; empty: every type, 1..4
  bool plot = false;
};
int plan_command(const PlanCommand& options);

// slsim merge PART... --out DIR: the parts of a sharded sweep into what the unsharded sweep
// writes.
int merge_command(const std::vector<std::string>& parts, const std::string& out);

struct BenchCommand {
  int64_t requests = 10000000;  // for case (a)
  int repeats = 3;              // runs of each case; the median is reported
  std::string reference;        // the bare model of ../shared/perf, built: run it alongside (a)
  std::string cases = "all";    // "a", "b", "c", "d", "e" or "all"
};
int bench_command(const BenchCommand& options);

// Replaces this process by the helper program `name` (data_paths.hpp, helper_program) with
// `args`, so its exit status and output are the command's. Returns 1 with a message saying what
// to build or install when the helper is missing or cannot be started.
int exec_helper(const std::string& name, const std::vector<std::string>& args);

}  // namespace slsim
