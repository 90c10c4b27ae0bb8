#include "slsim/traffic.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace slsim {

TrafficSource::TrafficSource(const TrafficConfig& config, uint32_t endpoint, Time horizon,
                             uint64_t seed, uint64_t replication, const std::string& stream_name)
    : config_(&config),
      endpoint_(endpoint),
      start_(Time::at(config.start)),
      end_(std::min(horizon, config.end == Duration::max() ? Time::max() : Time::at(config.end))),
      arrival_rng_(seed, replication, stream_name + "/arrivals"),
      payload_rng_(seed, replication, stream_name + "/payload") {}

Time TrafficSource::first_arrival() {
  switch (config_->kind) {
    case TrafficKind::kFixedInterval:
      emitted_ = 1;
      return config_->count == 0 ? Time::max() : clip(start_);
    case TrafficKind::kClosedLoop:
      // Each client starts after one think time, so clients do not fire in lockstep.
      return clip(start_ + Duration::from_seconds(config_->think_time.sample(arrival_rng_)));
    case TrafficKind::kBursts:
      on_until_ = start_ + Duration::from_seconds(config_->on_duration.sample(arrival_rng_));
      return next_burst(start_);
    default:
      return next_arrival(start_);
  }
}

Time TrafficSource::next_arrival(Time now) {
  switch (config_->kind) {
    case TrafficKind::kPoisson:
      if (config_->rate <= 0.0) return Time::max();
      return clip(now + Duration::from_seconds(exponential(config_->rate)));
    case TrafficKind::kSchedule:
      return next_scheduled(now);
    case TrafficKind::kDiurnal:
      return next_diurnal(now);
    case TrafficKind::kBursts:
      return next_burst(now);
    case TrafficKind::kFixedInterval:
      if (config_->count >= 0 && emitted_ >= config_->count) return Time::max();
      return clip(start_ + config_->interval * emitted_++);
    case TrafficKind::kClosedLoop:
      return Time::max();
  }
  return Time::max();
}

Time TrafficSource::next_after_response(Time response_at) {
  return clip(response_at + Duration::from_seconds(config_->think_time.sample(arrival_rng_)));
}

// Piecewise-constant rate: draw an exponential gap at the current rate; if it crosses the next
// step boundary, restart from the boundary (exact, by memorylessness).
Time TrafficSource::next_scheduled(Time now) {
  const auto& steps = config_->steps;
  Time t = now;
  for (int guard = 0; guard < 1000000; ++guard) {
    if (t >= end_) return Time::max();
    const Duration offset = t - start_;
    const int64_t cycle = config_->repeat.ns() > 0 ? offset / config_->repeat : 0;
    const Duration cycle_start = config_->repeat * cycle;
    const Duration in_cycle = offset - cycle_start;
    size_t i = 0;
    while (i + 1 < steps.size() && steps[i + 1].at <= in_cycle) ++i;
    Time boundary = Time::max();
    if (i + 1 < steps.size()) {
      boundary = start_ + cycle_start + steps[i + 1].at;
    } else if (config_->repeat.ns() > 0) {
      boundary = start_ + cycle_start + config_->repeat;
    }
    const double rate = steps[i].rate;
    if (rate > 0.0) {
      const Time candidate = t + Duration::from_seconds(exponential(rate));
      if (candidate < boundary) return clip(candidate);
    }
    if (boundary == Time::max()) return Time::max();
    t = boundary;
  }
  return Time::max();
}

// Non-homogeneous Poisson by thinning (Lewis & Shedler 1979) against the peak rate.
Time TrafficSource::next_diurnal(Time now) {
  const double peak = config_->mean_rate * (1.0 + config_->amplitude);
  if (peak <= 0.0) return Time::max();
  const double period = config_->period.seconds_f();
  Time t = now;
  for (;;) {
    t += Duration::from_seconds(exponential(peak));
    if (t >= end_) return Time::max();
    const double phase =
        2.0 * std::numbers::pi * ((t - Time::at(config_->peak_at)).seconds_f() / period);
    const double rate = config_->mean_rate * (1.0 + config_->amplitude * std::cos(phase));
    if (arrival_rng_.uniform_open() * peak <= rate) return t;
  }
}

// On/off bursts: Poisson at `rate` while on; a gap that runs past the on-period is discarded
// and the next on-period starts after an off-period (exact, by memorylessness).
Time TrafficSource::next_burst(Time now) {
  if (config_->rate <= 0.0) return Time::max();
  Time t = now;
  for (int guard = 0; guard < 1000000; ++guard) {
    if (t >= end_) return Time::max();
    const Time candidate = t + Duration::from_seconds(exponential(config_->rate));
    if (candidate < on_until_) return clip(candidate);
    const Time next_on =
        on_until_ + Duration::from_seconds(config_->off_duration.sample(arrival_rng_));
    on_until_ = next_on + Duration::from_seconds(config_->on_duration.sample(arrival_rng_));
    t = next_on;
  }
  return Time::max();
}

}  // namespace slsim
