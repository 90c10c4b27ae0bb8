// Engine semantics and model rules that the oracles do not pin down.
#include <catch2/catch.hpp>

#include "test_support.hpp"

using namespace slsim;
using namespace slsim::testing;

namespace {

TrafficConfig fixed(Duration interval, int64_t count, Duration start) {
  TrafficConfig t;
  t.kind = TrafficKind::kFixedInterval;
  t.interval = interval;
  t.count = count;
  t.start = start;
  return t;
}

}  // namespace

TEST_CASE("run_until leaves events at exactly the boundary unrun", "[simulation]") {
  Scenario s = one_endpoint(Duration::minutes(10), 1.0, Distribution::constant(0.5), 5);
  s.endpoints[0].traffic = {fixed(Duration::seconds(10), 3, Duration::seconds(10))};
  Simulation sim(s, 0);
  sim.start();
  const Time ten = Time::at(Duration::seconds(10));
  REQUIRE(sim.run_until(ten) == 0);  // the arrival at exactly 10 s stays pending
  REQUIRE(sim.endpoint(0).arrivals() == 0);
  REQUIRE(sim.queue().top().at == ten);
  // One nanosecond later: the arrival, and the instant cold start's ready event also at 10 s.
  REQUIRE(sim.run_until(ten + Duration::nanoseconds(1)) == 2);
  REQUIRE(sim.endpoint(0).arrivals() == 1);
  REQUIRE(sim.now() == ten + Duration::nanoseconds(1));  // the clock is left at `until`
  REQUIRE(sim.in_flight() == 1);                         // served until 10.5 s
}

TEST_CASE("every arrival ends in exactly one outcome, per endpoint (conservation)",
          "[simulation]") {
  // A scenario that produces every outcome: throttles (max 2), oversized payloads, timeouts
  // and, with a 1 s idle timeout, many cold starts of which some fail.
  Scenario s = one_endpoint(Duration::minutes(30), 3.0, Distribution::exponential(0.8), 2, 0,
                            Duration::seconds(1));
  s.platform.invocation_timeout = Duration::seconds(2);
  s.platform.scheduling = Distribution::exponential(20.0);
  s.platform.start_timeout = Duration::seconds(30);
  s.endpoints[0].traffic[0].payload = Distribution::uniform(1e6, 5e6);  // some over 4 MB
  MemoryRecorder memory;
  const ReplicationResult r = Simulation(s, 0, Recorders{nullptr, nullptr, &memory}).run();
  const EndpointStats& e = r.endpoints[0];
  for (const Outcome o : {Outcome::kWarm, Outcome::kCold, Outcome::kThrottled,
                          Outcome::kRejectedPayload, Outcome::kTimedOut, Outcome::kStartFailed})
    REQUIRE(e.outcome(o) > 0);
  REQUIRE(e.settled() == e.requests);
  REQUIRE(static_cast<int64_t>(memory.requests.size()) == e.requests);
  REQUIRE(e.latency().count() ==
          static_cast<uint64_t>(e.outcome(Outcome::kWarm) + e.outcome(Outcome::kCold)));
  // The per-minute invocations add up to the arrivals too.
  int64_t per_minute = 0;
  for (const MinuteRecord& m : memory.minutes) per_minute += m.invocations;
  REQUIRE(memory.minutes.size() >= 30);
  REQUIRE(per_minute == e.requests);
}

TEST_CASE("the same scenario and seed give the same trajectory; another seed does not",
          "[simulation][determinism]") {
  const Scenario s = one_endpoint(Duration::hours(1), 10.0, Distribution::exponential(0.3), 4, 1);
  const ReplicationResult a = Simulation(s, 0).run();
  const ReplicationResult b = Simulation(s, 0).run();
  REQUIRE(a.fingerprint == b.fingerprint);
  REQUIRE(a.events == b.events);
  REQUIRE(a.endpoints[0].latency().sum() == b.endpoints[0].latency().sum());
  REQUIRE(Simulation(s, 1).run().fingerprint != a.fingerprint);
  Scenario other = s;
  other.seed = s.seed + 1;
  REQUIRE(Simulation(other, 0).run().fingerprint != a.fingerprint);
}

TEST_CASE("adding an endpoint does not change another endpoint's random numbers", "[simulation]") {
  const Scenario one = one_endpoint(Duration::hours(1), 2.0, Distribution::exponential(0.1), 10);
  Scenario two = one;
  EndpointConfig extra = one.endpoints[0];
  extra.name = "other";
  two.endpoints.push_back(extra);
  const auto a = Simulation(one, 0).run().endpoints[0];
  const auto b = Simulation(two, 0).run().endpoints[0];
  REQUIRE(a.requests == b.requests);
  REQUIRE(a.latency().sum() == b.latency().sum());
}

TEST_CASE("a request reuses the most recently used warm container", "[simulation]") {
  // Two overlapping requests create two containers; later single requests every 100 s keep
  // reusing one of them, so the other expires after the 150 s idle timeout.
  Scenario s = one_endpoint(Duration::seconds(1000), 1.0, Distribution::constant(5.0), 10, 0,
                            Duration::seconds(150));
  s.endpoints[0].traffic = {fixed(Duration::seconds(100), 9, Duration::seconds(100)),
                            fixed(Duration::seconds(100), 1, Duration::seconds(101))};
  const auto e = Simulation(s, 0).run().endpoints[0];
  REQUIRE(e.outcome(Outcome::kCold) == 2);  // t=100 and the overlapping t=101
  REQUIRE(e.outcome(Outcome::kWarm) == 8);
  REQUIRE(e.cold_starts == 2);
}

