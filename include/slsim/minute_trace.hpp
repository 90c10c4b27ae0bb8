// Per-minute traces, read whole when the scenario is loaded: Azure Functions 2019 per-minute
// invocation counts (one row of up to 1,440 counts per function, plus its duration
// percentiles) and CloudWatch `Invocations` exports (per-period sums). Only the selected series
// are kept, as their nonzero periods (8 bytes each): most functions are idle most minutes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "slsim/trace.hpp"

namespace slsim {

// Which functions of an Azure 2019 file to replay.
struct FunctionSelection {
  enum class Kind : uint8_t { kAll, kTop, kSample, kIds };
  Kind kind = Kind::kAll;
  int64_t count = 0;             // kTop, kSample
  uint64_t seed = 1;             // kSample
  std::vector<std::string> ids;  // kIds: HashFunction values, each once
};

// Reads `invocations` (header `HashOwner,HashApp,HashFunction[,Trigger],<minutes>`, in any
// column order, minutes named `1`…`1440` or `minute_1`…) and keeps the selected functions, in
// file order. With `durations` (HashFunction, percentile_Average_{0,1,25,50,75,99,100} in ms),
// each function's demand is the quantile table of its durations. Returns "" or the errors, one
// `file:line:column: what; the fix` per line.
std::string load_azure_functions_2019(const std::string& invocations, const std::string& durations,
                                      const FunctionSelection& selection, MinuteTrace& out);

// Reads the JSON that `aws cloudwatch get-metric-data` (MetricDataResults[].{Id, Timestamps,
// Values}) or `get-metric-statistics` (Datapoints[].{Timestamp, Sum}) prints. One series per
// result (key: its Id; get-metric-statistics: its Label). `period_ns` 0: the smallest gap
// between timestamps. An incomplete export (a NextToken, a result not Complete) is an error: it
// would replay less traffic than the endpoint had. Returns "" or the errors.
std::string load_cloudwatch(const std::string& file, int64_t period_ns, MinuteTrace& out);

}  // namespace slsim
