// Real traffic: a trace file replayed as arrivals (scenarios/README.md, "Traces"). A trace is
// data the loader fills (trace_reader.hpp) and the simulation replays (trace_source.hpp):
//
//   per invocation (streamed, one row at a time): a generic CSV of requests, Azure Functions
//     2021 (arrival = end − duration), Azure LLM inference 2023;
//   per minute (the selected rows held in memory): Azure Functions 2019 per-minute counts,
//     CloudWatch `Invocations` exports; each period's count is spread inside the period.
//
// Trace time τ (nanoseconds: since 1970 for calendar timestamps, since the trace's zero for
// offsets) becomes simulated time t = offset + (τ − origin) / speed, replayed again every
// `repeat` of trace time if set. One trace may feed several endpoints (a route per row).
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "slsim/distribution.hpp"
#include "slsim/time.hpp"

namespace slsim {

enum class TraceFormat : uint8_t {
  kCsv,                 // `trace_csv`: a timestamp column, optional endpoint/payload/demand
  kAzureFunctions2019,  // `azure_functions_2019`: per-minute counts per function
  kAzureFunctions2021,  // `azure_functions_2021`: app,func,end_timestamp,duration
  kAzureLlm2023,        // `azure_llm_2023`: TIMESTAMP,ContextTokens,GeneratedTokens
  kCloudWatch,          // `cloudwatch`: get-metric-data / get-metric-statistics JSON
};
const char* trace_format_name(TraceFormat f);
inline bool per_minute(TraceFormat f) {
  return f == TraceFormat::kAzureFunctions2019 || f == TraceFormat::kCloudWatch;
}

// How a timestamp column is written.
enum class TimestampUnit : uint8_t {
  kSeconds,  // offsets from the trace's zero, in s, ms, us or ns (decimals allowed)
  kMilliseconds,
  kMicroseconds,
  kNanoseconds,
  kUnixSeconds,  // calendar instants: since 1970-01-01T00:00:00Z
  kUnixMilliseconds,
  kUnixMicroseconds,
  kUnixNanoseconds,
  kIso8601,  // calendar instants: 2027-03-22T10:00:00.25Z, space for T, no zone = UTC
};
inline bool calendar_unit(TimestampUnit u) { return u >= TimestampUnit::kUnixSeconds; }
// Decimal digits from the unit to nanoseconds (s: 9, ms: 6, us: 3, ns: 0).
inline int unit_exponent(TimestampUnit u) {
  switch (u) {
    case TimestampUnit::kSeconds:
    case TimestampUnit::kUnixSeconds:
      return 9;
    case TimestampUnit::kMilliseconds:
    case TimestampUnit::kUnixMilliseconds:
      return 6;
    case TimestampUnit::kMicroseconds:
    case TimestampUnit::kUnixMicroseconds:
      return 3;
    default:
      return 0;
  }
}

// How each period's count of a per-minute trace is placed inside the period.
enum class MinuteSpread : uint8_t {
  kUniform,      // independent uniform instants, sorted: a Poisson process given the count
  kEven,         // evenly spaced, centred: k-th of n at (k + 1/2) / n of the period
  kMinuteStart,  // all at the period's first instant (timers firing on the minute)
};

// Trace time → simulated time.
struct TraceTiming {
  static constexpr int64_t kUnbounded = std::numeric_limits<int64_t>::max();
  bool calendar = false;  // τ is an instant (ns since 1970), else an offset (ns)
  int64_t origin = 0;     // τ replayed at `offset`. Default: the scenario's start (calendar) or 0
  bool origin_first_row = false;      // origin = the first row's τ (resolved when it is read)
  Duration offset;                    // Default: 0
  double speed = 1.0;                 // > 0. Default: 1 (2 = twice as fast)
  int64_t window_from = -kUnbounded;  // rows with τ outside [from, to) are left out
  int64_t window_to = kUnbounded;
  int64_t repeat_ns = 0;  // > 0: τ in [origin, origin + repeat) replayed every `repeat`

