#include "slsim/latency_histogram.hpp"

#include <algorithm>
#include <cmath>

namespace slsim {

namespace bh = boost::histogram;

double LatencyHistogram::max_relative_error() {
  return std::sqrt(1.0 + 1.0 / (1 << kSubBinBits)) - 1.0;
}

double LatencyHistogram::lower_edge(int bin) {
  return std::bit_cast<double>((kLowestKey + static_cast<uint64_t>(bin)) << (52 - kSubBinBits));
}

LatencyHistogram::LatencyHistogram()
    : hist_(bh::make_histogram_with(bh::dense_storage<uint64_t>(), Axis(0, kBins))) {}

void LatencyHistogram::merge(const LatencyHistogram& other) {
  hist_ += other.hist_;
  count_ += other.count_;
  sum_ += other.sum_;
  max_ = std::max(max_, other.max_);
  min_ = std::min(min_, other.min_);
}

double LatencyHistogram::mean() const { return count_ ? sum_ / count_ : std::nan(""); }
double LatencyHistogram::max() const { return count_ ? max_ : std::nan(""); }
double LatencyHistogram::min() const { return count_ ? min_ : std::nan(""); }

double LatencyHistogram::quantile(double p) const {
  if (count_ == 0) return std::nan("");
  const uint64_t rank = std::max<uint64_t>(1, static_cast<uint64_t>(std::ceil(p * count_)));
  if (rank >= count_) return max_;  // the largest value is known exactly
  uint64_t seen = 0;
  for (auto&& cell : bh::indexed(hist_, bh::coverage::all)) {
    seen += *cell;
    if (seen >= rank) {
      const int index = cell.index();
      if (index < 0) return min_;
      if (index >= kBins) return max_;
      const double middle = std::sqrt(lower_edge(index) * lower_edge(index + 1));
      return std::clamp(middle, min_, max_);
    }
  }
  return max_;
}

std::vector<LatencyHistogram::Bin> LatencyHistogram::nonempty_bins() const {
  std::vector<Bin> bins;
  for (auto&& cell : bh::indexed(hist_, bh::coverage::all)) {
    if (*cell == 0) continue;
    const int index = cell.index();
    const double lower = index < 0 ? -INFINITY : lower_edge(index);
    const double upper = index >= kBins ? INFINITY : lower_edge(index + 1);
    bins.push_back(Bin{lower, upper, static_cast<uint64_t>(*cell)});
  }
  return bins;
}

}  // namespace slsim
