// Application Auto Scaling of one endpoint's provisioned concurrency while a replication runs:
// the CloudWatch alarms of a target tracking policy over per-minute datapoints, cooldowns, and
// scheduled actions (AWS semantics; DESIGN.md §2). It changes capacity through the endpoint
// model and reports each activity as a ScalingRecord.
//
// Per minute, the datapoint is executions ÷ provisioned containers held (Average) or the most
// executions at once ÷ provisioned concurrency (Maximum); a minute without provisioned capacity
// has no datapoint. For a real-time endpoint (SageMakerVariantInvocationsPerInstance) it is the
// minute's invocations ÷ the instances held. It reaches the alarms `metric_delay` after the minute
// ends. The scale-out alarm fires when M of the last N datapoints are above the target, the
// scale-in alarm when M of the last N are below scale_in_fraction × target; a missing datapoint
// never breaches, so there is no scale-in on insufficient data. Desired capacity = ceil(capacity ×
// metric ÷ target) with the latest datapoint, within [min, max]. Cooldowns (AWS "Define cooldown
// periods"), counted from the activity's start: during a scale-out cooldown only a scale-out to
// more than the last one's desired capacity proceeds (nothing scales in); a scale-in cooldown
// blocks scale-in, and a scale-out ends it. Scheduled actions set MinCapacity/MaxCapacity at their
// time, ignore cooldowns, and move a capacity outside the new range into it at once.
#pragma once

#include <cstdint>
#include <vector>

#include "slsim/autoscaling.hpp"
#include "slsim/calendar.hpp"
#include "slsim/endpoint_model.hpp"
#include "slsim/engine.hpp"
#include "slsim/real_time_model.hpp"
#include "slsim/records.hpp"

namespace slsim {

// What an autoscaler changes: a serverless endpoint's provisioned concurrency or a real-time
// endpoint's instance count (exactly one of the two is set).
struct ScalableTarget {
  EndpointModel* serverless = nullptr;
  RealTimeModel* real_time = nullptr;
  int capacity() const {
    return serverless ? serverless->capacity().provisioned : real_time->capacity();
  }
  int set(int n) {
    return serverless ? serverless->set_provisioned(n) : real_time->set_capacity(n);
  }
};

class Autoscaler {
 public:
  // REQUIRES: `config`, the target's model and `engine` outlive the autoscaler.
  Autoscaler(const AutoscalingConfig& config, uint16_t endpoint, UtcTime start,
             ScalableTarget target, Engine& engine);

  // Schedules the first run of every scheduled action. REQUIRES: time 0.
  void start();
  // A metrics minute of this endpoint closed: its datapoint is published after metric_delay.
  void on_minute(const MinuteRecord& minute);
  // Handlers (EventKind::kMetricPublished, kScheduledAction); a record when capacity changed
  // or a scheduled action ran.
  const ScalingRecord* on_metric_published();
  const ScalingRecord* on_scheduled_action(uint32_t action);

  int min_capacity() const { return min_; }
  int max_capacity() const { return max_; }

 private:
  // Sets capacity to `desired` and fills record_.
  const ScalingRecord* scale(ScalingRecord::Cause cause, int desired, std::string action);
  // Whether `needed` of the last `periods` datapoints pass `breach`.
  template <class Breach>
  bool alarm(int periods, int needed, Breach breach) const;
  double latest_datapoint() const;

  const AutoscalingConfig& config_;
  uint16_t endpoint_;
  UtcTime start_;
  ScalableTarget target_;
  Engine& engine_;
  int min_, max_;
  // Datapoints waiting for their publication (FIFO ring; the delay is constant).
  std::vector<double> pending_;
  size_t pending_head_ = 0, pending_size_ = 0;
  // The alarm window: the newest datapoints, newest at history_[(history_next_ - 1) mod size].
  std::vector<double> history_;
  size_t history_next_ = 0, history_count_ = 0;
  bool scaled_out_ = false, scaled_in_ = false;
  Time last_scale_out_, last_scale_in_;
  int last_scale_out_desired_ = 0;
  ScalingRecord record_;
};

}  // namespace slsim
