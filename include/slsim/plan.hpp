// `slsim plan`: which configuration meets every service-level objective at the least cost, and
// how it compares with real-time endpoints. Built on a sweep's aggregated figures (sweep.hpp):
// every configuration of the grid and every real-time alternative is run with the same
// replications (common random numbers), then judged by the objectives, overall and, with
// windows, in every window.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "slsim/slo.hpp"
#include "slsim/sweep.hpp"

namespace slsim {

// One objective judged on one configuration.
struct Verdict {
  const Slo* slo = nullptr;
  double value = NAN;  // the overall mean
  double ci95 = NAN;
  bool holds = true;           // overall and in every window
  double margin = NAN;         // the smallest margin (overall or in a window)
  int64_t worst_window = -1;   // where the margin was smallest, if in a window
  std::string worst_endpoint;  // or if on one endpoint alone (scenarios of several)
  double worst_value = NAN;
  bool none_served = false;  // missed because no request was served (judge(), slo.hpp)
};

struct Assessment {
  size_t config = 0;  // index into the configurations it was made for
  bool meets = false;
  double cost = NAN;          // the run's cost, mean over replications
  double monthly_cost = NAN;  // extrapolated to 30.4375 days
  double p99 = NAN;           // overall, or the worst window's when objectives hold per window
  double throttle_rate = NAN, error_rate = NAN;  // overall means
  std::vector<Verdict> verdicts;
  double worst_margin() const;
};

// Judges every valid configuration by `slos`: on all endpoints together, in every window (window
// figures in spec.window_figures order) and on every endpoint alone (spec.endpoint_figures).
std::vector<Assessment> assess(const SweepSpec& spec, const std::vector<Configuration>& configs,
                               const std::vector<ConfigSummary>& summaries,
                               const std::vector<Slo>& slos);

// Indexes (into `a`) of the configurations on the cost / p99 Pareto front, cheapest first: none
// is both cheaper and faster than another on the front.
std::vector<size_t> pareto_front(const std::vector<Assessment>& a);

// The cheapest assessments meeting every objective, cheapest first (at most `n`).
std::vector<size_t> cheapest_meeting(const std::vector<Assessment>& a, size_t n);

// The plan as text for people, and as plan.json.
struct PlanResult {
  const SweepSpec* spec = nullptr;
  const std::vector<Slo>* slos = nullptr;
  const std::vector<Configuration>* configs = nullptr;
  std::vector<Assessment> assessments;
  const std::vector<Configuration>* real_time = nullptr;  // the real-time alternatives
  std::vector<Assessment> real_time_assessments;
  double duration_seconds = 0.0;
  double requests = NAN;  // per run, of the recommended configuration
  std::string window;     // as given, "" for none
};
std::string plan_text(const PlanResult& plan);
std::string plan_json(const PlanResult& plan);

}  // namespace slsim
