// Independent replications of one scenario, on threads. Replication k always uses the random
// streams of (seed, k), and results are handed over in replication order, so every output is the
// same whatever the thread count. Memory does not grow with the number of replications: each
// result is consumed as soon as those before it are, and workers wait rather than run far ahead.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "slsim/scenario.hpp"
#include "slsim/simulation.hpp"

namespace slsim {

// What a watcher can read while replications run (all relaxed atomics).
struct RunProgress {
  explicit RunProgress(int threads)
      : simulated_ns(std::make_unique<std::atomic<int64_t>[]>(static_cast<size_t>(threads))) {}
  std::atomic<int> done{0};          // replications finished
  std::atomic<int64_t> requests{0};  // requests settled in finished replications
  std::unique_ptr<std::atomic<int64_t>[]> simulated_ns;  // per worker: its replication's clock
};

struct RunOptions {
  int threads = 1;                // Default: 1. More than `replications` are not used.
  std::string requests_csv_stem;  // non-empty: replication k writes `<stem>.<k>` (requests rows)
  std::string metrics_csv_stem;   // non-empty: replication k writes `<stem>.<k>` (metrics rows)
  std::string scaling_csv_stem;   // non-empty: replication k writes `<stem>.<k>` (scaling rows)
  int64_t metrics_period_minutes = 1;       // rows of metrics.csv span this many minutes
  const std::atomic<bool>* stop = nullptr;  // set it to stop early (e.g. on SIGINT)
  RunProgress* progress = nullptr;          // REQUIRES: made for at least `threads` threads
};

// Called once per replication, in order 0, 1, ..., from whichever worker finished the last one
// needed; never concurrently.
using ResultConsumer = std::function<void(int replication, ReplicationResult&& result)>;

// Runs scenario.replications replications. Returns false with `error` if a streamed output file
// cannot be written or the run was stopped (then not every replication was consumed).
bool run_replications(const Scenario& scenario, const RunOptions& options,
                      const ResultConsumer& consume, std::string& error);

}  // namespace slsim
