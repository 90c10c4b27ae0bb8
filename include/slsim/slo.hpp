// Service-level objectives a planner states, as `slsim plan --slo` (and `run --slo`) take them:
//
//   p99<=1s  warm_p99<300ms  cold_p999<20s  mean<=250ms  max<=30s      latency of served requests
//   throttled<0.1%  cold<1%  spillover<5%  errors<0.01%  wait<=2s        rates and mean wait
//   cost<=$120  monthly_cost<=$500  cost_per_1000<=$0.05                 cost (whole run only)
//
// A rate takes a percentage or a fraction; a latency a duration with its unit; a cost dollars.
// Latency, rate and wait objectives also hold per window (--slo-window) when one is given.
#pragma once

#include <cmath>
#include <optional>
#include <string>

namespace slsim {

struct Slo {
  enum class Op { kLess, kLessEqual, kGreater, kGreaterEqual };
  enum class Unit { kSeconds, kFraction, kDollars };
  std::string text;    // as written
  std::string figure;  // the summary.json figure it constrains, e.g. "latency_s.p99"
  Op op = Op::kLessEqual;
  double limit = 0.0;  // in the figure's unit
  Unit unit = Unit::kSeconds;
  bool windowed = true;  // false for cost objectives: they hold for the whole run

  // On a defined value; an undefined one (NaN: no request of its kind) violates nothing here,
  // but see judge().
  bool holds(double value) const;
  // How far inside the objective `value` is, as a fraction of the limit (negative: missed).
  double margin(double value) const;
  // `value` in the objective's unit, for people: "0.41s", "0.082%", "$12.30".
  std::string format(double value) const;
};

// An objective judged on a figure's `value` (NaN when undefined) over `requests` arrivals of
// which `served` were served. Latency and wait objectives are on served requests: when requests
// arrived and none was served (all throttled, rejected or failed) they are missed, with margin
// −inf, since no latency must not pass for a short one. Otherwise an undefined value violates
// nothing and has no margin.
struct Judgement {
  bool holds = true;
  double margin = NAN;
  bool none_served = false;  // missed because no request was served
};
Judgement judge(const Slo& slo, double value, double requests, double served);

// Parses one objective; nullopt with `error` naming what is accepted.
std::optional<Slo> parse_slo(const std::string& text, std::string& error);

}  // namespace slsim
