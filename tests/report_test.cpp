// Figures across replications (report.hpp): defined-in counts, confidence intervals, one shape.
#include <catch2/catch.hpp>
#include <cmath>

#include "test_support.hpp"

using namespace slsim;
using namespace slsim::testing;

TEST_CASE("a figure undefined in a replication is left out of its mean and counted in n",
          "[report]") {
  // Poisson 1/h for 1 h, 10 replications: some replications have no request at all. Their
  // cold-start rate is undefined (0 of 0), not 0: the mean is over the others.
  Scenario s = one_endpoint(Duration::hours(1), 1.0 / 3600.0, Distribution::constant(0.1), 5);
  s.replications = 10;
  const Report r = run_report(s);
  const Figure* requests = r.find(r.endpoints[0], "requests");
  const Figure* rate = r.find(r.endpoints[0], "cold_start_rate");
  REQUIRE(requests->n == 10);
  int64_t empty = 0;
  double rate_sum = 0.0;
  // Recompute from the replications one by one.
  for (int k = 0; k < 10; ++k) {
    Scenario one = s;
    one.replications = 1;
    const EndpointStats e = Simulation(one, static_cast<uint64_t>(k)).run().endpoints[0];
    if (e.requests == 0)
      ++empty;
    else
      rate_sum += static_cast<double>(e.cold_starts) / e.requests;
  }
  REQUIRE(empty > 0);
  REQUIRE(rate->n == 10 - empty);
  REQUIRE(rate->mean() == Approx(rate_sum / (10 - empty)));
}

TEST_CASE("summary.json gives every figure as mean, ci95 and n, with null where undefined",
          "[report]") {
  const Scenario s = one_endpoint(Duration::minutes(10), 1.0, Distribution::constant(0.1), 5);
  const std::string one = summary_json(run_report(s));
  REQUIRE_THAT(one, Catch::Contains("\"requests\": {\"mean\": "));
  REQUIRE_THAT(one, Catch::Contains("\"ci95\": null, \"n\": 1}"));
  Scenario many = s;
  many.replications = 3;
  const std::string three = summary_json(run_report(many));
  REQUIRE_THAT(three, Catch::Contains("\"n\": 3}"));
  REQUIRE_THAT(three, Catch::Contains("\"latency_cold_s\": {\n"));
}

TEST_CASE("Welford's figures match the two-pass mean and Student-t interval", "[report]") {
  Figure f{"x"};
  for (const double v : {1.0, 2.0, 4.0, std::nan(""), 7.0}) f.add(v);
  REQUIRE(f.n == 4);
  REQUIRE(f.mean() == Approx(3.5));
  // sd = sqrt(((2.5² + 1.5² + 0.5² + 3.5²) / 3) = 2.6458; t(0.975, 3) = 3.1824;
  // ci = 3.1824 × 2.6458 / 2 = 4.2100.
  REQUIRE(f.ci95() == Approx(4.2100).epsilon(1e-4));
  Figure single{"y"};
  single.add(5.0);
  REQUIRE(std::isnan(single.ci95()));
}
