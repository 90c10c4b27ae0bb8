// What the model emits (records.hpp): minute records that add up to the summary, half-open
// minutes, phases cut by the start timeout, and which requests count as spilled over.
#include <catch2/catch.hpp>
#include <cmath>

#include "test_support.hpp"

using namespace slsim;
using namespace slsim::testing;

namespace {

Pricing test_prices() {
  Pricing p;
  p.on_demand_inference.fill(4e-5);
  p.provisioned_concurrency.fill(1e-5);
  p.provisioned_inference.fill(2e-6);
  p.data_processing_per_gb = 0.016;
  return p;
}

}  // namespace

TEST_CASE("a run ending on a minute boundary keeps its last minute's counts and cost",
          "[records]") {
  // One request at 30 s with 30 s of inference in a 1 min run: it ends at exactly 60 s, when
  // the minute tick fires. The tick closes [0, 60 s) first; the completion, its billing and its
  // ModelLatency belong to the minute starting at 60 s, which the run's end closes (empty).
  Scenario s = one_endpoint(Duration::minutes(1), 1.0, Distribution::constant(30.0), 2);
  s.endpoints[0].traffic = {one_request_at(30)};
  s.pricing = test_prices();
  MemoryRecorder memory;
  const ReplicationResult r = Simulation(s, 0, Recorders{nullptr, nullptr, &memory}).run();
  REQUIRE(memory.minutes.size() == 2);
  REQUIRE(memory.minutes[0].invocations == 1);
  REQUIRE(memory.minutes[1].completions == 1);
  REQUIRE(memory.minutes[1].length() == Duration());
  double minute_cost = 0.0;
  for (const MinuteRecord& m : memory.minutes)
    minute_cost += compute_cost(s.pricing, 2048, m.usage()).total();
  const double summary_cost = compute_cost(s.pricing, 2048, r.endpoints[0].usage).total();
  REQUIRE(summary_cost > 0.0012);  // 30 s at $4e-5/s
  REQUIRE(minute_cost == Approx(summary_cost).epsilon(1e-12));
}

TEST_CASE("an arrival exactly on a minute boundary belongs to the minute it starts", "[records]") {
  // The seed protocol: requests at 600 s, 1200 s, ... land in minutes 10, 20, ...
  Scenario s = one_endpoint(Duration::minutes(31), 1.0, Distribution::constant(0.1), 2);
  TrafficConfig t;
  t.kind = TrafficKind::kFixedInterval;
  t.interval = Duration::minutes(10);
  t.start = Duration::minutes(10);
  s.endpoints[0].traffic = {t};
  MemoryRecorder memory;
  Simulation(s, 0, Recorders{nullptr, nullptr, &memory}).run();
  for (const MinuteRecord& m : memory.minutes) {
    INFO("minute " << m.index);
    REQUIRE(m.invocations == (m.index == 10 || m.index == 20 || m.index == 30 ? 1 : 0));
    REQUIRE(m.start == Time::at(Duration::minutes(m.index)));
  }
}

TEST_CASE("a cold start cut by the start timeout records the phases up to the cut", "[records]") {
  // Scheduling 100 s, container init 100 s, start timeout 150 s: scheduling runs whole, container
  // init is cut at 50 s, and the request fails at 150 s.
  Scenario s = one_endpoint(Duration::minutes(5), 1.0, Distribution::constant(0.1), 2);
  s.platform.scheduling = Distribution::constant(100.0);
  s.platform.container_init = Distribution::constant(100.0);
  s.platform.start_timeout = Duration::seconds(150);
  s.endpoints[0].traffic = {one_request_at(10)};
  MemoryRecorder memory;
  const ReplicationResult r = Simulation(s, 0, Recorders{nullptr, nullptr, &memory}).run();
  REQUIRE(memory.requests.size() == 1);
  const RequestRecord& rec = memory.requests[0];
  REQUIRE(rec.outcome == Outcome::kStartFailed);
  REQUIRE(rec.cold);
  REQUIRE(rec.phases[size_t(Phase::kScheduling)] == Duration::seconds(100));
  REQUIRE(rec.phases[size_t(Phase::kContainerInit)] == Duration::seconds(50));
  REQUIRE(rec.response == Time::at(Duration::seconds(160)));
  double total = 0.0;
  for (const double p : r.endpoints[0].phase_seconds) total += p;
  REQUIRE(total == Approx(150.0));
}

