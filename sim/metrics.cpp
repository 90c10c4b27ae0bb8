#include "slsim/metrics.hpp"

#include <algorithm>

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

int64_t EndpointStats::completed() const {
  int64_t n = 0;
  for (const auto c : outcomes) n += c;
  return n;
}

void EndpointStats::merge(const EndpointStats& o) {
  for (size_t i = 0; i < kOutcomeCount; ++i) outcomes[i] += o.outcomes[i];
  arrivals += o.arrivals;
  latency.merge(o.latency);
  latency_warm.merge(o.latency_warm);
  latency_cold.merge(o.latency_cold);
  for (size_t i = 0; i < kPhaseCount; ++i) phase_seconds[i] += o.phase_seconds[i];
  cold_starts += o.cold_starts;
  busy_seconds += o.busy_seconds;
  idle_seconds += o.idle_seconds;
  provisioning_seconds += o.provisioning_seconds;
  usage.on_demand_billed_seconds += o.usage.on_demand_billed_seconds;
  usage.provisioned_billed_seconds += o.usage.provisioned_billed_seconds;
  usage.provisioned_container_seconds += o.usage.provisioned_container_seconds;
  usage.data_bytes += o.usage.data_bytes;
  max_busy = std::max(max_busy, o.max_busy);
}

}  // namespace slsim
