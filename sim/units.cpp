#include "slsim/units.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <utility>

#include "slsim/limits.hpp"

namespace slsim {
namespace {

struct UnitFactor {
  std::string_view name;
  double factor;
};

constexpr double kKiB = 1024.0;
constexpr std::array kDurationUnits = {
    UnitFactor{"ns", 1e-9},  UnitFactor{"us", 1e-6},  UnitFactor{"ms", 1e-3},  UnitFactor{"s", 1.0},
    UnitFactor{"min", 60.0}, UnitFactor{"h", 3600.0}, UnitFactor{"d", 86400.0}};
constexpr std::array kSizeUnits = {UnitFactor{"B", 1.0},
                                   UnitFactor{"KB", kKiB},
                                   UnitFactor{"KiB", kKiB},
                                   UnitFactor{"MB", kKiB* kKiB},
                                   UnitFactor{"MiB", kKiB* kKiB},
                                   UnitFactor{"GB", kKiB* kKiB* kKiB},
                                   UnitFactor{"GiB", kKiB* kKiB* kKiB}};
constexpr std::array kRateUnits = {UnitFactor{"/s", 1.0}, UnitFactor{"/min", 1.0 / 60.0},
                                   UnitFactor{"/h", 1.0 / 3600.0}, UnitFactor{"/d", 1.0 / 86400.0}};

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Splits "1.5 GB" into the number and the unit text.
std::pair<std::string_view, std::string_view> split_number(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.' ||
                          s[i] == '-' || s[i] == '+' || s[i] == 'e' || s[i] == 'E')) {
    // 'e' only counts as an exponent when a digit or sign follows it.
    if ((s[i] == 'e' || s[i] == 'E') &&
        (i + 1 >= s.size() || !(std::isdigit(static_cast<unsigned char>(s[i + 1])) ||
                                s[i + 1] == '-' || s[i + 1] == '+')))
      break;
    ++i;
  }
  return {s.substr(0, i), trim(s.substr(i))};
}

template <size_t N>
const UnitFactor* find_unit(const std::array<UnitFactor, N>& units, std::string_view name) {
  for (const auto& u : units)
    if (u.name == name) return &u;
  return nullptr;
}

}  // namespace

std::string describe_unit(UnitKind kind) {
  switch (kind) {
    case UnitKind::kDuration:
      return "a duration with a unit (ns, us, ms, s, min, h, d), e.g. 250ms";
    case UnitKind::kSize:
      return "a size with a unit (B, KB, MB, GB), e.g. 1.5GB";
    case UnitKind::kBandwidth:
      return "a bandwidth with a unit (B/s, KB/s, MB/s, GB/s), e.g. 100MB/s";
    case UnitKind::kRate:
      return "a rate with a unit (/s, /min, /h, /d), e.g. 20/s";
    case UnitKind::kPlain:
      return "a number";
  }
  return "a value";
}

Quantity parse_quantity(std::string_view text, UnitKind kind) {
  Quantity q;
  const std::string_view s = trim(text);
  auto [number_text, unit] = split_number(s);
  double number = 0.0;
  const auto [ptr, ec] =
      std::from_chars(number_text.data(), number_text.data() + number_text.size(), number);
  if (ec == std::errc::result_out_of_range && ptr == number_text.data() + number_text.size()) {
    q.error = fmt::format("'{}' is out of the range of numbers (write a smaller value)", s);
    return q;
  }
  if (number_text.empty() || ec != std::errc() || ptr != number_text.data() + number_text.size()) {
    q.error = fmt::format("'{}' is not {}", s, describe_unit(kind));
    return q;
  }
  if (!std::isfinite(number) || number < 0) {
    q.error = fmt::format("'{}' must be a finite, non-negative number", s);
    return q;
  }
  double factor = 0.0;
  switch (kind) {
    case UnitKind::kPlain:
      if (!unit.empty()) {
        q.error = fmt::format("'{}' must be a plain number, without a unit", s);
        return q;
      }
      factor = 1.0;
      break;
    case UnitKind::kDuration:
      if (const auto* u = find_unit(kDurationUnits, unit)) factor = u->factor;
      break;
    case UnitKind::kSize:
      if (const auto* u = find_unit(kSizeUnits, unit)) factor = u->factor;
      break;
    case UnitKind::kBandwidth:
      if (unit.size() > 2 && unit.substr(unit.size() - 2) == "/s")
        if (const auto* u = find_unit(kSizeUnits, unit.substr(0, unit.size() - 2)))
          factor = u->factor;
      break;
    case UnitKind::kRate:
      if (const auto* u = find_unit(kRateUnits, unit)) factor = u->factor;
      break;
  }
  if (factor == 0.0) {
    q.error = unit.empty() ? fmt::format("'{}' has no unit: write {}", s, describe_unit(kind))
                           : fmt::format("unknown unit '{}' in '{}': write {}", unit, s,
                                         describe_unit(kind));
    return q;
  }
  const double value = number * factor;
  if (!std::isfinite(value)) {
    q.error = fmt::format("'{}' is too large to be a number", s);
    return q;
  }
  if (std::string problem = limit_problem(value, kind); !problem.empty()) {
    q.error = fmt::format("'{}': {}", s, problem);
    return q;
  }
  q.value = value;
  return q;
}

std::string format_money(double dollars) {
  const double a = std::fabs(dollars);
  if (a == 0.0) return "$0";
  if (a >= 1000.0) {
    const std::string digits = fmt::format("{:.0f}", a);
    std::string out = dollars < 0 ? "-$" : "$";
    for (size_t i = 0; i < digits.size(); ++i) {
      if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
      out += digits[i];
    }
    return out;
  }
  const int decimals = std::max(2, 2 - static_cast<int>(std::floor(std::log10(a))));
  return fmt::format("{}${:.{}f}", dollars < 0 ? "-" : "", a, decimals);
}

std::string format_seconds(double seconds) {
  const double a = std::fabs(seconds);
  if (a == 0.0) return "0";
  if (a < 1e-3) return fmt::format("{:.0f}us", seconds * 1e6);
  if (a < 1.0) return fmt::format("{:.1f}ms", seconds * 1e3);
  if (a < 600.0) return fmt::format("{:.2f}s", seconds);
  if (a < 7200.0) return fmt::format("{:.1f}min", seconds / 60.0);
  if (a < 172800.0) return fmt::format("{:.1f}h", seconds / 3600.0);
  return fmt::format("{:.1f}d", seconds / 86400.0);
}

}  // namespace slsim
