#include "slsim/latency_histogram.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "slsim/distribution.hpp"

using namespace slsim;

TEST_CASE("histogram quantiles are within 1 % of the exact sample quantiles", "[histogram]") {
  REQUIRE(LatencyHistogram::max_relative_error() <= 0.01);
  const Distribution d = Distribution::lognormal_median_p99(0.2, 6.0);
  RandomStream r(3, 0, "h");
  LatencyHistogram h;
  std::vector<double> xs(200000);
  for (auto& x : xs) {
    x = d.sample(r);
    h.add(x);
  }
  std::sort(xs.begin(), xs.end());
  for (double p : {0.01, 0.5, 0.9, 0.99, 0.999}) {
    const double exact = xs[static_cast<size_t>(std::ceil(p * xs.size())) - 1];
    REQUIRE(h.quantile(p) == Approx(exact).epsilon(0.01));
  }
  REQUIRE(h.max() == xs.back());
  REQUIRE(h.quantile(1.0) == xs.back());
}

TEST_CASE("an empty histogram reports NaN, and merging adds counts", "[histogram]") {
  LatencyHistogram a, b;
  REQUIRE(std::isnan(a.quantile(0.5)));
  a.add(0.1);
  b.add(0.2);
  b.add(2000.0);  // overflow bin: quantile clamps to the exact max
  a.merge(b);
  REQUIRE(a.count() == 3);
  REQUIRE(a.quantile(1.0) == 2000.0);
  REQUIRE(a.mean() == Approx((0.1 + 0.2 + 2000.0) / 3));
}
