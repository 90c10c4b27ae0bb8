// What the model emits: one RequestRecord per arrival (when its outcome is known) and one
// MinuteRecord per endpoint and metrics minute. Recorders (recorders.hpp) turn them into
// statistics and CSV rows; the model itself formats nothing and prices nothing.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "slsim/cost.hpp"
#include "slsim/request.hpp"
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
inline bool is_served(Outcome o) { return o <= Outcome::kSpilloverCold; }
inline bool is_spillover(Outcome o) {
  return o == Outcome::kSpilloverWarm || o == Outcome::kSpilloverCold;
}

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

// One request, from arrival to the answer (or the error) reaching the client.
struct RequestRecord {
  Time arrival;
  Time response;      // when the client got the answer or the error
  Duration model;     // time inside the container (CloudWatch ModelLatency); 0 if never served
  Duration overhead;  // client + front end (CloudWatch OverheadLatency, without cold start)
  // The cold start it waited for, by phase; all zero unless `cold`. Phases cut off by the start
  // timeout are cut there (the phase in progress is shortened, later ones are 0).
  PhaseDurations phases{};
  double demand_s = 0.0;  // the request's inference demand at one vCPU (request.hpp)
  Duration wait;          // arrival to service start: its cold start, or its time in a queue
  double payload_bytes = 0.0;
  double response_bytes = 0.0;  // 0 unless served
  int64_t billed_ms = 0;        // inference billed, rounded up to the millisecond (seeds/002)
  uint32_t endpoint = 0;
  uint32_t source = 0;  // the arrival source it came from
  Outcome outcome = Outcome::kWarm;
  bool cold = false;         // waited for a cold start (also if it then failed or timed out)
  bool provisioned = false;  // ran on a provisioned container (billed at provisioned rates)
  // Found every provisioned container busy (or still starting) while the endpoint had
  // provisioned concurrency: what Erlang B's B(P, λS) counts, served on demand or not.
  bool found_provisioned_busy = false;

  Duration latency() const { return response - arrival; }
};

// The record of `r` at `endpoint` with what the request brought (arrival, overhead, demand,
// payload, source) and its outcome; the model fills in the rest. Its response is
// arrival + overhead: an answer without service (a throttle, an oversized payload).
inline RequestRecord record_of(const Request& r, uint32_t endpoint, Outcome outcome) {
  RequestRecord rec;
  rec.arrival = r.arrival;
  rec.response = r.arrival.plus_saturated(r.overhead);
  rec.overhead = r.overhead;
  rec.demand_s = r.demand_s;
  rec.payload_bytes = r.payload_bytes;
  rec.endpoint = endpoint;
  rec.source = r.source;
  rec.outcome = outcome;
  return rec;
}

// One endpoint over one metrics minute [start, end) (CloudWatch's period; DESIGN.md §2). The last
// minute of a run ends with the run and may be shorter, even empty when the last request ends on
// a minute boundary. Counts are of events in the minute; integrals are container-nanoseconds.
struct MinuteRecord {
  uint32_t endpoint = 0;
  int64_t index = 0;  // minutes since the scenario start
  Time start;
  Time end;
  int64_t invocations = 0;  // arrivals
  int64_t provisioned_invocations = 0;
  int64_t spillover_invocations = 0;  // admitted on demand because provisioned ones were busy
  int64_t cold_starts = 0;
  int64_t throttles = 0;
  int64_t errors_4xx = 0;   // throttles + oversized payloads
  int64_t errors_5xx = 0;   // timeouts + failed starts
  int64_t completions = 0;  // served or timed out: requests with a ModelLatency
  Duration model_latency_sum;
  Duration overhead_latency_sum;  // end to end minus model latency, of the completions
  int64_t model_setups = 0;       // cold starts that became ready (ModelSetupTime)
  Duration model_setup_sum;
  int64_t busy_ns = 0;  // serving a request, provisioned or on demand
  int64_t busy_provisioned_ns = 0;
  int64_t idle_ns = 0;          // warm and idle
  int64_t provisioning_ns = 0;  // starting: cold starts and provisioned capacity being added
  int64_t provisioned_ns = 0;   // provisioned containers held (starting, idle or busy)
  int max_busy = 0;
  int max_busy_provisioned = 0;  // most provisioned containers busy at once (for Maximum)
  int provisioned_capacity = 0;  // the provisioned concurrency set at the minute's end
  // Billing of the minute: inference billed per request (rounded up to 1 ms), provisioned
  // containers held within the scenario duration (not during the drain after it), data in and out.
  int64_t billed_on_demand_ms = 0;
  int64_t billed_provisioned_ms = 0;
  int64_t billed_provisioned_ns = 0;
  int64_t billed_instance_ns = 0;  // real-time instances held within the scenario duration
  int64_t queue_ns = 0;            // real time: requests waiting, integrated
  double data_bytes = 0.0;

  Duration length() const { return end - start; }
  // The minute's billable usage: the one place records become billing units (cost.hpp).
  Usage usage() const;
  // Mean containers in a state over the minute (an instantaneous value for an empty minute is
  // not known: 0).
  double mean(int64_t integral_ns) const;
  // CloudWatch ServerlessProvisionedConcurrencyExecutions (mean concurrent executions on
  // provisioned containers) and ...Utilization (executions ÷ provisioned concurrency; NaN when
  // none was held: CloudWatch publishes no datapoint then). The one place they are computed.
  double provisioned_executions() const { return mean(busy_provisioned_ns); }
  double provisioned_utilization() const;
  // Adds a later record of the same endpoint (for coarser metrics periods).
  void absorb(const MinuteRecord& later);
};

// One scaling activity of an endpoint's provisioned concurrency (Application Auto Scaling's
// DescribeScalingActivities), and why it happened.
struct ScalingRecord {
  enum class Cause : uint8_t { kScaleOutAlarm, kScaleInAlarm, kScheduledAction };
  Time at;
  uint32_t endpoint = 0;
  Cause cause = Cause::kScaleOutAlarm;
  int old_capacity = 0;
  int new_capacity = 0;  // what was reached (less than asked when the account pool is full)
  int desired_capacity = 0;
  int min_capacity = 0;  // the range in force after the activity
  int max_capacity = 0;
  std::string action;              // the scheduled action's name, or the alarm's
  std::vector<double> datapoints;  // the alarm's datapoints, oldest first (NaN = missing)
};
const char* cause_name(ScalingRecord::Cause c);

}  // namespace slsim
