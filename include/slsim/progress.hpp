// A progress line on stderr while a long command runs, redrawn in place about once a second and
// cleared at the end. Only the caller decides whether to show it (a terminal, --progress,
// --quiet); nothing here writes to stdout or to the results.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <thread>

#include "slsim/replication.hpp"

namespace slsim {

class StatusLine {
 public:
  // `status(elapsed seconds)` gives the text; it is called from the line's own thread.
  explicit StatusLine(std::function<std::string(double)> status);
  ~StatusLine();  // stops the line and clears it
  StatusLine(const StatusLine&) = delete;
  StatusLine& operator=(const StatusLine&) = delete;

 private:
  void loop();
  std::function<std::string(double)> status_;
  std::atomic<bool> done_{false};
  std::thread thread_;
};

// "ETA 1.2min" from the fraction done and the time it took.
std::string eta(double fraction, double elapsed_seconds);

// `slsim run`: simulated time reached over all replications, requests/s, ETA.
class ProgressLine {
 public:
  // REQUIRES: `progress` outlives this object; it was made for `threads` workers.
  ProgressLine(const RunProgress& progress, int threads, int replications, double horizon_seconds);

 private:
  StatusLine line_;
};

}  // namespace slsim
