#include "slsim/window_recorder.hpp"

#include <fmt/format.h>

#include <cmath>

#include "slsim/units.hpp"

namespace slsim {
namespace {

constexpr int64_t kHourNs = 3'600'000'000'000LL;
constexpr int64_t kWeekNs = 168 * kHourNs;
// 1970-01-01 00:00 UTC was a Thursday, 3 days after a Monday 00:00.
constexpr int64_t kMondayOffsetNs = 3 * 24 * kHourNs;

double quantile_or_stat(const LatencyHistogram& h, const std::string& stat) {
  if (stat == "mean") return h.mean();
  if (stat == "max") return h.max();
  if (stat == "p50") return h.quantile(0.50);
  if (stat == "p90") return h.quantile(0.90);
  if (stat == "p99") return h.quantile(0.99);
  if (stat == "p999") return h.quantile(0.999);
  return NAN;
}

}  // namespace

bool WindowSpec::parse(const std::string& text, WindowSpec& out, std::string& error) {
  if (text == "hour-of-week") {
    out.hour_of_week = true;
    return true;
  }
  const Quantity q = parse_quantity(text, UnitKind::kDuration);
  const double minutes = q.value / 60.0;
  if (!q.ok() || minutes < 1 || minutes != std::floor(minutes) || minutes > 1e7) {
    error = fmt::format(
        "--slo-window '{}': write a whole number of minutes (1h, 30min, 1d) or "
        "hour-of-week",
        text);
    return false;
  }
  out.length = Duration::minutes(static_cast<int64_t>(minutes));
  return true;
}

int64_t WindowSpec::count(Duration duration) const {
  if (hour_of_week) return 168;
  return (duration.ns() + length.ns() - 1) / length.ns();
}

WindowRecorder::WindowRecorder(WindowSpec spec, UtcTime start, Duration duration)
    : spec_(spec),
      start_offset_ns_(((start.unix_ns + kMondayOffsetNs) % kWeekNs + kWeekNs) % kWeekNs),
      windows_(static_cast<size_t>(spec.count(duration))) {}

size_t WindowRecorder::index(Time arrival) const {
  if (spec_.hour_of_week)
    return static_cast<size_t>((start_offset_ns_ + arrival.ns()) % kWeekNs / kHourNs);
  const int64_t w = arrival.ns() / spec_.length.ns();
  return static_cast<size_t>(std::min<int64_t>(w, static_cast<int64_t>(windows_.size()) - 1));
}

void WindowRecorder::request(const RequestRecord& r) {
  Window& w = windows_[index(r.arrival)];
  ++w.requests;
  w.cold += r.cold;
  w.throttled += r.outcome == Outcome::kThrottled;
  w.spilled += is_spillover(r.outcome);
  w.errors += r.outcome == Outcome::kRejectedPayload || r.outcome == Outcome::kTimedOut ||
              r.outcome == Outcome::kStartFailed;
  if (is_served(r.outcome)) {
    w.wait_seconds += r.wait.seconds_f();
    (r.cold ? w.cold_latency : w.warm).add(r.latency().seconds_f());
  }
}

double WindowRecorder::figure(size_t index, const std::string& name) const {
  const Window& w = windows_[index];
  const auto rate = [&](int64_t n) {
    return w.requests ? static_cast<double>(n) / static_cast<double>(w.requests) : NAN;
  };
  if (name == "requests") return static_cast<double>(w.requests);
  if (name == "served") return static_cast<double>(w.warm.count() + w.cold_latency.count());
  if (name == "throttle_rate") return rate(w.throttled);
  if (name == "cold_start_rate") return rate(w.cold);
  if (name == "spillover_rate") return rate(w.spilled);
  if (name == "error_rate") return rate(w.errors);
  const int64_t served = static_cast<int64_t>(w.warm.count() + w.cold_latency.count());
  if (name == "mean_wait_s") return served ? w.wait_seconds / static_cast<double>(served) : NAN;
  const size_t dot = name.find('.');
  if (dot == std::string::npos) return NAN;
  const std::string cls = name.substr(0, dot), stat = name.substr(dot + 1);
  if (cls == "latency_warm_s") return quantile_or_stat(w.warm, stat);
  if (cls == "latency_cold_s") return quantile_or_stat(w.cold_latency, stat);
  if (cls == "latency_s") {
    LatencyHistogram all = w.warm;
    all.merge(w.cold_latency);
    return quantile_or_stat(all, stat);
  }
  return NAN;
}

}  // namespace slsim