TEST_CASE("a cold request that then times out keeps its cold-start phases", "[records]") {
  Scenario s = one_endpoint(Duration::minutes(5), 1.0, Distribution::constant(100.0), 2);
  s.platform.scheduling = Distribution::constant(2.0);
  s.endpoints[0].traffic = {one_request_at(10)};
  MemoryRecorder memory;
  Simulation(s, 0, Recorders{nullptr, nullptr, &memory}).run();
  const RequestRecord& rec = memory.requests.at(0);
  REQUIRE(rec.outcome == Outcome::kTimedOut);
  REQUIRE(rec.cold);
  REQUIRE(rec.phases[size_t(Phase::kScheduling)] == Duration::seconds(2));
  REQUIRE(rec.model == Duration::seconds(60));
  REQUIRE(rec.billed_ms == 60'000);
}

TEST_CASE("requests that find every provisioned container busy follow Erlang B, served or not",
          "[records][oracle]") {
  // P = 2 provisioned, MaxConcurrency 3, λ = 20/s, S = 0.1 s: a = 2. Erlang B counts every
  // request that finds both provisioned containers busy: B(2, 2) = 2·(2/3) / (2 + 2·(2/3)) = 0.4,
  // though some of them are then throttled (only one on-demand slot), so fewer spill over.
  const Scenario s = one_endpoint(Duration::hours(10), 20.0, Distribution::exponential(0.1), 3, 2);
  const EndpointStats e = Simulation(s, 0).run().endpoints[0];
  const double busy = static_cast<double>(e.found_provisioned_busy) / e.requests;
  const double spilled = fraction(e, {Outcome::kSpilloverWarm, Outcome::kSpilloverCold});
  REQUIRE(erlang_b(2, 2.0) == Approx(0.4));
  REQUIRE(busy == Approx(0.4).epsilon(0.01));
  REQUIRE(spilled < busy - 0.05);
  REQUIRE(e.outcome(Outcome::kThrottled) > 0);
}

TEST_CASE("the account limit also blocks reusing a warm idle on-demand container", "[records]") {
  // Limit 1. Endpoint a serves a request at 10 s (its container then idles); endpoint b holds
  // the one slot from 20 s to 120 s; a's request at 50 s finds a warm container but no room in
  // the account: a new concurrent invocation is what the limit counts (DESIGN.md §1).
  Scenario s = one_endpoint(Duration::minutes(3), 1.0, Distribution::constant(1.0), 5);
  s.platform.account_concurrency_limit = 1;
  s.endpoints[0].traffic = {one_request_at(10), one_request_at(50), one_request_at(130)};
  EndpointConfig b = s.endpoints[0];
  b.name = "b";
  b.model.inference = Distribution::constant(100.0);
  b.traffic = {one_request_at(20)};
  s.endpoints.push_back(b);
  MemoryRecorder memory;
  Simulation(s, 0, Recorders{nullptr, nullptr, &memory}).run();
  std::vector<Outcome> a;
  for (const RequestRecord& r : memory.requests)
    if (r.endpoint == 0) a.push_back(r.outcome);
  REQUIRE(a == std::vector<Outcome>{Outcome::kCold, Outcome::kThrottled, Outcome::kWarm});
}

TEST_CASE("minute records add up to the summary: invocations, cold starts and cost", "[records]") {
  Scenario s = one_endpoint(Duration::minutes(47), 3.0, Distribution::exponential(0.5), 4, 1,
                            Duration::seconds(2));
  s.pricing = test_prices();
  MemoryRecorder memory;
  const ReplicationResult r = Simulation(s, 0, Recorders{nullptr, nullptr, &memory}).run();
  int64_t invocations = 0, cold = 0;
  Usage usage;
  for (const MinuteRecord& m : memory.minutes) {
    invocations += m.invocations;
    cold += m.cold_starts;
    usage += m.usage();
  }
  const EndpointStats& e = r.endpoints[0];
  REQUIRE(invocations == e.requests);
  REQUIRE(cold == e.cold_starts);
  REQUIRE(e.cold_starts > 10);
  REQUIRE(usage.provisioned_container_seconds == Approx(47 * 60.0));
  REQUIRE(compute_cost(s.pricing, 2048, usage).total() ==
          Approx(compute_cost(s.pricing, 2048, e.usage).total()).epsilon(1e-12));
}
