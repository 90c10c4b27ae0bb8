// Real-time endpoints (real_time_model.hpp): a FIFO queue before workers is a textbook queue,
// so its waiting time must match queueing theory (DESIGN.md §3, "Queues").
#include <catch2/catch.hpp>

#include "test_support.hpp"

using namespace slsim;
using namespace slsim::testing;

namespace {

// One real-time endpoint with `instances` × `workers` workers of one vCPU each, no overhead.
Scenario real_time(double rate, Distribution service, int instances, int workers, Duration duration,
                   int replications) {
  Scenario s = one_endpoint(duration, rate, service, 1);
  EndpointConfig& e = s.endpoints[0];
  e.kind = EndpointKind::kRealTime;
  e.real_time.instance_type = "test";
  e.real_time.vcpus = workers;  // one vCPU per worker: service times unscaled
  e.real_time.workers_per_instance = workers;
  e.real_time.instance_count = instances;
  e.real_time.per_hour = 0.5;
  s.replications = replications;
  return s;
}

double mean_wait(const Report& r, double* ci) {
  const Figure* f = r.find(r.endpoints[0], "mean_wait_s");
  *ci = f->ci95();
  return f->mean();
}

}  // namespace

TEST_CASE("one worker and exponential service wait as M/M/1 says", "[real_time][oracle]") {
  // λ = 8/s, S = 0.1 s: ρ = 0.8, mean wait in queue ρ / (μ − λ) = 0.8 / (10 − 8) = 0.4 s.
  const Report r =
      run_report(real_time(8.0, Distribution::exponential(0.1), 1, 1, Duration::hours(3), 12));
  double ci = 0;
  const double w = mean_wait(r, &ci);
  INFO("mean wait " << w << " ± " << ci);
  REQUIRE(ci < 0.05);
  REQUIRE(std::fabs(w - 0.4) <= ci);
}

TEST_CASE("one worker and constant service wait as Pollaczek-Khinchine says",
          "[real_time][oracle]") {
  // M/D/1: W = λ E[S²] / (2 (1 − ρ)) = 8 × 0.01 / (2 × 0.2) = 0.2 s.
  const Report r =
      run_report(real_time(8.0, Distribution::constant(0.1), 1, 1, Duration::hours(3), 12));
  double ci = 0;
  const double w = mean_wait(r, &ci);
  INFO("mean wait " << w << " ± " << ci);
  REQUIRE(std::fabs(w - 0.2) <= ci);
}

TEST_CASE("two workers wait as Erlang C says", "[real_time][oracle]") {
  // M/M/2, λ = 16/s, S = 0.1 s: a = 1.6, C(2, a) = 6.4 / (2.6 + 6.4) = 0.7111,
  // Wq = C / (cμ − λ) = 0.7111 / 4 = 0.1778 s. Two instances of one worker each.
  const Report r =
      run_report(real_time(16.0, Distribution::exponential(0.1), 2, 1, Duration::hours(2), 12));
  double ci = 0;
  const double w = mean_wait(r, &ci);
  INFO("mean wait " << w << " ± " << ci);
  REQUIRE(std::fabs(w - 0.1778) <= ci);
}

TEST_CASE("an overloaded real-time endpoint queues, times requests out at 60 s, bills instances",
          "[real_time]") {
  // 2/s against one worker of 1 s: the queue grows until requests wait the 60 s timeout.
  Scenario s = real_time(2.0, Distribution::constant(1.0), 1, 1, Duration::minutes(10), 1);
  MemoryRecorder memory;
  const ReplicationResult r = Simulation(s, 0, Recorders{nullptr, nullptr, &memory}).run();
  const EndpointStats& e = r.endpoints[0];
  REQUIRE(e.outcome(Outcome::kThrottled) == 0);
  REQUIRE(e.outcome(Outcome::kTimedOut) > 400);
  for (const RequestRecord& rec : memory.requests)
    if (rec.outcome == Outcome::kTimedOut) REQUIRE(rec.wait == Duration::seconds(60));
  // One instance for the 600 s scenario at $0.5/h.
  REQUIRE(e.usage.instance_seconds == Approx(600.0));
  REQUIRE(compute_cost(s.pricing, 2048, e.usage, 0.5).instances == Approx(600.0 / 3600 * 0.5));
}

TEST_CASE("autoscaling adds instances on invocations per instance, after their launch",
          "[real_time][autoscaling]") {
  // 3 requests/s of 0.1 s from minute 5 on: 180 invocations per instance per minute, target 100:
  // after 3 datapoints (8:00) desired = ceil(1 × 180 / 100) = 2; the instance serves 5 min later.
  Scenario s = real_time(3.0, Distribution::constant(0.1), 1, 1, Duration::minutes(20), 1);
  s.endpoints[0].traffic[0].start = Duration::minutes(5);
  AutoscalingConfig a;
  a.min_capacity = 1;
  a.max_capacity = 4;
  a.target_tracking.emplace();
  a.target_tracking->metric = TargetTrackingConfig::Metric::kInvocationsPerInstance;
  a.target_tracking->target = 100;
  s.endpoints[0].autoscaling = a;
  MemoryRecorder memory;
  const ReplicationResult r = Simulation(s, 0, Recorders{nullptr, nullptr, &memory}).run();
  REQUIRE_FALSE(memory.scalings.empty());
  REQUIRE(memory.scalings[0].at == Time::at(Duration::minutes(8)));
  REQUIRE(memory.scalings[0].new_capacity == 2);
  // Two instances billed from 8:00: 1 × 20 min + 1 × 12 min.
  REQUIRE(r.endpoints[0].usage.instance_seconds == Approx(32 * 60.0));
}
