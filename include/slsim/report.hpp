// What users read, built from replication results as they finish: the summary figures (per
// endpoint and in total, each the mean over replications with a 95 % confidence interval and
// the number of replications it is defined in), the stdout table, summary.json and latency.csv.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "slsim/calendar.hpp"
#include "slsim/endpoint_stats.hpp"
#include "slsim/scenario.hpp"
#include "slsim/simulation.hpp"

namespace slsim {

// One reported number across replications, accumulated in replication order (Welford's
// algorithm: exact enough, and memory does not grow with the replications). A replication in
// which the figure is undefined (a rate without requests, a latency without served requests)
// adds nothing: `n` counts the replications that defined it.
struct Figure {
  std::string name;  // dotted path in summary.json, e.g. "latency_s.p99"
  int64_t n = 0;
  double sum_mean = 0.0;  // running mean
  double m2 = 0.0;        // running sum of squared deviations
  void add(double v);
  double mean() const;  // NaN when n == 0
  // Half-width of the 95 % confidence interval of the mean (Student t, n − 1 degrees of
  // freedom); NaN (JSON null) when n < 2.
  double ci95() const;
};

struct EndpointReport {
  std::string name;
  std::vector<Figure> figures;
  EndpointStats pooled;  // summed over replications: the histograms of latency.csv
};

// What ran, recorded in every output folder.
struct RunInfo {
  std::string slsim_version;
  std::string scenario_file;
  std::vector<std::string> overrides;  // --set, in order
  std::string pricing_file;
  uint64_t pricing_fnv1a64 = 0;  // of the pricing file's bytes
};

struct Report {
  std::string scenario;
  uint64_t seed = 0;
  int replications = 0;  // consumed so far
  UtcTime start;
  double duration_seconds = 0.0;
  RunInfo run;
  std::vector<EndpointReport> endpoints;  // scenario order
  EndpointReport total;
  std::vector<uint64_t> fingerprints;   // per replication
  uint64_t events = 0;                  // over all replications
  double simulated_seconds = 0.0;       // replication 0's end time
  int64_t skipped_trace_rows = 0;       // bad rows left out by replication 0 (--skip-bad-rows)
  std::string first_skipped_trace_row;  // the first one's error message; empty when none

  std::vector<std::string> model_sources;  // per endpoint: which model/calibration fed it

  const Figure* find(const EndpointReport& e, const std::string& name) const;
};

// One replication's figures, named as in summary.json ("latency_s.p99", "cost_usd.total").
using FigureValues = std::vector<std::pair<std::string, double>>;
// The figures of one replication for the whole scenario (all endpoints together).
FigureValues total_figures(const Scenario& scenario, const ReplicationResult& result);
// The figures of one replication for endpoint `e` alone.
FigureValues endpoint_figures(const Scenario& scenario, const ReplicationResult& result, size_t e);

class ReportBuilder {
 public:
  ReportBuilder(const Scenario& scenario, RunInfo run);
  // REQUIRES: results in replication order.
  void add(const ReplicationResult& result);
  const Report& report() const { return report_; }

 private:
  const Scenario& scenario_;
  Report report_;
};

std::string summary_table(const Report& report);
// `slo`, when not empty, is the top-level "slo" array (slo_check.hpp), written before "run".
std::string summary_json(const Report& report, const std::string& slo = "");
void write_latency_csv(std::FILE* out, const Report& report);

}  // namespace slsim
