#include "slsim/distribution.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/math/distributions/gamma.hpp>
#include <boost/math/distributions/lognormal.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/weibull.hpp>
#include <cmath>
#include <numbers>
#include <stdexcept>
#include <utility>

namespace slsim {

Distribution Distribution::make(DistributionKind kind, double a, double b, double c) {
  Distribution d;
  d.kind_ = kind;
  d.a_ = a;
  d.b_ = b;
  d.c_ = c;
  return d;
}

Distribution Distribution::constant(double value) {
  return make(DistributionKind::kConstant, value);
}

Distribution Distribution::uniform(double low, double high) {
  return make(DistributionKind::kUniform, low, high);
}

Distribution Distribution::exponential(double mean) {
  return make(DistributionKind::kExponential, mean);
}

Distribution Distribution::normal(double mean, double sd) {
  return make(DistributionKind::kNormal, mean, sd);
}

Distribution Distribution::lognormal_median_p99(double median, double p99) {
  // X = exp(mu + sigma Z): median = e^mu, p99 = e^(mu + sigma z_0.99).
  const double z99 = boost::math::quantile(boost::math::normal(), 0.99);
  return make(DistributionKind::kLognormal, std::log(median), std::log(p99 / median) / z99);
}

Distribution Distribution::lognormal_mean_sd(double mean, double sd) {
  // E[X] = e^(mu + sigma^2/2), Var[X] = (e^(sigma^2) - 1) E[X]^2.
  const double sigma2 = std::log1p((sd * sd) / (mean * mean));
  return make(DistributionKind::kLognormal, std::log(mean) - sigma2 / 2.0, std::sqrt(sigma2));
}

Distribution Distribution::gamma(double shape, double scale) {
  return make(DistributionKind::kGamma, shape, scale);
}

Distribution Distribution::weibull(double shape, double scale) {
  return make(DistributionKind::kWeibull, shape, scale);
}

Distribution Distribution::empirical_quantiles(std::vector<double> probabilities,
                                               std::vector<double> values) {
  Distribution d = make(DistributionKind::kEmpirical);
  d.probabilities_ = std::move(probabilities);
  d.values_ = std::move(values);
  return d;
}

Distribution Distribution::empirical_samples(std::vector<double> samples) {
  std::sort(samples.begin(), samples.end());
  std::vector<double> p(samples.size());
  const size_t n = samples.size();
  for (size_t i = 0; i < n; ++i) p[i] = n == 1 ? 1.0 : static_cast<double>(i) / (n - 1);
  Distribution d = empirical_quantiles(std::move(p), std::move(samples));
  d.uniform_grid_ = true;
  return d;
}

Distribution Distribution::transfer(double size_bytes, double bandwidth, double first_byte) {
  return make(DistributionKind::kTransfer, size_bytes, bandwidth, first_byte);
}

double Distribution::standard_normal(RandomStream& rng) { return rng.standard_normal(); }

double Distribution::sample_gamma(RandomStream& rng) const {
  // Marsaglia & Tsang (2000), "A simple method for generating gamma variables"; for shape < 1
  // the boost G(a) = G(a+1) U^(1/a).
  const double shape = a_ < 1.0 ? a_ + 1.0 : a_;
  const double d = shape - 1.0 / 3.0;
  const double c = 1.0 / std::sqrt(9.0 * d);
  double x = 0.0;
  for (;;) {
    double z = 0.0, v = 0.0;
    do {
      z = standard_normal(rng);
      v = 1.0 + c * z;
    } while (v <= 0.0);
    v = v * v * v;
    const double u = rng.uniform_open();
    if (std::log(u) < 0.5 * z * z + d - d * v + d * std::log(v)) {
      x = d * v;
      break;
    }
  }
  if (a_ < 1.0) x *= std::pow(rng.uniform_open(), 1.0 / a_);
  return x * b_;
}

double Distribution::quantile(double p) const {
  switch (kind_) {
    case DistributionKind::kConstant:
      return a_;
    case DistributionKind::kUniform:
      return a_ + (b_ - a_) * p;
    case DistributionKind::kExponential:
      return -a_ * std::log1p(-std::min(p, 1.0 - 1e-16));
    case DistributionKind::kNormal: {
      if (b_ == 0.0) return a_;
      // Quantile of the normal truncated to [0, inf).
      const boost::math::normal n(a_, b_);
      const double f0 = boost::math::cdf(n, 0.0);
      return boost::math::quantile(n, std::min(f0 + p * (1.0 - f0), 1.0 - 1e-16));
    }
    case DistributionKind::kLognormal:
      if (b_ == 0.0) return std::exp(a_);
      return boost::math::quantile(boost::math::lognormal(a_, b_),
                                   std::clamp(p, 1e-16, 1.0 - 1e-16));
    case DistributionKind::kGamma:
      return boost::math::quantile(boost::math::gamma_distribution<>(a_, b_),
                                   std::clamp(p, 1e-16, 1.0 - 1e-16));
    case DistributionKind::kWeibull:
      return b_ * std::pow(-std::log1p(-std::min(p, 1.0 - 1e-16)), 1.0 / a_);
    case DistributionKind::kTransfer:
      return c_ + a_ / b_;
    case DistributionKind::kEmpirical: {
      const auto& ps = probabilities_;
      if (p <= ps.front()) return values_.front();
      if (p >= ps.back()) return values_.back();
      size_t i = 0;
      if (uniform_grid_) {
        i = std::min(static_cast<size_t>(p * (ps.size() - 1)), ps.size() - 2);
      } else {
        i = static_cast<size_t>(std::upper_bound(ps.begin(), ps.end(), p) - ps.begin()) - 1;
      }
      const double t = (p - ps[i]) / (ps[i + 1] - ps[i]);
      return values_[i] + t * (values_[i + 1] - values_[i]);
    }
  }
  return 0.0;
}

double Distribution::sample_random(RandomStream& rng) const {
  switch (kind_) {
    case DistributionKind::kConstant:
      return a_;
    case DistributionKind::kUniform:
      return a_ + (b_ - a_) * rng.uniform_open();
    case DistributionKind::kExponential:
      return a_ * rng.exponential();
    case DistributionKind::kNormal: {
      for (;;) {
        const double x = a_ + b_ * standard_normal(rng);
        if (x >= 0.0) return x;
      }
    }
    case DistributionKind::kLognormal:
      return std::exp(a_ + b_ * standard_normal(rng));
    case DistributionKind::kGamma:
      return sample_gamma(rng);
    case DistributionKind::kWeibull:
      return b_ * std::pow(rng.exponential(), 1.0 / a_);
    case DistributionKind::kTransfer:
      return c_ + a_ / b_;
    case DistributionKind::kEmpirical:
      return quantile(rng.uniform_open());
  }
  return 0.0;
}

double Distribution::mean() const {
  switch (kind_) {
    case DistributionKind::kConstant:
      return a_;
    case DistributionKind::kUniform:
      return (a_ + b_) / 2.0;
    case DistributionKind::kExponential:
      return a_;
    case DistributionKind::kNormal: {
      if (b_ == 0.0) return a_;
      // Mean of N(a, b) truncated to [0, inf): a + b phi(alpha) / (1 - Phi(alpha)), alpha = -a/b.
      const boost::math::normal std_normal;
      const double alpha = -a_ / b_;
      return a_ + b_ * boost::math::pdf(std_normal, alpha) /
                      boost::math::cdf(complement(std_normal, alpha));
    }
    case DistributionKind::kLognormal:
      return std::exp(a_ + b_ * b_ / 2.0);
    case DistributionKind::kGamma:
      return a_ * b_;
    case DistributionKind::kWeibull:
      return b_ * std::tgamma(1.0 + 1.0 / a_);
    case DistributionKind::kTransfer:
      return c_ + a_ / b_;
    case DistributionKind::kEmpirical: {
      // Integral of the piecewise-linear inverse CDF, plus the flat ends.
      double m =
          probabilities_.front() * values_.front() + (1.0 - probabilities_.back()) * values_.back();
      for (size_t i = 0; i + 1 < values_.size(); ++i)
        m += (probabilities_[i + 1] - probabilities_[i]) * (values_[i] + values_[i + 1]) / 2.0;
      return m;
    }
  }
  return 0.0;
}

std::string Distribution::describe() const {
  switch (kind_) {
    case DistributionKind::kConstant:
      return fmt::format("constant {:g}", a_);
    case DistributionKind::kUniform:
      return fmt::format("uniform [{:g}, {:g}]", a_, b_);
    case DistributionKind::kExponential:
      return fmt::format("exponential mean {:g}", a_);
    case DistributionKind::kNormal:
      return fmt::format("normal mean {:g} sd {:g} (>= 0)", a_, b_);
    case DistributionKind::kLognormal:
      return fmt::format("lognormal mu {:g} sigma {:g}", a_, b_);
    case DistributionKind::kGamma:
      return fmt::format("gamma shape {:g} scale {:g}", a_, b_);
    case DistributionKind::kWeibull:
      return fmt::format("weibull shape {:g} scale {:g}", a_, b_);
    case DistributionKind::kEmpirical:
      return fmt::format("empirical, {} points", values_.size());
    case DistributionKind::kTransfer:
      return fmt::format("transfer {:g} B at {:g} B/s + {:g}", a_, b_, c_);
  }
  return "?";
}

}  // namespace slsim