TEST_CASE("an idle on-demand container is reclaimed after the idle timeout", "[simulation]") {
  // Requests 10 s apart stay warm with a 15 s timeout, and go cold with a 5 s timeout.
  for (const auto& [timeout, cold] : {std::pair{15, 1}, std::pair{5, 4}}) {
    Scenario s = one_endpoint(Duration::seconds(60), 1.0, Distribution::constant(0.1), 1, 0,
                              Duration::seconds(timeout));
    s.endpoints[0].traffic = {fixed(Duration::seconds(10), 4, Duration::seconds(10))};
    REQUIRE(Simulation(s, 0).run().endpoints[0].outcome(Outcome::kCold) == cold);
  }
}

TEST_CASE("the account concurrency limit throttles across endpoints", "[simulation]") {
  Scenario s = one_endpoint(Duration::minutes(10), 20.0, Distribution::constant(1.0), 200);
  EndpointConfig second = s.endpoints[0];
  second.name = "second";
  s.endpoints.push_back(second);
  s.platform.account_concurrency_limit = 10;
  const auto r = Simulation(s, 0).run();
  int64_t throttled = 0;
  for (const auto& e : r.endpoints) throttled += e.outcome(Outcome::kThrottled);
  // Offered load 40 busy containers against a shared limit of 10: most requests throttle.
  REQUIRE(throttled > r.endpoints[0].requests);
}

TEST_CASE("cold-start time is the sum of its phases and memory scales CPU-bound phases",
          "[simulation]") {
  Scenario s = one_endpoint(Duration::seconds(20), 1.0, Distribution::constant(0.010), 1);
  s.platform.overhead = Distribution::constant(0.0);
  s.platform.scheduling = Distribution::constant(1.0);
  s.platform.image_cache_hit_probability = 0.0;
  s.platform.image_pull_bandwidth = 100.0 * 1024 * 1024;
  s.platform.container_init = Distribution::constant(0.5);
  s.platform.memory_per_vcpu_mb = 2048.0;
  ModelConfig& m = s.endpoints[0].model;
  m.image_size_bytes = 200.0 * 1024 * 1024;  // 2 s at 100 MB/s
  m.load = Distribution::constant(0.3);
  s.endpoints[0].traffic = {fixed(Duration::seconds(1), 1, Duration::seconds(1))};
  // 2048 MB = 1 vCPU: 1 + 2 + 0 + 0 + 0.3 + 0.5 + inference 0.01 = 3.81 s.
  REQUIRE(Simulation(s, 0).run().endpoints[0].latency().max() == Approx(3.81));
  // 1024 MB = 0.5 vCPU: model load and inference take twice as long: 4.12 s.
  s.endpoints[0].memory_mb = 1024;
  REQUIRE(Simulation(s, 0).run().endpoints[0].latency().max() == Approx(4.12));
}

TEST_CASE("a closed loop never has more requests in flight than clients", "[simulation]") {
  Scenario s = one_endpoint(Duration::minutes(20), 1.0, Distribution::exponential(0.2), 200);
  TrafficConfig loop;
  loop.kind = TrafficKind::kClosedLoop;
  loop.clients = 7;
  loop.think_time = Distribution::exponential(0.3);
  s.endpoints[0].traffic = {loop};
  const auto e = Simulation(s, 0).run().endpoints[0];
  REQUIRE(e.max_busy <= 7);
  REQUIRE(e.max_busy >= 5);
  // Each client cycles in ≈ 0.2 + 0.3 s (cold starts are instant here): ≈ 14 requests/s.
  REQUIRE(e.requests / 1200.0 == Approx(14.0).epsilon(0.05));
}

TEST_CASE("a schedule with long empty stretches keeps producing arrivals", "[simulation]") {
  // A 10 µs cycle: silent for 5 µs, then 0.2/s for 5 µs (mean 0.1/s): about 2 million step
  // boundaries pass between arrivals. Over 200 s: 20 arrivals expected (a silent cap of loop
  // iterations would stop them after the first few seconds).
  Scenario s = one_endpoint(Duration::seconds(200), 1.0, Distribution::constant(0.001), 5);
  TrafficConfig t;
  t.kind = TrafficKind::kSchedule;
  t.steps = {RateStep{Duration(), 0.0}, RateStep{Duration::microseconds(5), 0.2}};
  t.repeat = Duration::microseconds(10);
  s.endpoints[0].traffic = {t};
  const int64_t n = Simulation(s, 0).run().endpoints[0].requests;
  INFO(n << " arrivals");
  REQUIRE(n >= 6);  // Poisson(20): P(N < 6) < 1e-4
  REQUIRE(n <= 40);
}

TEST_CASE("a rate so small its first gap passes the clock's end gives no arrival, no abort",
          "[simulation]") {
  Scenario s = one_endpoint(Duration::hours(1), 1e-30, Distribution::constant(0.001), 5);
  REQUIRE(Simulation(s, 0).run().endpoints[0].requests == 0);
  TrafficConfig closed;
  closed.kind = TrafficKind::kClosedLoop;
  closed.clients = 3;
  closed.think_time = Distribution::constant(1e300);  // saturates, never wraps
  s.endpoints[0].traffic = {closed};
  REQUIRE(Simulation(s, 0).run().endpoints[0].requests == 0);
}
