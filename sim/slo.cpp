#include "slsim/slo.hpp"

#include <fmt/format.h>

#include <cmath>
#include <map>

#include "slsim/units.hpp"

namespace slsim {
namespace {

constexpr const char* kAccepted =
    "write NAME OP VALUE: latency p50, p90, p99, p999, mean or max (warm_ or cold_ before it for "
    "one class), e.g. p99<=1s; rates throttled, cold, spillover or errors, e.g. throttled<0.1%; "
    "wait<=2s; cost<=$100, monthly_cost<=$500 or cost_per_1000<=$0.05";

struct Name {
  const char* figure;
  Slo::Unit unit;
  bool windowed;
};

const std::map<std::string, Name>& names() {
  static const std::map<std::string, Name> table = [] {
    std::map<std::string, Name> t;
    // Latency objectives: their figure is latency_figure(name).
    for (const char* q : {"p50", "p90", "p99", "p999", "mean", "max"})
      for (const char* prefix : {"", "warm_", "cold_"})
        t.emplace(std::string(prefix) + q, Name{nullptr, Slo::Unit::kSeconds, true});
    t.emplace("throttled", Name{"throttle_rate", Slo::Unit::kFraction, true});
    t.emplace("cold", Name{"cold_start_rate", Slo::Unit::kFraction, true});
    t.emplace("spillover", Name{"spillover_rate", Slo::Unit::kFraction, true});
    t.emplace("errors", Name{"error_rate", Slo::Unit::kFraction, true});
    t.emplace("wait", Name{"mean_wait_s", Slo::Unit::kSeconds, true});
    t.emplace("cost", Name{"cost_usd.total", Slo::Unit::kDollars, false});
    t.emplace("monthly_cost", Name{"cost_usd.per_month", Slo::Unit::kDollars, false});
    t.emplace("cost_per_1000", Name{"cost_usd.per_1000_requests", Slo::Unit::kDollars, false});
    return t;
  }();
  return table;
}

std::string latency_figure(const std::string& name) {
  if (name.rfind("warm_", 0) == 0) return "latency_warm_s." + name.substr(5);
  if (name.rfind("cold_", 0) == 0) return "latency_cold_s." + name.substr(5);
  return "latency_s." + name;
}

}  // namespace

std::optional<Slo> parse_slo(const std::string& text, std::string& error) {
  Slo slo;
  slo.text = text;
  const size_t at = text.find_first_of("<>");
  if (at == std::string::npos || at == 0) {
    error = fmt::format("--slo '{}': {}", text, kAccepted);
    return std::nullopt;
  }
  const auto trimmed = [](std::string s) {
    const size_t first = s.find_first_not_of(' ');
    return first == std::string::npos ? std::string()
                                      : s.substr(first, s.find_last_not_of(' ') - first + 1);
  };
  const std::string name = trimmed(text.substr(0, at));
  const bool equal = at + 1 < text.size() && text[at + 1] == '=';
  slo.op = text[at] == '<' ? (equal ? Slo::Op::kLessEqual : Slo::Op::kLess)
                           : (equal ? Slo::Op::kGreaterEqual : Slo::Op::kGreater);
  std::string value = trimmed(text.substr(at + (equal ? 2 : 1)));
  const auto it = names().find(name);
  if (it == names().end()) {
    error = fmt::format("--slo '{}': unknown objective '{}'; {}", text, name, kAccepted);
    return std::nullopt;
  }
  slo.unit = it->second.unit;
  slo.windowed = it->second.windowed;
  slo.figure = it->second.figure ? it->second.figure : latency_figure(name);
  Quantity q;
  switch (slo.unit) {
    case Slo::Unit::kSeconds:
      q = parse_quantity(value, UnitKind::kDuration);
      break;
    case Slo::Unit::kFraction: {
      const bool percent = !value.empty() && value.back() == '%';
      if (percent) value.pop_back();
      q = parse_quantity(value, UnitKind::kPlain);
      if (q.ok() && percent) q.value /= 100.0;
      if (q.ok() && q.value > 1.0) q.error = "a rate is at most 100%";
      break;
    }
    case Slo::Unit::kDollars:
      if (!value.empty() && value.front() == '$') value.erase(0, 1);
      q = parse_quantity(value, UnitKind::kPlain);
      break;
  }
  if (!q.ok()) {
    error = fmt::format("--slo '{}': {}; {}", text, q.error, kAccepted);
    return std::nullopt;
  }
  slo.limit = q.value;
  if (slo.limit == 0.0 && slo.unit != Slo::Unit::kFraction &&
      (slo.op == Slo::Op::kLess || slo.op == Slo::Op::kLessEqual)) {
    error = fmt::format("--slo '{}': a limit of 0 can never be met; give a positive one", text);
    return std::nullopt;
  }
  return slo;
}

Judgement judge(const Slo& slo, double value, double requests, double served) {
  Judgement j;
  if (std::isnan(value) && slo.unit == Slo::Unit::kSeconds && requests > 0 && !(served > 0)) {
    j.holds = false;
    j.margin = -INFINITY;
    j.none_served = true;
    return j;
  }
  j.holds = slo.holds(value);
  j.margin = slo.margin(value);
  return j;
}

bool Slo::holds(double value) const {
  if (std::isnan(value)) return true;  // undefined (no requests): nothing to violate
  switch (op) {
    case Op::kLess:
      return value < limit;
    case Op::kLessEqual:
      return value <= limit;
    case Op::kGreater:
      return value > limit;
    case Op::kGreaterEqual:
      return value >= limit;
  }
  return false;
}

double Slo::margin(double value) const {
  if (std::isnan(value)) return NAN;
  const double scale = limit != 0.0 ? std::fabs(limit) : 1.0;
  const bool upper = op == Op::kLess || op == Op::kLessEqual;
  return (upper ? limit - value : value - limit) / scale;
}

std::string Slo::format(double value) const {
  if (std::isnan(value)) return "-";
  switch (unit) {
    case Unit::kSeconds:
      return format_seconds(value);
    case Unit::kFraction:
      return fmt::format("{:.3g}%", 100.0 * value);
    case Unit::kDollars:
      return format_money(value);
  }
  return "?";
}

}  // namespace slsim
