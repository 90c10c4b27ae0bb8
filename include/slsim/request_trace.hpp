// A per-invocation trace (trace_csv, azure_functions_2021, azure_llm_2023) read as a stream of
// rows in simulated-time order: the header mapped to column roles once, then each row parsed in
// place (no allocation per row), mapped through the trace's timing, window and route, and put
// back in time order within the trace's reorder window (a min-heap holding the rows of that
// window only, so memory depends on the window, never on the trace's length).
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "slsim/line_reader.hpp"
#include "slsim/trace.hpp"

namespace slsim {

struct TraceRow {
  int64_t at = 0;  // simulated ns
  uint32_t endpoint = 0;
  double demand_s = std::numeric_limits<double>::quiet_NaN();       // NaN: draw from the model
  double payload_bytes = std::numeric_limits<double>::quiet_NaN();  // NaN: draw
  uint64_t order = 0;  // read order, to keep rows of one instant in file order
};

class RequestTraceStream {
 public:
  enum class Status { kRow, kEnd, kBadRow, kFailed };

  // Opens the trace and checks its header: every configured column present, no column it does
  // not know. `horizon_ns`: rows replayed at or after it are left out (reading stops once the
  // trace is past it, unless `scan_all`, which reads and checks every row of the file: slsim
  // validate; with `repeat`, later replays are its rows again and are read only up to the
  // horizon). False with `error` (`file:line:column: what; the fix`) otherwise.
  bool open(const TraceConfig& config, int64_t horizon_ns, bool scan_all, TraceProblem& error);

  // The next row in simulated-time order. kBadRow: a row that cannot be replayed (malformed,
  // out of order beyond the reorder window, routed nowhere, before the scenario's start), with
  // `problem` in the form above; calling next() again goes on after it (with `repeat`, a bad
  // row is returned in the first replay only). kFailed: reading the file failed. kEnd: no more
  // rows before the horizon.
  Status next(TraceRow& row, TraceProblem& problem);

  // Counts so far: data rows of the file read (parsed or not; in the first replay only), rows
  // replayed (returned as kRow, in every replay), replays of the file begun (1 without repeat).
  int64_t rows_read() const { return rows_read_; }
  int64_t rows_replayed() const { return rows_replayed_; }
  int64_t replays() const { return cycle_ + 1; }
  // τ of the first and last row inside the window (for validate); INT64_MIN when none.
  int64_t first_tau() const { return first_tau_; }
  int64_t last_tau() const { return last_tau_; }
  const TraceTiming& timing() const { return timing_; }
  // The heap's high-water mark: rows held at once for reordering.
  size_t max_held() const { return max_held_; }

 private:
  enum class Role : uint8_t {
    kIgnored,
    kTimestamp,
    kDuration,
    kEndpoint,
    kPayload,
    kDemand,
    kContextTokens,
    kGeneratedTokens
  };
  enum class Read { kRow, kSkip, kBad, kEof };
  Read read_row(TraceRow& row, TraceProblem& problem);
  Status pop(TraceRow& row);
  TraceProblem at(int column, std::string message) const;
  std::string format_tau(int64_t tau) const;
  bool heap_empty() const { return heap_.empty(); }
  // Whether rows past the horizon or the window are read and checked: the first replay of a
  // scan_all stream (later replays read the same rows).
  bool scanning() const { return scan_all_ && cycle_ == 0; }

  const TraceConfig* config_ = nullptr;
  LineReader reader_;
  TraceTiming timing_;
  std::vector<Role> roles_;
  std::vector<std::string> header_;
  int64_t horizon_ = 0;
  bool scan_all_ = false;
  int64_t reorder_sim_ = 0;  // the reorder window in simulated ns
  int64_t cycle_ = 0;
  bool cycle_had_rows_ = false;
  bool eof_ = false;
  int64_t max_seen_ = std::numeric_limits<int64_t>::min() / 2;  // latest simulated time read
  int64_t max_seen_line_ = 0;
  int64_t last_out_ = std::numeric_limits<int64_t>::min();
  uint64_t order_ = 0;
  std::vector<TraceRow> heap_;
  size_t max_held_ = 0;
  int64_t rows_read_ = 0, rows_replayed_ = 0;
  int64_t first_tau_ = std::numeric_limits<int64_t>::min();
  int64_t last_tau_ = std::numeric_limits<int64_t>::min();
};

}  // namespace slsim
