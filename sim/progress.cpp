#include "slsim/progress.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

#include "slsim/units.hpp"

namespace slsim {

StatusLine::StatusLine(std::function<std::string(double)> status)
    : status_(std::move(status)), thread_([this] { loop(); }) {}

StatusLine::~StatusLine() {
  done_ = true;
  thread_.join();
}

void StatusLine::loop() {
  using clock = std::chrono::steady_clock;
  const auto started = clock::now();
  bool drawn = false;
  while (!done_) {
    for (int i = 0; i < 10 && !done_; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    if (done_) break;
    const double elapsed = std::chrono::duration<double>(clock::now() - started).count();
    fmt::print(stderr, "\r{:<78}", status_(elapsed));
    std::fflush(stderr);
    drawn = true;
  }
  if (drawn) fmt::print(stderr, "\r{:<78}\r", "");
}

std::string eta(double fraction, double elapsed) {
  if (!(fraction > 0.0)) return "ETA ?";
  // Whole seconds: a countdown in milliseconds is noise.
  return "ETA " + format_seconds(std::ceil(elapsed * (1.0 - fraction) / fraction));
}

ProgressLine::ProgressLine(const RunProgress& progress, int threads, int replications,
                           double horizon_seconds)
    : line_([&progress, threads, replications, horizon_seconds](double elapsed) {
        // Fraction done: finished replications plus the running ones' simulated time.
        double running = 0.0;
        for (int t = 0; t < threads; ++t)
          running += std::min(
              1.0, static_cast<double>(progress.simulated_ns[t].load()) * 1e-9 / horizon_seconds);
        const int done = progress.done.load();
        const double fraction = std::min(1.0, (done + running) / replications);
        std::string line =
            fmt::format("simulated {:.1f}% ({} of {} replication{} done)", 100 * fraction, done,
                        replications, replications == 1 ? "" : "s");
        if (done > 0)
          line += fmt::format(", {:.2f} M requests/s",
                              static_cast<double>(progress.requests.load()) / elapsed / 1e6);
        return line + ", " + eta(fraction, elapsed);
      }) {}

}  // namespace slsim
