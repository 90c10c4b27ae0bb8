// Running many configurations of one scenario: `slsim sweep` and `slsim plan`. A job is one
// replication of one configuration; replication k of every configuration uses the random
// streams of (seed, k), so every configuration sees the same requests (common random numbers)
// and their differences are not noise. Jobs run on all threads in any order; each leaves its
// figure values (JobValues), and everything written is aggregated from those in (configuration,
// replication) order, so the output is the same for any thread count, shard split or resume.
//
// A sweep folder holds manifest.txt (what was asked: scenario and the files it reads with their
// hashes, --set, grid, replications, windows, version, shard), jobs.txt (one line per finished
// job, appended as jobs finish and sorted when the run completes; the unit of resuming and
// merging) and sweep.csv.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "slsim/grid.hpp"
#include "slsim/report.hpp"
#include "slsim/scenario.hpp"
#include "slsim/window_recorder.hpp"

namespace slsim {

struct SweepSpec {
  std::string scenario;           // the scenario file
  std::vector<std::string> sets;  // --set overrides applied to every configuration (and seed)
  std::vector<GridAxis> axes;     // --grid
  int replications = 1;           // per configuration
  std::optional<WindowSpec> windows;
  std::vector<std::string> window_figures;  // figures evaluated per window (plan's objectives)
  // Figures evaluated per endpoint (plan's objectives, on scenarios of several endpoints).
  std::vector<std::string> endpoint_figures;
};

struct Configuration {
  int64_t index = 0;
  std::vector<std::string> values;   // per grid axis
  std::string label;                 // how to name it without a grid (plan's real-time ones)
  std::optional<Scenario> scenario;  // loaded; empty when invalid
  std::string error;                 // why it is invalid
};

struct JobValues {
  int64_t config = 0;
  int replication = 0;
  std::vector<double> figures;    // total_figures() values, in figure_names() order
  std::vector<double> windows;    // window-major: [window × window_figures]
  std::vector<double> endpoints;  // endpoint-major: [endpoint × endpoint_figures]
};

// Loads every configuration of the grid (an invalid one keeps its loader errors).
std::vector<Configuration> load_configurations(const SweepSpec& spec);
// The figure names of total_figures() for `scenario`.
std::vector<std::string> figure_names(const Scenario& scenario);

// The jobs to run, in order: (configuration, replication) of every valid configuration; a shard
// K of N keeps every N-th starting at K − 1.
std::vector<std::pair<int64_t, int>> job_list(const std::vector<Configuration>& configs,
                                              int replications, int shard = 1, int shards = 1);

// How run_jobs ended.
struct JobsOutcome {
  bool interrupted = false;  // *stop became true
  // A job met a trace row it cannot replay (file:line:column and the fix); no job starts after
  // it, and the caller reports it instead of figures from a truncated trace.
  std::string input_error;
  int64_t skipped_rows = 0;   // with skip_bad_rows: the most rows one job left out
  std::string first_skipped;  // the first of them, as an error message
  bool ok() const { return !interrupted && input_error.empty(); }
};

// Runs `jobs` on `threads` threads; `done` is called once per finished job (serialised, any
// order). Stops early when `*stop` becomes true or a job has an input error.
[[nodiscard]] JobsOutcome run_jobs(const SweepSpec& spec, const std::vector<Configuration>& configs,
                                   const std::vector<std::pair<int64_t, int>>& jobs, int threads,
                                   const std::function<void(JobValues&&)>& done,
                                   const std::atomic<bool>* stop);

// One configuration's figures over its replications, and per window and endpoint for plan.
struct ConfigSummary {
  std::vector<Figure> figures;                 // in figure_names() order
  std::vector<std::vector<Figure>> windows;    // [window][window figure]
  std::vector<std::vector<Figure>> endpoints;  // [endpoint][endpoint figure]
  const Figure* find(const std::string& name) const;
};
// REQUIRES: `jobs` sorted by (config, replication), all from one configuration set.
std::vector<ConfigSummary> aggregate(const SweepSpec& spec,
                                     const std::vector<Configuration>& configs,
                                     const std::vector<std::string>& names,
                                     const std::vector<JobValues>& jobs);

// sweep.csv: one row per configuration: its grid values, validity, then each figure's mean,
// 95 % CI half-width and n. `extra` columns (plan's verdicts) may follow.
// `extra_header` / `extra` add columns (one vector of cells per configuration).
std::string sweep_csv(const SweepSpec& spec, const std::vector<Configuration>& configs,
                      const std::vector<ConfigSummary>& summaries,
                      const std::vector<std::string>& extra_header = {},
                      const std::vector<std::vector<std::string>>& extra = {});

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

}  // namespace slsim
