#include "slsim/traffic.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace slsim {

TrafficGenerator::TrafficGenerator(const TrafficConfig& config, uint32_t endpoint, Time horizon,
                                   uint64_t seed, uint64_t replication,
                                   const std::string& stream_base,
                                   const RequestDistributions& distributions)
    : config_(&config),
      endpoint_(endpoint),
      start_(Time::at(config.start)),
      end_(std::min(horizon, config.end == Duration::max() ? Time::max() : Time::at(config.end))),
      arrival_rng_(seed, replication, stream_base + "/arrivals"),
      draws_(seed, replication, stream_base),
      distributions_(distributions) {
  switch (config.kind) {
    case TrafficKind::kPoisson:
      any_traffic_ = config.rate > 0.0;
      break;
    case TrafficKind::kSchedule:
      any_traffic_ = std::any_of(config.steps.begin(), config.steps.end(),
                                 [](const RateStep& s) { return s.rate > 0.0; });
      break;
    case TrafficKind::kDiurnal:
      any_traffic_ = config.mean_rate * (1.0 + config.amplitude) > 0.0;
      break;
    case TrafficKind::kBursts:
      // With a mean on-period of 0 no burst ever has room for an arrival (and on/off cycles of
      // length 0 would not advance time).
      any_traffic_ = config.rate > 0.0 && config.on_duration.mean() > 0.0;
      break;
    case TrafficKind::kFixedInterval:
      any_traffic_ = config.count != 0 && config.interval.ns() > 0;
      break;
    case TrafficKind::kClosedLoop:
      any_traffic_ = config.clients > 0;
      break;
  }
}

void TrafficGenerator::schedule(Engine& engine, Time at, uint32_t self) {
  if (at != Time::max()) engine.schedule(at, EventKind::kArrival, self);
}

void TrafficGenerator::start(Engine& engine, uint32_t self) {
  if (!any_traffic_) return;
  const int starts = config_->kind == TrafficKind::kClosedLoop ? config_->clients : 1;
  for (int k = 0; k < starts; ++k) schedule(engine, first_arrival(), self);
}

Request TrafficGenerator::arrive(Engine& engine, uint32_t self) {
  const Time now = engine.now();
  // The next arrival is drawn before this request's own quantities: each has its own stream,
  // so the order does not matter, but it is fixed.
  if (config_->kind != TrafficKind::kClosedLoop) schedule(engine, next_arrival(now), self);
  return draws_.draw(now, self, endpoint_, config_->payload, distributions_);
}

void TrafficGenerator::on_response(Time at, Engine& engine, uint32_t self) {
  if (config_->kind != TrafficKind::kClosedLoop) return;
  schedule(engine, clip(after(at, config_->think_time.sample(arrival_rng_))), self);
}

Time TrafficGenerator::first_arrival() {
  switch (config_->kind) {
    case TrafficKind::kFixedInterval:
      emitted_ = 1;
      return clip(start_);
    case TrafficKind::kClosedLoop:
      // Each client starts after one think time, so clients do not fire in lockstep.
      return clip(after(start_, config_->think_time.sample(arrival_rng_)));
    case TrafficKind::kBursts:
      on_until_ = after(start_, config_->on_duration.sample(arrival_rng_));
      return next_burst(start_);
    default:
      return next_arrival(start_);
  }
}

Time TrafficGenerator::next_arrival(Time now) {
  switch (config_->kind) {
    case TrafficKind::kPoisson:
      return clip(after(now, exponential(config_->rate)));
    case TrafficKind::kSchedule:
      return next_scheduled(now);
    case TrafficKind::kDiurnal:
      return next_diurnal(now);
    case TrafficKind::kBursts:
      return next_burst(now);
    case TrafficKind::kFixedInterval: {
      if (config_->count >= 0 && emitted_ >= config_->count) return Time::max();
      // start + interval × k, without overflowing for k past the end of the clock.
      const int64_t k = emitted_++;
      const int64_t room = Time::max().ns() - start_.ns();
      if (k > room / config_->interval.ns()) return Time::max();
      return clip(start_ + config_->interval * k);
    }
    case TrafficKind::kClosedLoop:
      return Time::max();
  }
  return Time::max();
}

// Piecewise-constant rate: draw an exponential gap at the current rate; if it crosses the next
// step boundary, restart from the boundary (exact, by memorylessness). Every pass moves to the
// next boundary or returns, so the loop ends at the profile's end at the latest.
Time TrafficGenerator::next_scheduled(Time now) {
  const auto& steps = config_->steps;
  Time t = now;
  for (;;) {
    if (t >= end_) return Time::max();
    const Duration offset = t - start_;
    const int64_t cycle = config_->repeat.ns() > 0 ? offset / config_->repeat : 0;
    const Duration cycle_start = config_->repeat * cycle;
    const Duration in_cycle = offset - cycle_start;
    size_t i = 0;
    while (i + 1 < steps.size() && steps[i + 1].at <= in_cycle) ++i;
    Time boundary = Time::max();
    if (i + 1 < steps.size()) {
      boundary = (start_ + cycle_start).plus_saturated(steps[i + 1].at);
    } else if (config_->repeat.ns() > 0) {
      boundary = (start_ + cycle_start).plus_saturated(config_->repeat);
    }
    if (steps[i].rate > 0.0) {
      const Time candidate = after(t, exponential(steps[i].rate));
      if (candidate < boundary) return clip(candidate);
    }
    if (boundary == Time::max()) return Time::max();
    t = boundary;
  }
}

// Non-homogeneous Poisson by thinning (Lewis & Shedler 1979) against the peak rate. Every pass
// moves time forward by a gap at the peak rate, so the loop ends at the profile's end.
Time TrafficGenerator::next_diurnal(Time now) {
  const double peak = config_->mean_rate * (1.0 + config_->amplitude);
  const double period = config_->period.seconds_f();
  Time t = now;
  for (;;) {
    t = after(t, exponential(peak));
    if (t >= end_) return Time::max();
    const double phase =
        2.0 * std::numbers::pi * ((t - Time::at(config_->peak_at)).seconds_f() / period);
    const double rate = config_->mean_rate * (1.0 + config_->amplitude * std::cos(phase));
    if (arrival_rng_.uniform_open() * peak <= rate) return t;
  }
}

// On/off bursts: Poisson at `rate` while on; a gap that runs past the on-period is discarded
// and the next on-period starts after an off-period (exact, by memorylessness). On-periods
// have a positive mean (any_traffic_), so time advances and the loop ends at the profile's end.
Time TrafficGenerator::next_burst(Time now) {
  Time t = now;
  for (;;) {
    if (t >= end_) return Time::max();
    const Time candidate = after(t, exponential(config_->rate));
    if (candidate < on_until_) return clip(candidate);
    const Time next_on = after(on_until_, config_->off_duration.sample(arrival_rng_));
    on_until_ = after(next_on, config_->on_duration.sample(arrival_rng_));
    t = next_on;
  }
}

}  // namespace slsim
