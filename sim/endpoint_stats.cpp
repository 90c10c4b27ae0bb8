#include "slsim/endpoint_stats.hpp"

#include <algorithm>

namespace slsim {

int64_t EndpointStats::settled() const {
  int64_t n = 0;
  for (const auto c : outcomes) n += c;
  return n;
}

LatencyHistogram EndpointStats::latency() const {
  LatencyHistogram all = latency_warm;
  all.merge(latency_cold);
  return all;
}

void EndpointStats::merge(const EndpointStats& o) {
  requests += o.requests;
  for (size_t i = 0; i < kOutcomeCount; ++i) outcomes[i] += o.outcomes[i];
  cold_starts += o.cold_starts;
  found_provisioned_busy += o.found_provisioned_busy;
  latency_warm.merge(o.latency_warm);
  latency_cold.merge(o.latency_cold);
  for (size_t i = 0; i < kPhaseCount; ++i) phase_seconds[i] += o.phase_seconds[i];
  wait_seconds += o.wait_seconds;
  queue_seconds += o.queue_seconds;
  busy_seconds += o.busy_seconds;
  idle_seconds += o.idle_seconds;
  provisioning_seconds += o.provisioning_seconds;
  provisioned_seconds += o.provisioned_seconds;
  max_busy = std::max(max_busy, o.max_busy);
  scaling_activities += o.scaling_activities;
  usage += o.usage;
}

void StatsRecorder::minute(const MinuteRecord& m) {
  EndpointStats& s = stats_[m.endpoint];
  s.busy_seconds += static_cast<double>(m.busy_ns) * 1e-9;
  s.idle_seconds += static_cast<double>(m.idle_ns) * 1e-9;
  s.provisioning_seconds += static_cast<double>(m.provisioning_ns) * 1e-9;
  s.provisioned_seconds += static_cast<double>(m.provisioned_ns) * 1e-9;
  s.queue_seconds += static_cast<double>(m.queue_ns) * 1e-9;
  s.max_busy = std::max(s.max_busy, m.max_busy);
  s.usage += m.usage();
}

}  // namespace slsim
