// Latency distribution in bounded memory: a Boost.Histogram of log-linear bins from 2^-20 s
// (0.95 µs) to 2^10 s (1024 s). Each power of two is split into 64 equal bins (as in HDR
// histograms), so a bin spans at most a ratio of 1 + 1/64 and reporting its geometric middle is
// off by at most sqrt(1 + 1/64) − 1 = 0.78 %. The bin of a value comes from the bits of its
// IEEE-754 double (exponent and the top 6 mantissa bits): no logarithm per sample. Mean and max
// are tracked exactly; values outside the range go to under/overflow bins, and their quantiles
// are the exact min/max.
#pragma once

#include <bit>
#include <boost/histogram.hpp>
#include <cstdint>
#include <limits>
#include <vector>

namespace slsim {

class LatencyHistogram {
 public:
  static constexpr int kSubBinBits = 6;  // 64 bins per power of two
  static constexpr int kLowestPower = -20;
  static constexpr int kHighestPower = 10;
  static constexpr int kBins = (kHighestPower - kLowestPower) << kSubBinBits;
  // Largest relative error of a reported quantile inside the range: sqrt(1 + 2^-6) − 1.
  static double max_relative_error();

  LatencyHistogram();

  void add(double seconds) {
    hist_(bin_of(seconds));
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

  // The bin index of `seconds`: < 0 below the range, >= kBins above it (and for NaN).
  static int bin_of(double seconds) {
    if (!(seconds >= kLowest)) return seconds < kLowest ? -1 : kBins;  // small, negative; NaN
    if (seconds >= kHighest) return kBins;
    const uint64_t key = std::bit_cast<uint64_t>(seconds) >> (52 - kSubBinBits);
    return static_cast<int>(key - kLowestKey);
  }
  static double lower_edge(int bin);  // REQUIRES: 0 <= bin <= kBins

 private:
  static constexpr double kLowest = 1.0 / (1 << -kLowestPower);  // 2^-20
  static constexpr double kHighest = 1 << kHighestPower;         // 2^10
  static constexpr uint64_t kLowestKey = std::bit_cast<uint64_t>(kLowest) >> (52 - kSubBinBits);

  using Axis = boost::histogram::axis::integer<int>;  // with under- and overflow bins
  using Hist =
      boost::histogram::histogram<std::tuple<Axis>, boost::histogram::dense_storage<uint64_t>>;
  Hist hist_;
  uint64_t count_ = 0;
  double sum_ = 0.0;
  double max_ = -std::numeric_limits<double>::infinity();
  double min_ = std::numeric_limits<double>::infinity();
};

}  // namespace slsim
