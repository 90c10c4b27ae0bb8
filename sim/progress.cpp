#include "slsim/progress.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "slsim/units.hpp"

namespace slsim {

ProgressLine::ProgressLine(const RunProgress& progress, int threads, int replications,
                           double horizon_seconds)
    : progress_(progress),
      threads_(threads),
      replications_(replications),
      horizon_seconds_(horizon_seconds),
      thread_([this] { loop(); }) {}

ProgressLine::~ProgressLine() {
  done_ = true;
  thread_.join();
}

void ProgressLine::loop() {
  using clock = std::chrono::steady_clock;
  const auto started = clock::now();
  bool drawn = false;
  while (!done_) {
    for (int i = 0; i < 10 && !done_; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    if (done_) break;
    // Fraction done: finished replications plus the running ones' simulated time.
    double running = 0.0;
    for (int t = 0; t < threads_; ++t)
      running += std::min(
          1.0, static_cast<double>(progress_.simulated_ns[t].load()) * 1e-9 / horizon_seconds_);
    const int done = progress_.done.load();
    const double fraction = std::min(1.0, (done + running) / replications_);
    const double elapsed = std::chrono::duration<double>(clock::now() - started).count();
    const std::string eta =
        fraction > 0.0 ? format_seconds(elapsed * (1.0 - fraction) / fraction) : "?";
    std::string line =
        fmt::format("simulated {:.1f}% ({} of {} replication{} done)", 100 * fraction, done,
                    replications_, replications_ == 1 ? "" : "s");
    if (done > 0)
      line += fmt::format(", {:.2f} M requests/s",
                          static_cast<double>(progress_.requests.load()) / elapsed / 1e6);
    line += ", ETA " + eta;
    fmt::print(stderr, "\r{:<78}", line);
    std::fflush(stderr);
    drawn = true;
  }
  if (drawn) fmt::print(stderr, "\r{:<78}\r", "");
}

}  // namespace slsim
