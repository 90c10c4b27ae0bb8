// The statistics of one replication, per endpoint: what summary.json and the stdout table are
// built from. StatsRecorder builds them from the model's records alone (records.hpp).
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "slsim/cost.hpp"
#include "slsim/latency_histogram.hpp"
#include "slsim/records.hpp"

namespace slsim {

struct EndpointStats {
  int64_t requests = 0;  // arrivals, each with exactly one outcome
  std::array<int64_t, kOutcomeCount> outcomes{};
  int64_t cold_starts = 0;                          // requests that waited for a cold start
  int64_t found_provisioned_busy = 0;               // Erlang B's B(P, λS) events (RequestRecord)
  LatencyHistogram latency_warm;                    // served without a cold start, end to end
  LatencyHistogram latency_cold;                    // served after a cold start, end to end
  std::array<double, kPhaseCount> phase_seconds{};  // summed over the cold starts
  double wait_seconds = 0.0;   // served requests' waits (cold start or queue), summed
  double queue_seconds = 0.0;  // real time: requests waiting in the queue, integrated
  // Container-seconds over the run, from the minute records.
  double busy_seconds = 0.0;
  double idle_seconds = 0.0;
  double provisioning_seconds = 0.0;
  double provisioned_seconds = 0.0;  // provisioned containers held
  int max_busy = 0;                  // most containers busy at once (peak concurrency)
  int64_t scaling_activities = 0;    // changes of provisioned concurrency (ScalingRecord)
  // Billing units summed over the minutes (MinuteRecord::usage()), so that the summary's cost
  // and the sum of metrics.csv's per-minute CostUSD are the same number.
  Usage usage;

  int64_t outcome(Outcome o) const { return outcomes[static_cast<size_t>(o)]; }
  // Every served request (warm and cold together; kept apart while running, so that a request
  // costs one histogram update).
  LatencyHistogram latency() const;
  int64_t settled() const;                 // sum of all outcomes
  void merge(const EndpointStats& other);  // sums (max_busy: the larger)
};

// Turns records into EndpointStats, one per endpoint.
class StatsRecorder {
 public:
  explicit StatsRecorder(size_t endpoints) : stats_(endpoints) {}

  void request(const RequestRecord& r) {
    EndpointStats& s = stats_[r.endpoint];
    ++s.requests;
    ++s.outcomes[static_cast<size_t>(r.outcome)];
    s.found_provisioned_busy += r.found_provisioned_busy;
    if (r.cold) {
      ++s.cold_starts;
      for (size_t p = 0; p < kPhaseCount; ++p) s.phase_seconds[p] += r.phases[p].seconds_f();
    }
    if (is_served(r.outcome)) {
      s.wait_seconds += r.wait.seconds_f();
      (r.cold ? s.latency_cold : s.latency_warm).add(r.latency().seconds_f());
    }
  }
  void minute(const MinuteRecord& m);
  void scaling(const ScalingRecord& r) {
    if (r.new_capacity != r.old_capacity) ++stats_[r.endpoint].scaling_activities;
  }

  const EndpointStats& stats(size_t endpoint) const { return stats_[endpoint]; }
  std::vector<EndpointStats> take() { return std::move(stats_); }

 private:
  std::vector<EndpointStats> stats_;
};

}  // namespace slsim
