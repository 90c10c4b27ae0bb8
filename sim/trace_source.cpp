#include "slsim/trace_source.hpp"

#include <cmath>

namespace slsim {

// ---- Per invocation --------------------------------------------------------------------------

RequestTraceSource::RequestTraceSource(const TraceConfig& config, const TraceContext& context)
    : config_(&config),
      context_(context),
      draws_(context.seed, context.replication, config.stream_base) {}

void RequestTraceSource::fail(const std::string& problem) {
  if (context_.status && context_.status->error.empty()) context_.status->error = problem;
  if (context_.stop) *context_.stop = true;
}

void RequestTraceSource::start(Engine& engine, uint32_t self) {
  stream_ = std::make_unique<RequestTraceStream>();
  TraceProblem error;
  if (!stream_->open(*config_, context_.horizon.ns(), false, error)) {
    fail(error.text());
    return;
  }
  advance(engine, self);
}

void RequestTraceSource::advance(Engine& engine, uint32_t self) {
  TraceProblem problem;
  for (;;) {
    switch (stream_->next(next_, problem)) {
      case RequestTraceStream::Status::kRow:
        // Rows before now cannot happen: the stream is in time order and starts at >= 0.
        engine.schedule(Time::at(Duration::nanoseconds(next_.at)), EventKind::kArrival, self);
        return;
      case RequestTraceStream::Status::kEnd:
        return;
      case RequestTraceStream::Status::kBadRow:
        if (context_.skip_bad_rows && context_.status) {
          if (context_.status->skipped_rows++ == 0) context_.status->first_skipped = problem.text();
          continue;
        }
        fail(problem.text() +
             "; or run with --skip-bad-rows to leave such rows out and count them");
        return;
      case RequestTraceStream::Status::kFailed:
        fail(problem.text());
        return;
    }
  }
}

Request RequestTraceSource::arrive(Engine& engine, uint32_t self) {
  const TraceRow row = next_;
  advance(engine, self);
  const uint32_t endpoint = row.endpoint;
  Request r = draws_.draw(engine.now(), self, endpoint, config_->payload,
                          (*context_.distributions)[endpoint]);
  // The trace's own figures replace the draws (which are still taken, so that every quantity's
  // stream stays aligned with the request count).
  if (!std::isnan(row.demand_s)) r.demand_s = row.demand_s;
  if (!std::isnan(row.payload_bytes)) r.payload_bytes = row.payload_bytes;
  return r;
}

// ---- Per minute ------------------------------------------------------------------------------

MinuteCountSource::MinuteCountSource(const TraceConfig& config, const MinuteSeries& series,
                                     const TraceContext& context)
    : config_(&config),
      series_(&series),
      endpoint_(series.endpoint),
      horizon_(context.horizon.ns()),
      arrival_rng_(context.seed, context.replication,
                   config.stream_base + "/" + series.key + "/arrivals"),
      draws_(context.seed, context.replication, config.stream_base + "/" + series.key),
      distributions_((*context.distributions)[series.endpoint]) {
  if (series.demand) distributions_.demand = &*series.demand;
}

void MinuteCountSource::start(Engine& engine, uint32_t self) {
  const Time t = next_arrival();
  if (t != Time::max()) engine.schedule(t, EventKind::kArrival, self);
}

Request MinuteCountSource::arrive(Engine& engine, uint32_t self) {
  const Time t = next_arrival();
  if (t != Time::max()) engine.schedule(t, EventKind::kArrival, self);
  return draws_.draw(engine.now(), self, endpoint_, config_->payload, distributions_);
}

bool MinuteCountSource::next_bin() {
  const MinuteTrace& trace = *config_->minutes;
  const TraceTiming& timing = config_->timing;
  const auto& bins = series_->bins;
  for (;;) {
    if (started_) ++bin_;
    started_ = true;
    if (bin_ >= bins.size()) {
      // Replay again one period later, unless a whole cycle had nothing in the window.
      if (timing.repeat_ns <= 0 || !cycle_had_bins_) return false;
      bin_ = 0;
      ++cycle_;
      cycle_had_bins_ = false;
    }
    const int64_t tau = trace.first_bin + static_cast<int64_t>(bins[bin_].first) * trace.bin_ns;
    if (tau < timing.window_from || (timing.repeat_ns > 0 && tau < timing.origin)) continue;
    if (tau >= timing.window_to ||
        (timing.repeat_ns > 0 && tau - timing.origin >= timing.repeat_ns)) {
      if (timing.repeat_ns <= 0) return false;
      bin_ = bins.size() - 1;  // the rest of this cycle is outside: on to the next one
      continue;
    }
    cycle_had_bins_ = true;
    bin_start_ = timing.simulated(tau, cycle_);
    if (bin_start_ >= horizon_) return false;
    bin_length_ = timing.simulated(tau + trace.bin_ns, cycle_) - bin_start_;
    count_ = bins[bin_].second;
    emitted_ = 0;
    position_ = 0.0;
    return true;
  }
}

Time MinuteCountSource::next_arrival() {
  for (;;) {
    if (emitted_ >= count_ && !next_bin()) return Time::max();
    if (emitted_ >= count_) continue;
    const uint32_t k = emitted_++;
    int64_t offset = 0;
    switch (config_->spread) {
      case MinuteSpread::kUniform: {
        // The k-th smallest of `count` uniforms given the (k−1)-th: the rest are uniform above
        // it, and the smallest of m uniforms on (u, 1) is u + (1 − u)(1 − V^(1/m)).
        const uint32_t m = count_ - k;
        const double v = arrival_rng_.uniform_open();
        position_ = 1.0 - (1.0 - position_) * (m == 1 ? v : std::pow(v, 1.0 / m));
        offset = static_cast<int64_t>(position_ * static_cast<double>(bin_length_));
        if (offset >= bin_length_) offset = bin_length_ - 1;
        break;
      }
      case MinuteSpread::kEven:
        offset = static_cast<int64_t>((static_cast<__int128>(2 * k + 1) * bin_length_) /
                                      (2 * static_cast<int64_t>(count_)));
        break;
      case MinuteSpread::kMinuteStart:
        offset = 0;
        break;
    }
    const int64_t t = bin_start_ + offset;
    // Never taken for a loaded scenario: check_trace_starts refuses a period replayed before the
    // scenario's start (it would lose invocations).
    if (t < 0) continue;
    if (t >= horizon_) return Time::max();
    return Time::at(Duration::nanoseconds(t));
  }
}

}  // namespace slsim
