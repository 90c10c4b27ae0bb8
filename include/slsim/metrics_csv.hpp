// The formats of metrics.csv (one row per replication, endpoint and minute, CloudWatch names,
// DESIGN.md §2) and requests.csv (one row per request).
#pragma once

#include <cstdint>
#include <string>

#include "slsim/metrics.hpp"
#include "slsim/scenario.hpp"

namespace slsim {

const char* metrics_csv_header();
const char* requests_csv_header();

// Appends the row of `endpoint`'s minute `minute` (which lasted `minute_seconds`, < 60 for the
// last one). Latencies become CloudWatch's per-minute averages in microseconds; container
// counts are time averages over the minute; CostUSD is what the minute cost.
void append_minute_row(std::string& out, const Scenario& scenario, size_t endpoint,
                       uint64_t replication, int64_t minute, const MinuteRow& row,
                       double minute_seconds);

}  // namespace slsim
