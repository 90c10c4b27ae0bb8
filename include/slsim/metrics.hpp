// What the model reports: request outcomes, latency distributions, container gauges integrated
// over time, per-minute CloudWatch-style rows and billing usage. Recorders only aggregate; they
// do not steer the simulation.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "slsim/cost.hpp"
#include "slsim/latency_histogram.hpp"
#include "slsim/time.hpp"

namespace slsim {

// Every arrival ends in exactly one of these (DESIGN.md §3, conservation).
enum class Outcome : uint8_t {
  kWarm,             // served by an initialised container, not spilled over
  kCold,             // served after a cold start, endpoint without provisioned concurrency
  kSpilloverWarm,    // provisioned containers all busy; served by a warm on-demand container
  kSpilloverCold,    // provisioned containers all busy; served after an on-demand cold start
  kThrottled,        // endpoint or account concurrency limit reached (HTTP 429)
  kRejectedPayload,  // request body over the platform limit (HTTP 413)
  kTimedOut,         // inference longer than the invocation timeout
  kStartFailed,      // the container was not ready within the start timeout
};
inline constexpr size_t kOutcomeCount = 8;
const char* outcome_name(Outcome o);

// Cold-start phases, in order (DESIGN.md §1).
enum class Phase : uint8_t {
  kScheduling,
  kImagePull,
  kArtifactDownload,
  kExtraction,
  kModelLoad,
  kContainerInit,
};
inline constexpr size_t kPhaseCount = 6;
const char* phase_name(Phase p);
using PhaseDurations = std::array<Duration, kPhaseCount>;

// Container counts that change over time; integrated exactly between changes.
struct Gauges {
  int busy = 0;              // serving a request (provisioned + on-demand)
  int busy_provisioned = 0;  // of which on provisioned containers
  int idle = 0;              // warm and idle (provisioned + on-demand)
  int provisioning = 0;      // cold-starting
};

// One endpoint, one minute (CloudWatch names, DESIGN.md §2). Latency sums are in seconds;
// the CSV writer turns them into CloudWatch's per-minute averages.
struct MinuteRow {
  int64_t invocations = 0;
  int64_t model_latency_count = 0;
  double model_latency_sum = 0.0;
  double overhead_latency_sum = 0.0;
  int64_t model_setup_count = 0;
  double model_setup_sum = 0.0;
  int64_t errors_4xx = 0;  // throttles + oversized payloads
  int64_t errors_5xx = 0;  // timeouts + failed starts
  int64_t provisioned_invocations = 0;
  int64_t spillover_invocations = 0;
  int64_t cold_starts = 0;
  int64_t throttles = 0;
  int max_busy = 0;
  double billed_on_demand_seconds = 0.0;  // inference billed this minute (per-ms rounding)
  double billed_provisioned_seconds = 0.0;
  double data_bytes = 0.0;
  // Time integrals over the minute (container-seconds); divided by the minute's length they are
  // the mean number of containers in that state.
  double busy_seconds = 0.0;
  double busy_provisioned_seconds = 0.0;
  double idle_seconds = 0.0;
  double provisioning_seconds = 0.0;
};

struct EndpointStats {
  std::array<int64_t, kOutcomeCount> outcomes{};
  int64_t arrivals = 0;
  LatencyHistogram latency;                         // served requests, end to end
  LatencyHistogram latency_warm;                    // served without a cold start
  LatencyHistogram latency_cold;                    // served after a cold start
  std::array<double, kPhaseCount> phase_seconds{};  // summed over started cold starts
  int64_t cold_starts = 0;
  double busy_seconds = 0.0;
  double idle_seconds = 0.0;
  double provisioning_seconds = 0.0;
  int max_busy = 0;  // most containers busy at once (peak concurrency)
  Usage usage;

  int64_t outcome(Outcome o) const { return outcomes[static_cast<size_t>(o)]; }
  int64_t completed() const;               // sum of all outcomes
  void merge(const EndpointStats& other);  // sums (max_busy: the larger)
};

}  // namespace slsim
