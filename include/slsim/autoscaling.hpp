// Application Auto Scaling of an endpoint's provisioned concurrency, as a scenario configures it
// (data only; autoscaler.hpp runs it). Names follow AWS: a scalable target with MinCapacity and
// MaxCapacity, a target tracking policy on SageMakerVariantProvisionedConcurrencyUtilization, and
// scheduled actions (DESIGN.md §2). Every default cites its source.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "slsim/schedule_expression.hpp"
#include "slsim/time.hpp"

namespace slsim {

struct TargetTrackingConfig {
  // SageMakerVariantProvisionedConcurrencyUtilization (serverless: executions ÷ provisioned
  // concurrency) or SageMakerVariantInvocationsPerInstance (real time: invocations per instance
  // per minute).
  enum class Metric { kProvisionedConcurrencyUtilization, kInvocationsPerInstance };
  Metric metric = Metric::kProvisionedConcurrencyUtilization;
  // The metric's target value: a utilization in (0, 1], or invocations per instance per minute.
  double target = 0.5;
  // CloudWatch statistic of the per-minute datapoint. Default: Average (AWS's predefined metric
  // for this policy).
  enum class Statistic { kAverage, kMaximum } statistic = Statistic::kAverage;
  // Default: 300 s each, AWS's default cooldown for SageMaker variants (Application Auto Scaling
  // user guide, "Define cooldown periods"). The seed's policy uses 1 s.
  Duration scale_out_cooldown = Duration::seconds(300);
  Duration scale_in_cooldown = Duration::seconds(300);
  // The alarms Application Auto Scaling creates: scale out when `scale_out_datapoints` of the
  // last `scale_out_periods` one-minute datapoints are above the target (default 3 of 3), scale
  // in when `scale_in_datapoints` of the last `scale_in_periods` are below scale_in_fraction ×
  // target (default 15 of 15, 0.9: "about 10 % below the target"). Observed on SageMaker, not
  // documented for serverless provisioned concurrency (DESIGN.md §2): parameters.
  int scale_out_datapoints = 3;
  int scale_out_periods = 3;
  int scale_in_datapoints = 15;
  int scale_in_periods = 15;
  double scale_in_fraction = 0.9;
  // Time from the end of a minute until its datapoint reaches the alarm. Default: 0 (CloudWatch
  // documents no ingestion delay for SageMaker's per-minute metrics).
  Duration metric_delay;
  // Default: false (AWS DisableScaleIn).
  bool disable_scale_in = false;
};

struct ScheduledActionConfig {
  std::string name;  // for scaling.csv; default: the schedule expression
  ScheduleExpression schedule;
  std::optional<int> min_capacity;  // set at the action's time (either or both)
  std::optional<int> max_capacity;
};

struct AutoscalingConfig {
  int min_capacity = 1;  // REQUIRES: 0 <= min <= max <= the endpoint's max_concurrency
  int max_capacity = 1;
  std::optional<TargetTrackingConfig> target_tracking;
  std::vector<ScheduledActionConfig> scheduled_actions;
};

}  // namespace slsim
