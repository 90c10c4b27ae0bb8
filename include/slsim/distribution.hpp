// A univariate, non-negative distribution of a quantity in base units (seconds or bytes), as a
// scenario declares it. A plain value type: a `kind` and its parameters, sampled by a switch, so
// the per-event path has no virtual call and no allocation.
//
// YAML forms (see scenarios/README.md): `250ms` (constant), `{uniform: [a, b]}`,
// `{exponential: {mean}}`, `{normal: {mean, sd}}` (truncated at 0), `{lognormal: {median, p99}}`
// or `{lognormal: {mean, sd}}`, `{gamma: {shape, scale}}` or `{gamma: {mean, sd}}`,
// `{weibull: {shape, scale}}`, `{empirical: {samples: [...]}}`, `{empirical: {quantiles:
// {0.5: x, 0.99: y}}}`, `{empirical: {file, column, unit}}`, `{transfer: {size, bandwidth,
// first_byte}}`.
#pragma once

#include <string>
#include <vector>

#include "slsim/random.hpp"

namespace slsim {

enum class DistributionKind {
  kConstant,
  kUniform,
  kExponential,
  kNormal,
  kLognormal,
  kGamma,
  kWeibull,
  kEmpirical,
  kTransfer,
};

class Distribution {
 public:
  Distribution() = default;

  static Distribution constant(double value);
  static Distribution uniform(double low, double high);
  static Distribution exponential(double mean);
  // Normal(mean, sd) truncated at 0 by rejection. REQUIRES: mean >= 0 (acceptance >= 50 %).
  static Distribution normal(double mean, double sd);
  // LogNormal with the given median and 99th percentile. REQUIRES: 0 < median <= p99.
  static Distribution lognormal_median_p99(double median, double p99);
  // LogNormal with the given mean and standard deviation of the variable itself (not its log).
  static Distribution lognormal_mean_sd(double mean, double sd);
  static Distribution gamma(double shape, double scale);
  static Distribution weibull(double shape, double scale);
  // Inverse-CDF sampling, linear between the points of a quantile table. `probabilities` are
  // strictly increasing in [0, 1]; below the first and above the last point the end value holds.
  static Distribution empirical_quantiles(std::vector<double> probabilities,
                                          std::vector<double> values);
  // The empirical distribution of `samples` (any order), interpolated between order statistics.
  static Distribution empirical_samples(std::vector<double> samples);
  // Time to move `size_bytes` at `bandwidth` bytes/s after a fixed `first_byte` latency (s).
  static Distribution transfer(double size_bytes, double bandwidth, double first_byte);

  double sample(RandomStream& rng) const {
    return kind_ == DistributionKind::kConstant ? a_ : sample_random(rng);
  }
  // Exact mean (for the normal: of the distribution truncated at 0).
  double mean() const;
  // Exact quantile, p in [0, 1].
  double quantile(double p) const;
  DistributionKind kind() const { return kind_; }
  std::string describe() const;

 private:
  static Distribution make(DistributionKind kind, double a = 0.0, double b = 0.0, double c = 0.0);
  double sample_random(RandomStream& rng) const;  // every kind but a constant
  double sample_gamma(RandomStream& rng) const;
  static double standard_normal(RandomStream& rng);

  DistributionKind kind_ = DistributionKind::kConstant;
  double a_ = 0.0;  // constant value, low, mean, mu, shape, size
  double b_ = 0.0;  // high, sd, sigma, scale, bandwidth
  double c_ = 0.0;  // transfer first-byte latency
  std::vector<double> probabilities_;
  std::vector<double> values_;
  bool uniform_grid_ = false;  // probabilities_ are i/(n-1): O(1) lookup
};

}  // namespace slsim
