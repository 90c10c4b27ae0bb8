// Running many configurations of one scenario: `slsim sweep` and `slsim plan`. A job is one
// replication of one configuration; replication k of every configuration uses the random
// streams of (seed, k), so every configuration sees the same requests (common random numbers)
// and their differences are not noise. Jobs run on all threads in any order; each leaves its
// figure values (JobValues), and everything written is aggregated from those in (configuration,
// replication) order, so the output is the same for any thread count, shard split or resume.
//
// The files a sweep keeps in its --out folder, which resuming and merging read back (manifest.txt,
// jobs.txt), are sweep_folder.hpp's.
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

}  // namespace slsim
