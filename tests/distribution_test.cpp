#include "slsim/distribution.hpp"

#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <vector>

#include "slsim/yaml_reader.hpp"

using namespace slsim;

namespace {

std::vector<double> draw(const Distribution& d, int n, uint64_t seed = 9) {
  RandomStream r(seed, 0, "dist");
  std::vector<double> xs(n);
  for (auto& x : xs) x = d.sample(r);
  std::sort(xs.begin(), xs.end());
  return xs;
}

double sample_mean(const std::vector<double>& xs) {
  double s = 0;
  for (double x : xs) s += x;
  return s / xs.size();
}

double sample_quantile(const std::vector<double>& sorted, double p) {
  return sorted[static_cast<size_t>(p * (sorted.size() - 1))];
}

}  // namespace

TEST_CASE("every distribution's samples match its analytic mean and quantiles", "[distribution]") {
  const std::pair<const char*, Distribution> cases[] = {
      {"uniform", Distribution::uniform(1.0, 3.0)},
      {"exponential", Distribution::exponential(2.0)},
      {"normal truncated at 0", Distribution::normal(1.0, 1.0)},
      {"lognormal median/p99", Distribution::lognormal_median_p99(0.2, 0.8)},
      {"lognormal mean/sd", Distribution::lognormal_mean_sd(3.24, 7.10)},
      {"gamma shape 2.5", Distribution::gamma(2.5, 0.4)},
      {"gamma shape 0.5", Distribution::gamma(0.5, 2.0)},
      {"weibull", Distribution::weibull(0.8, 1.5)},
  };
  for (const auto& [name, d] : cases) {
    SECTION(name) {
      const auto xs = draw(d, 400000);
      REQUIRE(xs.front() >= 0.0);
      const double tolerance = d.kind() == DistributionKind::kLognormal ? 0.04 : 0.01;
      REQUIRE(sample_mean(xs) == Approx(d.mean()).epsilon(tolerance));
      for (double p : {0.1, 0.5, 0.9, 0.99})
        REQUIRE(sample_quantile(xs, p) == Approx(d.quantile(p)).epsilon(0.02).margin(1e-3));
    }
  }
}

TEST_CASE("lognormal given median and p99 has exactly that median and p99", "[distribution]") {
  const Distribution d = Distribution::lognormal_median_p99(0.150, 0.400);
  REQUIRE(d.quantile(0.5) == Approx(0.150));
  REQUIRE(d.quantile(0.99) == Approx(0.400));
}

TEST_CASE("lognormal given mean and sd has that mean (Huawei cold-start fit 3.24 s / 7.10 s)",
          "[distribution]") {
  REQUIRE(Distribution::lognormal_mean_sd(3.24, 7.10).mean() == Approx(3.24));
}

TEST_CASE("an empirical quantile table is reproduced by sampling", "[distribution]") {
  const Distribution d = Distribution::empirical_quantiles({0.0, 0.5, 0.9, 0.99, 1.0},
                                                           {0.001, 0.002, 0.004, 0.010, 0.020});
  const auto xs = draw(d, 200000);
  REQUIRE(sample_quantile(xs, 0.5) == Approx(0.002).epsilon(0.02));
  REQUIRE(sample_quantile(xs, 0.9) == Approx(0.004).epsilon(0.02));
  REQUIRE(sample_quantile(xs, 0.99) == Approx(0.010).epsilon(0.02));
}

TEST_CASE("empirical samples interpolate between order statistics", "[distribution]") {
  const Distribution d = Distribution::empirical_samples({3.0, 1.0, 2.0});
  REQUIRE(d.quantile(0.0) == 1.0);
  REQUIRE(d.quantile(0.25) == Approx(1.5));
  REQUIRE(d.quantile(1.0) == 3.0);
  REQUIRE(d.mean() == Approx(2.0));
}

TEST_CASE("a transfer takes first-byte latency plus size over bandwidth", "[distribution]") {
  RandomStream r(1, 0, "t");
  REQUIRE(Distribution::transfer(100e6, 50e6, 0.05).sample(r) == Approx(2.05));
}

TEST_CASE("empirical distributions read from CSV: samples, or a quantile table", "[distribution]") {
  const auto dir =
      std::filesystem::temp_directory_path() / ("slsim-csv-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "q.csv") << "p,latency_ms\n0,1\n0.5,2\n0.99,10\n1,20\n";
  std::ofstream(dir / "short.csv") << "a,b\n1,2\n3\n";
  std::ofstream(dir / "s.yaml")
      << "a: {empirical: {file: q.csv, column: latency_ms, unit: ms}}\n"
         "b: {empirical: {file: q.csv, probability_column: p, column: latency_ms, unit: ms}}\n"
         "c: {empirical: {file: short.csv, column: b, unit: ms}}\n";
  YamlReader reader((dir / "s.yaml").string());
  const YAML::Node root = YAML::LoadFile((dir / "s.yaml").string());
  const auto samples = reader.distribution(root, "a", UnitKind::kDuration);
  const auto table = reader.distribution(root, "b", UnitKind::kDuration);
  REQUIRE(samples);
  REQUIRE(table);
  REQUIRE(samples->quantile(0.0) == Approx(0.001));
  REQUIRE(samples->quantile(1.0) == Approx(0.020));
  REQUIRE(table->quantile(0.5) == Approx(0.002));
  REQUIRE(table->quantile(0.99) == Approx(0.010));
  REQUIRE_FALSE(reader.distribution(root, "c", UnitKind::kDuration));
  REQUIRE_THAT(reader.errors().back(),
               Catch::Contains("short.csv:3:2: the row has 1 cells, but column 'b' is cell 2"));
  std::filesystem::remove_all(dir);
}
