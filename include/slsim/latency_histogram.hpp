// Latency distribution in bounded memory: a Boost.Histogram with log-spaced bins from 1 µs to
// 1000 s, 116 bins per decade. A bin spans a ratio r = 10^(1/116) = 1.0200; reporting its
// geometric midpoint is off by at most sqrt(r) − 1 = 0.998 % (the issue's ≤ 1 % bound). Mean and
// max are tracked exactly; values outside the range go to under/overflow bins and their quantiles
// are clamped to the exact min/max.
#pragma once

#include <boost/histogram.hpp>
#include <cstdint>
#include <limits>
#include <vector>

namespace slsim {

class LatencyHistogram {
 public:
  static constexpr int kBinsPerDecade = 116;
  static constexpr double kLowest = 1e-6;  // seconds
  static constexpr double kHighest = 1e3;  // seconds
  static constexpr int kBins = 9 * kBinsPerDecade;
  // Largest relative error of a reported quantile inside the range: sqrt(r) - 1.
  static double max_relative_error();

  LatencyHistogram();

  void add(double seconds) {
    hist_(seconds);
    ++count_;
    sum_ += seconds;
    if (seconds > max_) max_ = seconds;
    if (seconds < min_) min_ = seconds;
  }
  void merge(const LatencyHistogram& other);

  uint64_t count() const { return count_; }
  double sum() const { return sum_; }
  double mean() const;  // NaN when empty
  double max() const;   // NaN when empty
  double min() const;   // NaN when empty
  // Nearest-rank quantile: the geometric middle of the bin holding the ceil(p·n)-th value,
  // clamped to [min, max]. NaN when empty. REQUIRES: 0 <= p <= 1.
  double quantile(double p) const;

  struct Bin {
    double lower;  // seconds; -inf / +inf bounds for under/overflow
    double upper;
    uint64_t count;
  };
  // The non-empty bins in increasing order, under/overflow included.
  std::vector<Bin> nonempty_bins() const;

 private:
  using Axis = boost::histogram::axis::regular<double, boost::histogram::axis::transform::log>;
  using Hist =
      boost::histogram::histogram<std::tuple<Axis>, boost::histogram::dense_storage<uint64_t>>;
  Hist hist_;
  uint64_t count_ = 0;
  double sum_ = 0.0;
  double max_ = -std::numeric_limits<double>::infinity();
  double min_ = std::numeric_limits<double>::infinity();
};

}  // namespace slsim
