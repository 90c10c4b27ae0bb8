// Trace replay as arrival sources (arrival_source.hpp): each keeps one pending arrival event,
// reads ahead one row (or one period's count) at a time and draws what the trace does not give
// (overhead, response size, and payload or demand when it has no column for them) from its own
// streams (request.hpp), so every configuration of a scenario replays the same requests.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "slsim/engine.hpp"
#include "slsim/random.hpp"
#include "slsim/request.hpp"
#include "slsim/request_trace.hpp"
#include "slsim/trace.hpp"

namespace slsim {

// What a trace source needs from its simulation.
struct TraceContext {
  Time horizon;
  uint64_t seed = 1;
  uint64_t replication = 0;
  const std::vector<RequestDistributions>* distributions = nullptr;  // per endpoint
  bool skip_bad_rows = false;
  TraceRunStatus* status = nullptr;  // where a stopping error or skipped rows are reported
  bool* stop = nullptr;              // set to stop the run on an error
};

// A per-invocation trace (trace_csv, azure_functions_2021, azure_llm_2023), streamed.
class RequestTraceSource {
 public:
  RequestTraceSource(const TraceConfig& config, const TraceContext& context);

  void start(Engine& engine, uint32_t self);
  Request arrive(Engine& engine, uint32_t self);
  void on_response(Time, Engine&, uint32_t) {}
  bool wants_responses() const { return false; }

 private:
  // Reads the next row into next_ and schedules it; on an error stops the run (or skips the row).
  void advance(Engine& engine, uint32_t self);
  void fail(const std::string& problem);

  const TraceConfig* config_;
  TraceContext context_;
  std::unique_ptr<RequestTraceStream> stream_;  // owns the file and its buffer
  TraceRow next_;
  RequestDraws draws_;
};

// One series (a function, a metric) of a per-minute trace: each period's count spread inside it.
class MinuteCountSource {
 public:
  MinuteCountSource(const TraceConfig& config, const MinuteSeries& series,
                    const TraceContext& context);

  void start(Engine& engine, uint32_t self);
  Request arrive(Engine& engine, uint32_t self);
  void on_response(Time, Engine&, uint32_t) {}
  bool wants_responses() const { return false; }

 private:
  // The next arrival's simulated time, or Time::max() when the series is over.
  Time next_arrival();
  bool next_bin();  // moves to the next period with a count; false when there is none

  const TraceConfig* config_;
  const MinuteSeries* series_;
  uint32_t endpoint_;
  int64_t horizon_;
  RandomStream arrival_rng_;
  RequestDraws draws_;
  RequestDistributions distributions_;
  size_t bin_ = 0;  // index into series_->bins of the current period
  bool started_ = false;
  bool cycle_had_bins_ = false;
  int64_t cycle_ = 0;
  int64_t bin_start_ = 0, bin_length_ = 0;  // simulated ns
  uint32_t count_ = 0, emitted_ = 0;        // the period's count, arrivals placed so far
  double position_ = 0.0;                   // uniform: the last arrival's position in [0, 1)
};

}  // namespace slsim
