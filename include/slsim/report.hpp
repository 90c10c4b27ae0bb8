// Turning replication results into what users read: the summary figures (per endpoint and in
// total, with mean and 95 % confidence interval over replications), the stdout table,
// summary.json, metrics.csv (per endpoint per minute, CloudWatch names) and latency.csv.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "slsim/cost.hpp"
#include "slsim/metrics.hpp"
#include "slsim/scenario.hpp"
#include "slsim/simulation.hpp"

namespace slsim {

// One reported number across replications.
struct Figure {
  std::string name;            // dotted path in summary.json, e.g. "latency_s.p99"
  std::vector<double> values;  // one per replication
  double mean() const;
  // Half-width of the 95 % confidence interval of the mean (Student t, R − 1 degrees of
  // freedom); 0 for one replication.
  double ci95() const;
};

struct EndpointReport {
  std::string name;
  std::vector<Figure> figures;
  EndpointStats merged;  // summed over replications: histograms for latency.csv
};

struct Report {
  std::string scenario;
  uint64_t seed = 0;
  int replications = 1;
  std::vector<EndpointReport> endpoints;  // scenario order
  EndpointReport total;
  std::vector<uint64_t> fingerprints;      // per replication
  uint64_t events = 0;                     // over all replications
  double simulated_seconds = 0.0;          // replication 0's end time
  std::vector<std::string> model_sources;  // per endpoint: which model/calibration fed it

  const Figure* find(const EndpointReport& e, const std::string& name) const;
};

Report build_report(const Scenario& scenario, const std::vector<ReplicationResult>& results);

std::string summary_table(const Report& report);
std::string summary_json(const Report& report);
void write_latency_csv(std::FILE* out, const Report& report);

}  // namespace slsim
