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

TEST_CASE("a value's bin, taken from its bits, lies between the bin's edges", "[histogram]") {
  RandomStream r(5, 0, "edges");
  for (int i = 0; i < 100000; ++i) {
    // Log-uniform over the whole range, 2^-20 .. 2^10 s.
    const double x = std::exp2(-20.0 + 30.0 * r.uniform_open());
    const int bin = LatencyHistogram::bin_of(x);
    REQUIRE(bin >= 0);
    REQUIRE(bin < LatencyHistogram::kBins);
    REQUIRE(LatencyHistogram::lower_edge(bin) <= x);
    REQUIRE(x < LatencyHistogram::lower_edge(bin + 1));
    REQUIRE(LatencyHistogram::lower_edge(bin + 1) / LatencyHistogram::lower_edge(bin) <=
            1.0 + 1.0 / 64 + 1e-12);
  }
  REQUIRE(LatencyHistogram::bin_of(0.0) < 0);
  REQUIRE(LatencyHistogram::bin_of(std::nan("")) >= LatencyHistogram::kBins);
  REQUIRE(LatencyHistogram::bin_of(1e9) >= LatencyHistogram::kBins);
  REQUIRE(LatencyHistogram::lower_edge(LatencyHistogram::kBins) == 1024.0);
}
