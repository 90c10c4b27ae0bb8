#include "slsim/autoscaler.hpp"

#include <algorithm>
#include <cmath>

#include "slsim/check.hpp"

namespace slsim {

Autoscaler::Autoscaler(const AutoscalingConfig& config, uint16_t endpoint, UtcTime start,
                       ScalableTarget target, Engine& engine)
    : config_(config),
      endpoint_(endpoint),
      start_(start),
      target_(target),
      engine_(engine),
      min_(config.min_capacity),
      max_(config.max_capacity) {
  if (const auto& tt = config.target_tracking) {
    const int64_t minute = Duration::minutes(1).ns();
    pending_.assign(static_cast<size_t>(tt->metric_delay.ns() / minute + 2), NAN);
    history_.assign(static_cast<size_t>(std::max(tt->scale_out_periods, tt->scale_in_periods)),
                    NAN);
  }
}

void Autoscaler::start() {
  for (uint32_t a = 0; a < config_.scheduled_actions.size(); ++a)
    if (const auto first = config_.scheduled_actions[a].schedule.first_at_or_after(start_))
      engine_.schedule(Time::at(Duration::nanoseconds(first->unix_ns - start_.unix_ns)),
                       EventKind::kScheduledAction, a, endpoint_);
}

void Autoscaler::on_minute(const MinuteRecord& m) {
  if (!config_.target_tracking) return;
  const TargetTrackingConfig& tt = *config_.target_tracking;
  double datapoint = NAN;
  if (tt.metric == TargetTrackingConfig::Metric::kInvocationsPerInstance) {
    const double instances = m.mean(m.provisioned_ns);
    if (instances > 0) datapoint = static_cast<double>(m.invocations) / instances;
  } else if (tt.statistic == TargetTrackingConfig::Statistic::kAverage) {
    datapoint = m.provisioned_utilization();
  } else if (m.provisioned_capacity > 0) {
    datapoint = static_cast<double>(m.max_busy_provisioned) / m.provisioned_capacity;
  }
  SLSIM_CHECK(pending_size_ < pending_.size(), "more datapoints in flight than the delay allows");
  pending_[(pending_head_ + pending_size_++) % pending_.size()] = datapoint;
  engine_.schedule(engine_.now().plus_saturated(tt.metric_delay), EventKind::kMetricPublished, 0,
                   endpoint_);
}

template <class Breach>
bool Autoscaler::alarm(int periods, int needed, Breach breach) const {
  if (static_cast<int>(history_count_) < needed) return false;
  int breaching = 0;
  const size_t n = history_.size();
  for (int k = 1; k <= periods && k <= static_cast<int>(history_count_); ++k) {
    const double v = history_[(history_next_ + n - static_cast<size_t>(k)) % n];
    if (!std::isnan(v) && breach(v)) ++breaching;
  }
  return breaching >= needed;
}

double Autoscaler::latest_datapoint() const {
  const size_t n = history_.size();
  for (size_t k = 1; k <= history_count_ && k <= n; ++k) {
    const double v = history_[(history_next_ + n - k) % n];
    if (!std::isnan(v)) return v;
  }
  return NAN;
}

const ScalingRecord* Autoscaler::on_metric_published() {
  const TargetTrackingConfig& tt = *config_.target_tracking;
  const double datapoint = pending_[pending_head_];
  pending_head_ = (pending_head_ + 1) % pending_.size();
  --pending_size_;
  history_[history_next_] = datapoint;
  history_next_ = (history_next_ + 1) % history_.size();
  history_count_ = std::min(history_count_ + 1, history_.size());

  const Time now = engine_.now();
  const int capacity = target_.capacity();
  const double metric = latest_datapoint();
  // ceil(capacity × metric ÷ target), forgiving a last-bit rounding error.
  const auto desired = [&] {
    const double raw = std::ceil(capacity * metric / tt.target - 1e-9);
    return static_cast<int>(std::clamp(raw, double(min_), double(max_)));
  };
  const bool in_out_cooldown = scaled_out_ && now < last_scale_out_ + tt.scale_out_cooldown;
  if (alarm(tt.scale_out_periods, tt.scale_out_datapoints,
            [&](double v) { return v > tt.target; })) {
    const int want = desired();
    if (want > capacity && (!in_out_cooldown || want > last_scale_out_desired_)) {
      last_scale_out_ = now;
      last_scale_out_desired_ = want;
      scaled_out_ = true;
      scaled_in_ = false;  // a scale-out ends a scale-in cooldown
      return scale(ScalingRecord::Cause::kScaleOutAlarm, want, "target tracking high alarm");
    }
    return nullptr;
  }
  if (tt.disable_scale_in || in_out_cooldown) return nullptr;
  if (scaled_in_ && now < last_scale_in_ + tt.scale_in_cooldown) return nullptr;
  if (alarm(tt.scale_in_periods, tt.scale_in_datapoints,
            [&](double v) { return v < tt.scale_in_fraction * tt.target; })) {
    const int want = desired();
    if (want < capacity) {
      last_scale_in_ = now;
      scaled_in_ = true;
      return scale(ScalingRecord::Cause::kScaleInAlarm, want, "target tracking low alarm");
    }
  }
  return nullptr;
}

const ScalingRecord* Autoscaler::on_scheduled_action(uint32_t a) {
  const ScheduledActionConfig& action = config_.scheduled_actions[a];
  min_ = action.min_capacity.value_or(min_);
  max_ = action.max_capacity.value_or(max_);
  // An action may set a minimum above the current maximum (or the reverse) on its own: the new
  // bound wins, as the other is moved to it.
  if (action.min_capacity && min_ > max_) max_ = min_;
  if (action.max_capacity && max_ < min_) min_ = max_;
  // The next run, strictly after this one.
  const UtcTime now_utc = at_simulated(start_, engine_.now());
  if (const auto next = action.schedule.first_at_or_after(UtcTime{now_utc.unix_ns + 1}))
    engine_.schedule(Time::at(Duration::nanoseconds(next->unix_ns - start_.unix_ns)),
                     EventKind::kScheduledAction, a, endpoint_);
  const int capacity = target_.capacity();
  return scale(ScalingRecord::Cause::kScheduledAction, std::clamp(capacity, min_, max_),
               action.name);
}

const ScalingRecord* Autoscaler::scale(ScalingRecord::Cause cause, int desired,
                                       std::string action) {
  ScalingRecord& r = record_;
  r.at = engine_.now();
  r.endpoint = endpoint_;
  r.cause = cause;
  r.old_capacity = target_.capacity();
  r.desired_capacity = desired;
  r.new_capacity = desired == r.old_capacity ? desired : target_.set(desired);
  r.min_capacity = min_;
  r.max_capacity = max_;
  r.action = std::move(action);
  r.datapoints.clear();
  if (cause != ScalingRecord::Cause::kScheduledAction) {
    const TargetTrackingConfig& tt = *config_.target_tracking;
    const int periods =
        cause == ScalingRecord::Cause::kScaleOutAlarm ? tt.scale_out_periods : tt.scale_in_periods;
    const size_t n = history_.size();
    for (int k = std::min<int>(periods, static_cast<int>(history_count_)); k >= 1; --k)
      r.datapoints.push_back(history_[(history_next_ + n - static_cast<size_t>(k)) % n]);
  }
  return &r;
}

}  // namespace slsim
