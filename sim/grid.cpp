#include "slsim/grid.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>

namespace slsim {
namespace {

constexpr int64_t kMaxValues = 10000;  // per axis

constexpr const char* kForms =
    "write path=a,b,c (a list) or path=low..high[:step] (a range, step 1 by default), e.g. "
    "memory=1GB..6GB:1GB, provisioned_concurrency=0..8, max_concurrency=20,50,200";

struct Number {
  double value = 0;
  int decimals = 0;  // digits after the point, as written
  std::string unit;  // what follows the number
};

std::optional<Number> split(std::string_view text) {
  size_t i = 0;
  while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.'))
    ++i;
  if (i == 0) return std::nullopt;
  Number n;
  const auto [p, ec] = std::from_chars(text.data(), text.data() + i, n.value);
  if (ec != std::errc() || p != text.data() + i) return std::nullopt;
  const size_t dot = text.substr(0, i).find('.');
  n.decimals = dot == std::string_view::npos ? 0 : static_cast<int>(i - dot - 1);
  n.unit = std::string(text.substr(i));
  return n;
}

// Whether a range number was written with an exponent (1e3, 2.5E-1GB): split() reads only the
// digits before it, so the rest would pass for a unit.
bool has_exponent(const Number& n) {
  const std::string& u = n.unit;
  return u.size() >= 2 && (u[0] == 'e' || u[0] == 'E') &&
         (std::isdigit(static_cast<unsigned char>(u[1])) || u[1] == '-' || u[1] == '+');
}

}  // namespace

std::optional<GridAxis> parse_grid_axis(const std::string& argument, std::string& error) {
  const size_t eq = argument.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == argument.size()) {
    error = fmt::format("--grid '{}': {}", argument, kForms);
    return std::nullopt;
  }
  GridAxis axis;
  axis.path = argument.substr(0, eq);
  const std::string spec = argument.substr(eq + 1);
  // A range starts with a number; anything else holding ".." is a list value (../trace.csv).
  const size_t dots = !spec.empty() && std::isdigit(static_cast<unsigned char>(spec[0]))
                          ? spec.find("..")
                          : std::string::npos;
  if (dots == std::string::npos) {  // a list
    size_t start = 0;
    for (;;) {
      const size_t comma = spec.find(',', start);
      const std::string v = spec.substr(start, comma - start);
      if (v.empty()) {
        error = fmt::format("--grid '{}': an empty value in the list; {}", argument, kForms);
        return std::nullopt;
      }
      axis.values.push_back(v);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  } else {  // low..high[:step]
    const size_t colon = spec.find(':', dots);
    const auto low = split(spec.substr(0, dots));
    const auto high = split(
        spec.substr(dots + 2, colon == std::string::npos ? std::string::npos : colon - dots - 2));
    const auto step = colon == std::string::npos ? std::optional<Number>(Number{1, 0, ""})
                                                 : split(spec.substr(colon + 1));
    if (!low || !high || !step) {
      error = fmt::format(
          "--grid '{}': the range's bounds and step must be non-negative "
          "numbers, with a unit where the key has one; {}",
          argument, kForms);
      return std::nullopt;
    }
    if (has_exponent(*low) || has_exponent(*high) || has_exponent(*step)) {
      error = fmt::format(
          "--grid '{}': write the numbers of a range without an exponent (0.001, not 1e-3), or "
          "list the values (path=1e-3,1e-2)",
          argument);
      return std::nullopt;
    }
    const std::string unit = low->unit;
    if (high->unit != unit || (colon != std::string::npos && step->unit != unit)) {
      error = fmt::format(
          "--grid '{}': write the low, high and step of a range in the same unit "
          "('{}', '{}', '{}')",
          argument, low->unit, high->unit, step->unit);
      return std::nullopt;
    }
    if (step->value <= 0 || high->value < low->value) {
      error = fmt::format("--grid '{}': a range needs low <= high and a positive step", argument);
      return std::nullopt;
    }
    const double count = std::floor((high->value - low->value) / step->value + 1e-9) + 1;
    if (count > kMaxValues) {
      error = fmt::format("--grid '{}': {:.0f} values; at most {} per axis", argument, count,
                          kMaxValues);
      return std::nullopt;
    }
    const int decimals = std::max({low->decimals, high->decimals, step->decimals});
    for (int64_t k = 0; k < static_cast<int64_t>(count); ++k)
      axis.values.push_back(fmt::format(
          "{:.{}f}{}", low->value + static_cast<double>(k) * step->value, decimals, unit));
  }
  if (static_cast<int64_t>(axis.values.size()) > kMaxValues) {
    error = fmt::format("--grid '{}': at most {} values per axis", argument, kMaxValues);
    return std::nullopt;
  }
  return axis;
}

int64_t Grid::size() const {
  int64_t n = 1;
  for (const GridAxis& a : axes_) {
    const int64_t k = static_cast<int64_t>(a.values.size());
    n = n > INT64_MAX / k ? INT64_MAX : n * k;  // saturates: the caller rejects huge grids
  }
  return n;
}

std::vector<std::string> Grid::values(int64_t index) const {
  std::vector<std::string> out(axes_.size());
  for (size_t i = axes_.size(); i-- > 0;) {
    const int64_t n = static_cast<int64_t>(axes_[i].values.size());
    out[i] = axes_[i].values[static_cast<size_t>(index % n)];
    index /= n;
  }
  return out;
}

std::vector<std::string> Grid::overrides(int64_t index) const {
  const auto v = values(index);
  std::vector<std::string> out;
  for (size_t i = 0; i < axes_.size(); ++i) out.push_back(axes_[i].path + "=" + v[i]);
  return out;
}

}  // namespace slsim
