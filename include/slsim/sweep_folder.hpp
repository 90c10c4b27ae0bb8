// A sweep folder: what `slsim sweep` and `slsim merge` write into --out, and what
// `slsim sweep --resume` and `slsim merge` read back and check. It holds
//   manifest.txt  what was asked: the scenario and the files it reads with their hashes, --set,
//                 grid, replications, windows, version and, last, the shard;
//   jobs.txt      one line per finished job, appended as jobs finish and sorted when the run
//                 completes: the unit of resuming and merging;
//   sweep.csv     the configurations' aggregated figures (sweep_csv, sweep.hpp);
//   runs/         with --keep-runs, every configuration's result folder;
// and nothing else but the temporaries of write_atomically that a kill left. manifest.txt,
// jobs.txt and sweep.csv are written whole through write_atomically; jobs.txt is then appended
// to while jobs run, and read_jobs ignores a last line a kill cut off.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "slsim/sweep.hpp"

namespace slsim {

// manifest.txt: what was asked, and the FNV-1a 64 hash of the scenario file and of every file
// its valid configurations read (pricing, traces, calibrations), so that a resume or merge
// notices a changed input. The same sweep of the same bytes gives the same text.
std::string manifest_text(const SweepSpec& spec, const std::vector<Configuration>& configs,
                          int64_t jobs, const std::string& shard);

// A manifest.txt read back: what merge rebuilds the sweep from.
struct Manifest {
  std::string scenario;
  std::vector<std::string> sets;
  std::vector<std::string> grid;  // as --grid takes them
  int replications = 1;
  int shard = 0, shards = 0;  // a --shard part K/N; 0/0: the whole sweep
};
// Parses manifest.txt's `text`; false with `error` ("PATH:LINE: what is wrong") when a line is
// not one slsim sweep writes.
bool parse_manifest(const std::string& text, const std::string& path, Manifest& out,
                    std::string& error);
// A file a manifest records (the scenario, pricing, a trace, a calibration) that is not as the
// sweep read it.
struct ChangedInput {
  std::string path;
  std::string unreadable;  // why it cannot be read; "" when it can and its bytes changed
};
// The first file recorded in `manifest` that cannot be read or whose FNV-1a 64 hash differs.
std::optional<ChangedInput> changed_input(const std::string& manifest);
// Where manifest `recorded` differs from manifest `now`, as a clause naming the first line that
// differs ("line 8 is 'replications=2' in RECORDED_NAME and 'replications=3' in NOW_NAME");
// "" when they are equal.
std::string manifest_change(const std::string& recorded, const std::string& recorded_name,
                            const std::string& now, const std::string& now_name);
// Parses --shard's "K/N" (1 <= K <= N, no signs or leading zeros).
bool parse_shard(const std::string& text, int& shard, int& shards);
// `manifest` without its shard line (its last): what the parts of one sweep share.
std::string without_shard(const std::string& manifest);
// `changed` as a clause: "PATH changed since the sweep ran (its bytes differ)" or "PATH, which
// cannot be read (WHY)".
std::string describe(const ChangedInput& changed);

// One jobs.txt line: "job CONFIG REPLICATION N" and the N figure values, then "M" and the M
// window values, each in the shortest form that reads back exactly, and "\n". Endpoint values
// are not written (plan keeps no folder).
std::string job_line(const JobValues& job);
// Parses jobs.txt and checks every line against the sweep: a job of `jobs` (job_list of
// `configs`: the whole sweep's or a shard's), at most once, with as many figure values as its
// configuration's figure_names() and window values only when `spec` has window figures. A
// malformed last line (a run killed mid-write) is ignored. Returns false with `error`
// ("PATH:LINE: what is wrong") otherwise.
bool read_jobs(const std::string& path, const SweepSpec& spec,
               const std::vector<Configuration>& configs,
               const std::vector<std::pair<int64_t, int>>& jobs, std::vector<JobValues>& out,
               std::string& error);

// Sorts `jobs` by (configuration, replication): the order of a completed jobs.txt, and what
// aggregate() requires.
void sort_jobs(std::vector<JobValues>& jobs);
// jobs.txt's text: job_line() of every job of `jobs`, in their order.
std::string jobs_text(const std::vector<JobValues>& jobs);

// The bytes of file `p`; "" when it cannot be read.
std::string read_text(const std::filesystem::path& p);
// Writes `text` to `path` through a temporary ("PATH.tmp-PID") and a rename: a reader never sees
// half a file. False with `error` when it cannot write or rename.
bool write_atomically(const std::filesystem::path& path, const std::string& text,
                      std::string& error);
// Checks that `out` is missing or a folder holding only what slsim sweep writes there (see the
// top of this file); prints the problem to stderr after `command` ("slsim merge: …") and returns
// false otherwise.
bool check_sweep_out(const char* command, const std::string& out);

}  // namespace slsim
