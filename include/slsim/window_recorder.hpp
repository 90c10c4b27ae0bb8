// Per-window figures of one replication, for objectives that must hold in every window
// (`plan --slo-window 1h`): an overall p99 of 0.44 s can hide a 17 s p99 at night. A window is
// a fixed period of simulated time from the start (`1h`, `1d`), or an hour of the week
// (`hour-of-week`: 168 windows, Monday 00:00 UTC first, pooling every week).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "slsim/calendar.hpp"
#include "slsim/latency_histogram.hpp"
#include "slsim/records.hpp"

namespace slsim {

struct WindowSpec {
  bool hour_of_week = false;
  Duration length = Duration::hours(1);  // unless hour_of_week
  // Parses `1h`, `30min`, `1d` (a whole number of minutes) or `hour-of-week`.
  static bool parse(const std::string& text, WindowSpec& out, std::string& error);
  // The number of windows in a scenario of `duration`.
  int64_t count(Duration duration) const;
};

class WindowRecorder {
 public:
  WindowRecorder(WindowSpec spec, UtcTime start, Duration duration);
  void request(const RequestRecord& r);

  struct Window {
    int64_t requests = 0, cold = 0, throttled = 0, spilled = 0, errors = 0;
    double wait_seconds = 0.0;
    LatencyHistogram warm, cold_latency;
  };
  const std::vector<Window>& windows() const { return windows_; }
  // The value of summary figure `name` (latency_s.p99, throttle_rate, ...) in window `w`; NaN
  // when it is undefined there (no requests, no served request of that class).
  double figure(size_t w, const std::string& name) const;

 private:
  size_t index(Time arrival) const;
  WindowSpec spec_;
  int64_t start_offset_ns_;  // hour-of-week: the start's offset from Monday 00:00 UTC
  std::vector<Window> windows_;
};

}  // namespace slsim
