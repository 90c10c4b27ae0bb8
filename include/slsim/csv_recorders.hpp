// The recorders that write CSV while a replication runs: metrics.csv (one row per endpoint and
// metrics period, CloudWatch names, DESIGN.md §2) and requests.csv (one row per request). Rows go
// through a CsvLog, so memory does not grow with the number of requests or minutes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "slsim/csv_log.hpp"
#include "slsim/records.hpp"
#include "slsim/scenario.hpp"

namespace slsim {

const char* metrics_csv_header();
const char* requests_csv_header();
const char* scaling_csv_header();

// Aggregates `period_minutes` consecutive minute records per endpoint into one row (CloudWatch
// periods are multiples of 60 s). Latencies become CloudWatch's averages per invocation in
// microseconds, container counts time averages over the row, CostUSD what the row cost
// (compute_cost of MinuteRecord::usage(): the same function as the summary's cost).
class MetricsCsvRecorder {
 public:
  // REQUIRES: period_minutes >= 1; `scenario` and `log` outlive the recorder.
  MetricsCsvRecorder(const Scenario& scenario, uint64_t replication, CsvLog& log,
                     int64_t period_minutes = 1);
  void minute(const MinuteRecord& m);
  // Writes the rows of periods the run ended inside. Call once, after the last minute.
  void finish();

 private:
  void write(const MinuteRecord& row);
  const Scenario& scenario_;
  uint64_t replication_;
  CsvLog& log_;
  int64_t period_minutes_;
  std::vector<MinuteRecord> pending_;  // per endpoint: the period being summed
  std::vector<int64_t> minutes_;       // per endpoint: minutes in it so far
};

class RequestsCsvRecorder {
 public:
  RequestsCsvRecorder(const Scenario& scenario, uint64_t replication, CsvLog& log)
      : scenario_(scenario), replication_(replication), log_(log) {}
  void request(const RequestRecord& r);

 private:
  const Scenario& scenario_;
  uint64_t replication_;
  CsvLog& log_;
};

// scaling.csv: one row per scaling activity (and scheduled action run): when, which endpoint,
// why (the alarm and its datapoints, or the action), capacity before and after, the range.
class ScalingCsvRecorder {
 public:
  ScalingCsvRecorder(const Scenario& scenario, uint64_t replication, CsvLog& log)
      : scenario_(scenario), replication_(replication), log_(log) {}
  void scaling(const ScalingRecord& r);

 private:
  const Scenario& scenario_;
  uint64_t replication_;
  CsvLog& log_;
};

}  // namespace slsim
