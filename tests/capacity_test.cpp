// Capacity as run-time state: provisioned concurrency raised and lowered during a run
// (endpoint_model.hpp), checked against a timeline derived by hand.
#include <catch2/catch.hpp>

#include "test_support.hpp"

using namespace slsim;
using namespace slsim::testing;

TEST_CASE("changing provisioned concurrency mid-run moves containers, spillover and cost",
          "[capacity]") {
  // Instant cold starts, no overhead, inference 50 s, provisioned capacity ready 10 s after it
  // is added. Provisioned concurrency 1 (container P1), then:
  //   100 s  raise to 3: P2, P3 start, ready at 110 s
  //   105 s  r1 -> P1 (warm, provisioned), busy until 155 s
  //   107 s  r2: P1 busy, P2/P3 still starting -> spills over, on-demand cold start OD1,
  //          busy until 157 s
  //   115 s  r3 -> P2 (warm, provisioned), busy until 165 s
  //   120 s  lower to 1: P3 (idle) released at once; P1 (busy) released when r1 ends, 155 s
  //   130 s  r4: P2 busy, OD1 busy -> spills over, cold start OD2, busy until 180 s
  //   160 s  r5: P1 gone, P2 busy, OD1 idle since 157 s -> spillover warm, until 210 s
  // Provisioned containers held within the 200 s scenario: P1 0–155 s, P2 100–200 s,
  // P3 100–120 s: 155 + 100 + 20 = 275 container-seconds.
  Scenario s = one_endpoint(Duration::seconds(200), 1.0, Distribution::constant(50.0), 10, 1);
  s.platform.provisioning_delay = Distribution::constant(10.0);
  s.endpoints[0].traffic = {one_request_at(105), one_request_at(107), one_request_at(115),
                            one_request_at(130), one_request_at(160)};
  s.pricing.provisioned_concurrency[1] = 1e-5;  // 2048 MB: $ per container-second
  s.pricing.provisioned_inference[1] = 2e-6;
  s.pricing.on_demand_inference[1] = 4e-5;
  s.pricing.data_processing_per_gb = 0.016;

  MemoryRecorder memory;
  Simulation sim(s, 0, Recorders{nullptr, nullptr, &memory});
  sim.run_until(Time::at(Duration::seconds(100)));
  REQUIRE(sim.endpoint(0).set_provisioned(3) == 3);
  sim.run_until(Time::at(Duration::seconds(120)));
  REQUIRE(sim.endpoint(0).set_provisioned(1) == 1);
  REQUIRE(sim.endpoint(0).capacity().provisioned == 1);
  const ReplicationResult r = sim.run();
  const EndpointStats& e = r.endpoints[0];

  REQUIRE(memory.requests.size() == 5);
  const Outcome expected[] = {Outcome::kWarm, Outcome::kSpilloverCold, Outcome::kWarm,
                              Outcome::kSpilloverCold, Outcome::kSpilloverWarm};
  for (size_t i = 0; i < 5; ++i) {
    INFO("request " << i + 1);
    REQUIRE(memory.requests[i].outcome == expected[i]);
  }
  REQUIRE(e.found_provisioned_busy == 3);
  REQUIRE(r.end == Time::at(Duration::seconds(210)));
  REQUIRE(e.usage.provisioned_container_seconds == Approx(275.0));
  REQUIRE(e.usage.provisioned_billed_seconds == Approx(100.0));  // r1 and r3
  REQUIRE(e.usage.on_demand_billed_seconds == Approx(150.0));    // r2, r4, r5
  // Held containers integrated over the whole run, drain included: P2 also 200–210 s.
  REQUIRE(e.provisioned_seconds == Approx(285.0));
  const Cost cost = compute_cost(s.pricing, 2048, e.usage);
  REQUIRE(cost.provisioned_concurrency == Approx(275 * 1e-5));
  const double data_gb = 5 * (64.0 + 16.0) / (1024.0 * 1024.0 * 1024.0);
  REQUIRE(cost.total() ==
          Approx(275 * 1e-5 + 100 * 2e-6 + 150 * 4e-5 + data_gb * 0.016).epsilon(1e-12));
}

TEST_CASE("raising provisioned concurrency keeps busy containers that were being released",
          "[capacity]") {
  Scenario s = one_endpoint(Duration::seconds(100), 1.0, Distribution::constant(50.0), 10, 2);
  s.platform.provisioning_delay = Distribution::constant(10.0);
  s.endpoints[0].traffic = {one_request_at(1), one_request_at(2)};
  Simulation sim(s, 0);
  sim.run_until(Time::at(Duration::seconds(5)));  // both provisioned containers busy
  REQUIRE(sim.endpoint(0).set_provisioned(0) == 0);
  REQUIRE(sim.endpoint(0).set_provisioned(2) == 2);  // no new container needed
  const ReplicationResult r = sim.run();
  // Held 0–100 s by both: nothing was released or started.
  REQUIRE(r.endpoints[0].usage.provisioned_container_seconds == Approx(200.0));
  REQUIRE(r.endpoints[0].provisioning_seconds == 0.0);
}

TEST_CASE("provisioned capacity is limited by room in the account pool", "[capacity]") {
  // No traffic: the pool holds only provisioned containers.
  Scenario s = one_endpoint(Duration::seconds(100), 0.0, Distribution::constant(1.0), 10, 1);
  s.platform.account_concurrency_limit = 3;
  Simulation sim(s, 0);
  sim.run_until(Time::at(Duration::seconds(1)));
  REQUIRE(sim.endpoint(0).set_provisioned(5) == 3);
  REQUIRE(sim.endpoint(0).capacity().provisioned == 3);
}
