#include "slsim/records.hpp"

#include <algorithm>
#include <cmath>

namespace slsim {

const char* outcome_name(Outcome o) {
  switch (o) {
    case Outcome::kWarm:
      return "warm";
    case Outcome::kCold:
      return "cold";
    case Outcome::kSpilloverWarm:
      return "spillover_warm";
    case Outcome::kSpilloverCold:
      return "spillover_cold";
    case Outcome::kThrottled:
      return "throttled";
    case Outcome::kRejectedPayload:
      return "rejected_payload";
    case Outcome::kTimedOut:
      return "timed_out";
    case Outcome::kStartFailed:
      return "start_failed";
  }
  return "?";
}

const char* phase_name(Phase p) {
  switch (p) {
    case Phase::kScheduling:
      return "scheduling";
    case Phase::kImagePull:
      return "image_pull";
    case Phase::kArtifactDownload:
      return "artifact_download";
    case Phase::kExtraction:
      return "extraction";
    case Phase::kModelLoad:
      return "model_load";
    case Phase::kContainerInit:
      return "container_init";
  }
  return "?";
}

const char* cause_name(ScalingRecord::Cause c) {
  switch (c) {
    case ScalingRecord::Cause::kScaleOutAlarm:
      return "scale_out_alarm";
    case ScalingRecord::Cause::kScaleInAlarm:
      return "scale_in_alarm";
    case ScalingRecord::Cause::kScheduledAction:
      return "scheduled_action";
  }
  return "?";
}

Usage MinuteRecord::usage() const {
  Usage u;
  u.on_demand_billed_seconds = static_cast<double>(billed_on_demand_ms) * 1e-3;
  u.provisioned_billed_seconds = static_cast<double>(billed_provisioned_ms) * 1e-3;
  u.provisioned_container_seconds = static_cast<double>(billed_provisioned_ns) * 1e-9;
  u.instance_seconds = static_cast<double>(billed_instance_ns) * 1e-9;
  u.data_bytes = data_bytes;
  return u;
}

double MinuteRecord::mean(int64_t integral_ns) const {
  const int64_t ns = length().ns();
  return ns > 0 ? static_cast<double>(integral_ns) / static_cast<double>(ns) : 0.0;
}

double MinuteRecord::provisioned_utilization() const {
  return provisioned_ns > 0
             ? static_cast<double>(busy_provisioned_ns) / static_cast<double>(provisioned_ns)
             : NAN;
}

void MinuteRecord::absorb(const MinuteRecord& m) {
  end = m.end;
  invocations += m.invocations;
  provisioned_invocations += m.provisioned_invocations;
  spillover_invocations += m.spillover_invocations;
  cold_starts += m.cold_starts;
  throttles += m.throttles;
  errors_4xx += m.errors_4xx;
  errors_5xx += m.errors_5xx;
  completions += m.completions;
  model_latency_sum += m.model_latency_sum;
  overhead_latency_sum += m.overhead_latency_sum;
  model_setups += m.model_setups;
  model_setup_sum += m.model_setup_sum;
  busy_ns += m.busy_ns;
  busy_provisioned_ns += m.busy_provisioned_ns;
  idle_ns += m.idle_ns;
  provisioning_ns += m.provisioning_ns;
  provisioned_ns += m.provisioned_ns;
  max_busy = std::max(max_busy, m.max_busy);
  max_busy_provisioned = std::max(max_busy_provisioned, m.max_busy_provisioned);
  provisioned_capacity = m.provisioned_capacity;
  billed_on_demand_ms += m.billed_on_demand_ms;
  billed_provisioned_ms += m.billed_provisioned_ms;
  billed_provisioned_ns += m.billed_provisioned_ns;
  billed_instance_ns += m.billed_instance_ns;
  queue_ns += m.queue_ns;
  data_bytes += m.data_bytes;
}

}  // namespace slsim