  // Simulated ns of trace time τ in replay `cycle`. REQUIRES: origin resolved; |τ| and
  // |origin| below 2^62 (the readers check), so the difference cannot overflow.
  int64_t simulated(int64_t tau, int64_t cycle) const {
    return offset.ns() + scaled(tau - origin + cycle * repeat_ns);
  }
  // A trace-time span in simulated time, saturated to ±2^62 when a slow speed stretches it.
  int64_t scaled(int64_t trace_ns) const {
    if (speed == 1.0) return trace_ns;
    const double ns = static_cast<double>(trace_ns) / speed;
    constexpr double kBound = 4.611686018427387904e18;  // 2^62
    return ns >= kBound    ? INT64_C(4611686018427387904)
           : ns <= -kBound ? -INT64_C(4611686018427387904)
                           : static_cast<int64_t>(ns);
  }
};

// Which endpoint a row (a key: endpoint-column value, function id, metric id) goes to.
struct TraceRoute {
  static constexpr uint32_t kNone = 0xFFFFFFFF;
  uint32_t all = kNone;  // every row to this endpoint (no key), or kNone
  // Sorted by key: binary search with a string_view, no allocation per row.
  std::vector<std::pair<std::string, uint32_t>> keys;
  bool skip_unmapped = false;  // `unmapped: skip`: rows whose key is not in `keys` are left out

  uint32_t find(std::string_view key) const;
};

// The columns of a per-invocation trace and what each means.
struct RequestColumns {
  std::string timestamp = "timestamp";
  TimestampUnit unit = TimestampUnit::kSeconds;
  std::string duration;       // azure_functions_2021: arrival = timestamp − duration (s)
  std::string endpoint;       // the key column routing rows to endpoints; "" = none
  std::string payload;        // request bytes; "" = drawn from the profile's payload
  std::string demand;         // service demand at one vCPU; "" = drawn from the model
  double demand_scale = 1.0;  // demand column unit → seconds
  std::string context_tokens, generated_tokens;  // azure_llm_2023
  std::vector<std::string> ignore;               // other columns that may be present
};

// azure_llm_2023 `service_demand: {base, per_context_token, per_generated_token}`: a request's
// demand in seconds at one vCPU = base + per_context_token × ContextTokens +
// per_generated_token × GeneratedTokens (prefill grows with the prompt, decoding with the
// output: Patel et al., Splitwise, ISCA'24). No default coefficients: they depend on the model.
struct TokenDemand {
  double base = 0.0, per_context_token = 0.0, per_generated_token = 0.0;
};

// One period-count series of a per-minute trace (a function, a metric), with its nonzero bins.
struct MinuteSeries {
  std::string key;                                  // HashFunction, or the CloudWatch result's Id
  std::vector<std::pair<uint32_t, uint32_t>> bins;  // (bin index, count > 0), bin increasing
  int64_t total = 0;
  std::optional<Distribution> demand;  // from the durations file (service_demand: trace)
  uint32_t endpoint = TraceRoute::kNone;
};

struct MinuteTrace {
  int64_t first_bin = 0;  // τ of bin 0
  int64_t bin_ns = 60'000'000'000;
  uint32_t bins = 0;                 // bins the file spans (per-minute columns, CloudWatch periods)
  std::vector<MinuteSeries> series;  // the selected ones, in file order
  int64_t functions_in_file = 0;
  size_t memory_bytes() const;  // what the selected series hold
};

struct TraceConfig {
  std::string name;         // for messages: `traces[k] 'name'` or `endpoint 'a' traffic #k`
  std::string stream_base;  // random streams: `traffic/named/<name>` or `traffic/<ep>/<type>#k`
  TraceFormat format = TraceFormat::kCsv;
  std::string file;           // absolute
  std::string scenario_file;  // where the trace is configured, and its line and column
  int line = 0, column = 0;
  TraceTiming timing;
  TraceRoute route;
  // Per invocation.
  RequestColumns columns;
  std::optional<TokenDemand> tokens;  // azure_llm_2023 with service_demand
  bool demand_from_duration = false;  // azure_functions_2021 service_demand: trace
  int64_t reorder_ns = 0;             // rows may be out of time order by up to this (trace time)
  // Per minute.
  MinuteSpread spread = MinuteSpread::kUniform;
  std::shared_ptr<const MinuteTrace> minutes;
  // Request body size when no payload column. Default: 64 B (traffic.hpp).
  Distribution payload = Distribution::constant(64.0);
};

// A problem in a trace file, at a line and column (1-based; line 0: the file as a whole).
struct TraceProblem {
  std::string file;
  int64_t line = 0;
  int column = 0;
  std::string message;       // what is wrong and how to fix it
  std::string text() const;  // `file:line:column: message` (or `file: message`)
};

// How a run treats malformed rows of streamed traces (`--skip-bad-rows`).
struct TraceRunStatus {
  std::string error;         // the first error that stopped the run ("" = none)
  int64_t skipped_rows = 0;  // with skip_bad_rows
  std::string first_skipped;
};

}  // namespace slsim
