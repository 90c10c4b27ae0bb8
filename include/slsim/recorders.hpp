// Where the model's records go: the statistics (always) and any of the CSV writers and an
// in-memory log. A plain struct of pointers, called directly: no virtual call per record.
#pragma once

#include <vector>

#include "slsim/csv_recorders.hpp"
#include "slsim/endpoint_stats.hpp"
#include "slsim/records.hpp"

namespace slsim {

// Keeps every record; for tests, which then need no temporary files.
struct MemoryRecorder {
  std::vector<RequestRecord> requests;
  std::vector<MinuteRecord> minutes;
  std::vector<ScalingRecord> scalings;
  void request(const RequestRecord& r) { requests.push_back(r); }
  void minute(const MinuteRecord& m) { minutes.push_back(m); }
  void scaling(const ScalingRecord& r) { scalings.push_back(r); }
};

// The optional recorders of one replication (each may be null).
struct Recorders {
  MetricsCsvRecorder* metrics = nullptr;
  RequestsCsvRecorder* requests = nullptr;
  MemoryRecorder* memory = nullptr;
  ScalingCsvRecorder* scaling = nullptr;
};

}  // namespace slsim
