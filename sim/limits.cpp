#include "slsim/limits.hpp"

#include <fmt/format.h>

#include <cmath>
#include <exception>
#include <limits>

#include "slsim/distribution.hpp"

namespace slsim {
namespace {

bool bounded(DistributionKind kind) {
  return kind == DistributionKind::kConstant || kind == DistributionKind::kUniform ||
         kind == DistributionKind::kEmpirical || kind == DistributionKind::kTransfer;
}

std::string amount(double value, UnitKind kind) {
  switch (kind) {
    case UnitKind::kDuration:
      return fmt::format("{:.4g} s", value);
    case UnitKind::kSize:
      return fmt::format("{:.4g} bytes", value);
    case UnitKind::kBandwidth:
      return fmt::format("{:.4g} B/s", value);
    case UnitKind::kRate:
      return fmt::format("{:.4g}/s", value);
    case UnitKind::kPlain:
      break;
  }
  return fmt::format("{:.4g}", value);
}

}  // namespace

std::string limit_problem(double value, UnitKind kind) {
  if (!std::isfinite(value)) return fmt::format("{} is not a finite number", value);
  switch (kind) {
    case UnitKind::kDuration:
      if (value > kMaxDurationSeconds)
        return fmt::format(
            "{:.4g} s is longer than slsim's limit of 10 years ({:.4g} s), which keeps every sum "
            "of durations on its nanosecond clock",
            value, kMaxDurationSeconds);
      break;
    case UnitKind::kSize:
      if (value > kMaxSizeBytes)
        return fmt::format("{:.4g} bytes is larger than slsim's limit of 1 PB ({:.4g} bytes)",
                           value, kMaxSizeBytes);
      break;
    case UnitKind::kRate:
      if (value > 0.0 && 1.0 / value > kMaxDurationSeconds)
        return fmt::format(
            "a rate of {:.4g}/s has a mean gap of {:.4g} s, longer than slsim's limit of 10 years "
            "for any duration (write 0/s for no requests)",
            value, 1.0 / value);
      if (value > kMaxRatePerSecond)
        return fmt::format(
            "a rate of {:.4g}/s has a mean gap of {:.3g} ns, below slsim's 1 ns clock (at most "
            "1e9/s)",
            value, 1e9 / value);
      break;
    case UnitKind::kBandwidth:
    case UnitKind::kPlain:
      break;
  }
  return "";
}

double tail_value(const Distribution& d) {
  try {
    const double v = d.quantile(bounded(d.kind()) ? 1.0 : 1.0 - kTailProbability);
    return std::isfinite(v) ? v : std::numeric_limits<double>::infinity();
  } catch (const std::exception&) {  // Boost.Math reports parameters out of its domain so
    return std::numeric_limits<double>::infinity();
  }
}

std::string distribution_limit_problem(const Distribution& d, UnitKind kind, double scale) {
  const double tail = tail_value(d) * scale;
  if (!std::isfinite(tail))
    return "its values are not finite numbers (its parameters are too extreme; make them "
           "smaller)";
  const std::string problem = limit_problem(tail, kind);
  if (problem.empty()) return "";
  const std::string scaled =
      scale == 1.0 ? "" : fmt::format(" after the endpoint's CPU slowdown x{:.4g}", scale);
  if (bounded(d.kind()))
    return fmt::format("its largest value{} is {}: {}", scaled, amount(tail, kind), problem);
  return fmt::format(
      "its draws{} would reach {} (once in 1e12 draws): {}; make its tail shorter (a smaller "
      "p99, sd or scale)",
      scaled, amount(tail, kind), problem);
}

}  // namespace slsim
