// Load-time limits (limits.hpp) and the workload estimate (traffic_estimate.hpp).
#include "slsim/limits.hpp"

#include <catch2/catch.hpp>
#include <cmath>

#include "slsim/distribution.hpp"
#include "slsim/traffic_estimate.hpp"
#include "slsim/units.hpp"

using namespace slsim;

TEST_CASE("parse_quantity rejects infinities its unit factor creates, and values beyond limits",
          "[limits][units]") {
  // Finite as numbers, infinite once multiplied by the unit: units.hpp promises to reject them.
  REQUIRE_THAT(parse_quantity("1e308d", UnitKind::kDuration).error,
               Catch::Contains("too large to be a number"));
  REQUIRE_THAT(parse_quantity("1e300GB", UnitKind::kSize).error,
               Catch::Contains("too large to be a number"));
  REQUIRE_THAT(parse_quantity("1e400s", UnitKind::kDuration).error,
               Catch::Contains("out of the range of numbers"));
  REQUIRE_THAT(parse_quantity("11y", UnitKind::kDuration).error, Catch::Contains("unknown unit"));
  REQUIRE(parse_quantity("3650d", UnitKind::kDuration).ok());  // 10 years of 365 days
  REQUIRE_THAT(parse_quantity("3653d", UnitKind::kDuration).error,
               Catch::Contains("longer than slsim's limit of 10 years"));
  REQUIRE(parse_quantity("1048576GB", UnitKind::kSize).ok());  // 1 PB exactly
  REQUIRE_THAT(parse_quantity("1048577GB", UnitKind::kSize).error,
               Catch::Contains("larger than slsim's limit of 1 PB"));
  REQUIRE(parse_quantity("1e9/s", UnitKind::kRate).ok());
  REQUIRE_THAT(parse_quantity("1.1e9/s", UnitKind::kRate).error,
               Catch::Contains("below slsim's 1 ns clock"));
  REQUIRE(parse_quantity("0/s", UnitKind::kRate).ok());
  REQUIRE(parse_quantity("1/d", UnitKind::kRate).ok());
  REQUIRE_THAT(parse_quantity("1e-11/s", UnitKind::kRate).error,
               Catch::Contains("mean gap of 1e+11 s"));
  REQUIRE(parse_quantity("1e300", UnitKind::kPlain).ok());  // plain numbers have no limit
}

TEST_CASE("a distribution is checked at its one-in-1e12 tail, or its largest value", "[limits]") {
  REQUIRE(
      distribution_limit_problem(Distribution::lognormal_median_p99(0.19, 0.4), UnitKind::kDuration)
          .empty());
  // The p99 of 1000 days: sigma = ln(1000 d / 190 ms) / 2.326 = 8.6, so the 1 - 1e-12
  // quantile is 190 ms x e^(8.6 x 7.03) ~ 1e25 s.
  const Distribution wide = Distribution::lognormal_median_p99(0.19, 1000 * 86400.0);
  REQUIRE(tail_value(wide) > 1e20);
  REQUIRE_THAT(distribution_limit_problem(wide, UnitKind::kDuration),
               Catch::Contains("would reach") && Catch::Contains("once in 1e12 draws"));
  REQUIRE(tail_value(Distribution::uniform(1, 2)) == 2);
  REQUIRE(tail_value(Distribution::empirical_samples({3, 1, 2})) == 3);
  REQUIRE(std::isinf(tail_value(Distribution::transfer(1, 1e-320, 0))));
  // A CPU slowdown multiplies every draw.
  REQUIRE(distribution_limit_problem(Distribution::constant(1e6), UnitKind::kDuration).empty());
  REQUIRE_THAT(distribution_limit_problem(Distribution::constant(1e6), UnitKind::kDuration, 1e3),
               Catch::Contains("after the endpoint's CPU slowdown x1000"));
}

TEST_CASE("expected arrivals follow each profile's rate over its window", "[limits][traffic]") {
  const Duration hour = Duration::hours(1);
  TrafficConfig poisson;
  poisson.rate = 20;
  REQUIRE(expected_arrivals(poisson, hour).arrivals == Approx(72000));
  poisson.start = Duration::minutes(30);
  poisson.end = Duration::minutes(45);
  REQUIRE(expected_arrivals(poisson, hour).arrivals == Approx(20 * 900));

  TrafficConfig schedule;  // 1/s for 10 min, then 3/s, repeating every 30 min
  schedule.kind = TrafficKind::kSchedule;
  schedule.steps = {{Duration(), 1.0}, {Duration::minutes(10), 3.0}};
  schedule.repeat = Duration::minutes(30);
  REQUIRE(expected_arrivals(schedule, hour).arrivals == Approx(2 * (600 + 3 * 1200)));

  TrafficConfig fixed;
  fixed.kind = TrafficKind::kFixedInterval;
  fixed.interval = Duration::minutes(10);
  fixed.start = fixed.interval;
  // At 10, 20, ..., 50 min, and at 60 min, which the window [10 min, 60 min) excludes: the
  // estimate counts floor(window / interval) + 1, one more than arrive, erring high.
  REQUIRE(expected_arrivals(fixed, hour).arrivals == 6);
  fixed.count = 3;
  REQUIRE(expected_arrivals(fixed, hour).arrivals == 3);

  TrafficConfig bursts;  // on a third of the time
  bursts.kind = TrafficKind::kBursts;
  bursts.rate = 30;
  bursts.on_duration = Distribution::constant(10);
  bursts.off_duration = Distribution::constant(20);
  REQUIRE(expected_arrivals(bursts, hour).arrivals == Approx(30 * 3600 / 3.0));
  REQUIRE(expected_arrivals(bursts, hour).steps == Approx(120));
  bursts.on_duration = bursts.off_duration = Distribution::constant(0);
  REQUIRE(std::isinf(expected_arrivals(bursts, hour).work()));

  TrafficConfig loop;  // 10 clients, 1 s think time, responses of at least 0.25 s
  loop.kind = TrafficKind::kClosedLoop;
  loop.clients = 10;
  loop.think_time = Distribution::constant(1.0);
  REQUIRE(expected_arrivals(loop, hour, 0.25).arrivals == Approx(10 * 3600 / 1.25));
}

TEST_CASE("the workload limit counts every profile and replication", "[limits][traffic]") {
  Scenario s;
  s.duration = Duration::hours(1);
  EndpointConfig ep;
  TrafficConfig t;
  t.rate = 1e6;  // 3.6e9 per hour
  ep.traffic = {t, t};
  s.endpoints = {ep};
  REQUIRE(expected_work(s) == Approx(7.2e9));
  REQUIRE(workload_problem(s).empty());
  s.replications = 20;  // 1.44e11
  REQUIRE_THAT(workload_problem(s), Catch::Contains("about 1.44e+11 requests (20 replications"));
}
