// A progress line on stderr while replications run (simulated time reached, requests/s, ETA),
// redrawn in place about once a second. Only the caller decides whether to show it (a terminal,
// --progress, --quiet); nothing here writes to stdout or to the results.
#pragma once

#include <atomic>
#include <thread>

#include "slsim/replication.hpp"

namespace slsim {

class ProgressLine {
 public:
  // REQUIRES: `progress` outlives this object; it was made for `threads` workers.
  ProgressLine(const RunProgress& progress, int threads, int replications, double horizon_seconds);
  ~ProgressLine();  // stops the line and clears it
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

 private:
  void loop();
  const RunProgress& progress_;
  int threads_;
  int replications_;
  double horizon_seconds_;
  std::atomic<bool> done_{false};
  std::thread thread_;
};

}  // namespace slsim
