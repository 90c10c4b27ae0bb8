#include "slsim/traffic_estimate.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "slsim/limits.hpp"

namespace slsim {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

// Expected arrivals of a piecewise-constant rate over the first `x` seconds of one cycle.
double schedule_integral(const std::vector<RateStep>& steps, double x) {
  double total = 0.0;
  for (size_t i = 0; i < steps.size(); ++i) {
    const double from = steps[i].at.seconds_f();
    if (from >= x) break;
    const double to = i + 1 < steps.size() ? std::min(steps[i + 1].at.seconds_f(), x) : x;
    total += steps[i].rate * (to - from);
  }
  return total;
}

}  // namespace

TrafficEstimate expected_arrivals(const TrafficConfig& t, Duration horizon,
                                  double min_response_seconds) {
  TrafficEstimate e;
  const Duration stop = std::min(horizon, t.end);
  if (t.start >= stop) return e;
  const double window = (stop - t.start).seconds_f();
  switch (t.kind) {
    case TrafficKind::kPoisson:
      e.arrivals = t.rate * window;
      break;
    case TrafficKind::kSchedule: {
      if (t.steps.empty()) break;
      const double repeat = t.repeat.seconds_f();
      if (repeat <= 0.0) {
        e.arrivals = schedule_integral(t.steps, window);
        e.steps = static_cast<double>(t.steps.size());
      } else {
        const double cycles = std::floor(window / repeat);
        e.arrivals = cycles * schedule_integral(t.steps, repeat) +
                     schedule_integral(t.steps, window - cycles * repeat);
        e.steps = (cycles + 1) * static_cast<double>(t.steps.size());
      }
      break;
    }
    case TrafficKind::kDiurnal:
      // Thinning draws candidates at the peak rate and keeps the mean rate's share.
      e.arrivals = t.mean_rate * window;
      e.steps = t.mean_rate * t.amplitude * window;
      break;
    case TrafficKind::kBursts: {
      const double on = t.on_duration.mean(), off = t.off_duration.mean();
      if (on + off <= 0.0) {
        e.steps = t.rate > 0.0 ? kInfinity : 0.0;
        break;
      }
      e.arrivals = t.rate * window * on / (on + off);
      e.steps = window / (on + off);
      break;
    }
    case TrafficKind::kFixedInterval: {
      const double interval = t.interval.seconds_f();
      double n = interval > 0.0 ? std::floor(window / interval) + 1 : kInfinity;
      if (t.count >= 0) n = std::min(n, static_cast<double>(t.count));
      e.arrivals = n;
      break;
    }
    case TrafficKind::kClosedLoop: {
      const double cycle = t.think_time.mean() + std::max(min_response_seconds, 0.0);
      e.arrivals = t.clients * window / std::max(cycle, 1e-9);  // at most one per ns
      break;
    }
  }
  return e;
}

double expected_work(const Scenario& s) {
  double per_replication = 0.0;
  const double overhead = s.platform.overhead.mean();
  for (const EndpointConfig& ep : s.endpoints)
    for (const TrafficConfig& t : ep.traffic)
      per_replication += expected_arrivals(t, s.duration, overhead).work();
  return per_replication * std::max(s.replications, 1);
}

std::string workload_problem(const Scenario& s) {
  const double work = expected_work(s);
  if (work <= kMaxEstimatedRequests) return "";
  if (!std::isfinite(work))
    return "a traffic profile would loop without advancing time (bursts whose 'on' and 'off' "
           "periods are both 0?); give it periods longer than 0";
  return fmt::format(
      "this run would simulate about {:.3g} requests ({} replication{} of {:.3g}), more than "
      "slsim's limit of {:.0e} (about 7 hours at 4 M requests/s); shorten 'duration', lower "
      "the rates, lengthen intervals or use fewer replications",
      work, s.replications, s.replications == 1 ? "" : "s", work / s.replications,
      kMaxEstimatedRequests);
}

}  // namespace slsim
