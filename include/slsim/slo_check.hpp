// `slsim run --slo`: service-level objectives (slo.hpp, the planner's syntax) checked against a
// finished run's figures, in total and per endpoint; printed, and recorded in summary.json under
// "slo" (scenarios/README.md, "Output files").
#pragma once

#include <string>
#include <vector>

#include "slsim/report.hpp"
#include "slsim/slo.hpp"

namespace slsim {

struct SloVerdict {
  size_t slo = 0;            // index of the objective in the list checked
  std::string objective;     // as written, e.g. "p99<=1s"
  std::string figure;        // the summary.json figure it constrains, e.g. "latency_s.p99"
  std::string endpoint;      // an endpoint's name, or "total" (all endpoints together)
  double value = 0.0;        // the figure's mean over replications; NaN when undefined
  double ci95 = 0.0;         // its 95 % CI half-width; NaN below two replications
  double limit = 0.0;        // in the figure's unit
  bool holds = true;         // as judge() (slo.hpp) rules
  double margin = 0.0;       // (limit − value) ÷ limit for an upper bound; negative: missed
  bool none_served = false;  // a latency or wait objective missed: no request was served
};

// Parses every objective; false, with one message per bad objective in `errors`.
bool parse_slos(const std::vector<std::string>& texts, std::vector<Slo>& slos,
                std::vector<std::string>& errors);

// For each objective: the total first, then each endpoint in scenario order.
std::vector<SloVerdict> check_slos(const std::vector<Slo>& slos, const Report& report);

// The verdicts as a table for stdout.
std::string slo_table(const std::vector<Slo>& slos, const std::vector<SloVerdict>& verdicts,
                      int replications);

// The verdicts as summary.json's "slo" array: [{"objective", "figure", "endpoint", "value",
// "limit", "holds", "margin"}, …], indented for its place at the top level.
std::string slo_json(const std::vector<SloVerdict>& verdicts);

}  // namespace slsim
