// Independent replications of one scenario, on threads. Replication k always uses the random
// streams of (seed, k) and results are kept in replication order, so every output is the same
// whatever the thread count.
#pragma once

#include <atomic>
#include <string>
#include <vector>

#include "slsim/scenario.hpp"
#include "slsim/simulation.hpp"

namespace slsim {

struct RunOptions {
  int threads = 1;                // Default: 1. More than `replications` are not used.
  std::string requests_csv_stem;  // non-empty: replication k writes `<stem>.<k>` (requests rows)
  std::string metrics_csv_stem;   // non-empty: replication k writes `<stem>.<k>` (metrics rows)
  // HARDENING (issue 8): when set and it turns true (SIGINT/SIGTERM, interrupt.hpp), the
  // replications stop within a few thousand events and run_replications() returns false.
  const std::atomic<bool>* stop = nullptr;
};

// Runs scenario.replications replications. Returns them in order. Fails (returns false with
// `error`) only if a streamed output file cannot be written or `options.stop` turned true.
bool run_replications(const Scenario& scenario, const RunOptions& options,
                      std::vector<ReplicationResult>& results, std::string& error);

}  // namespace slsim
