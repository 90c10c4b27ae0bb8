#include "slsim/request_trace.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "slsim/calendar.hpp"
#include "slsim/limits.hpp"
#include "slsim/yaml_reader.hpp"

namespace slsim {
namespace {

// Min-heap order: earliest first, then file order.
bool later(const TraceRow& a, const TraceRow& b) {
  return a.at != b.at ? a.at > b.at : a.order > b.order;
}

const char* unit_hint(TimestampUnit u) {
  switch (u) {
    case TimestampUnit::kIso8601:
      return "timestamp_unit is iso8601";
    case TimestampUnit::kSeconds:
    case TimestampUnit::kUnixSeconds:
      return "timestamp_unit is seconds";
    case TimestampUnit::kMilliseconds:
    case TimestampUnit::kUnixMilliseconds:
      return "timestamp_unit is milliseconds";
    case TimestampUnit::kMicroseconds:
    case TimestampUnit::kUnixMicroseconds:
      return "timestamp_unit is microseconds";
    default:
      return "timestamp_unit is nanoseconds";
  }
}

}  // namespace

TraceProblem RequestTraceStream::at(int column, std::string message) const {
  return TraceProblem{reader_.path(), reader_.line_number(), column, std::move(message)};
}

std::string RequestTraceStream::format_tau(int64_t tau) const {
  if (timing_.calendar) return format_utc(UtcTime{tau});
  return fmt::format("{:g} s", static_cast<double>(tau) * 1e-9);
}

bool RequestTraceStream::open(const TraceConfig& config, int64_t horizon_ns, bool scan_all,
                              TraceProblem& error) {
  config_ = &config;
  timing_ = config.timing;
  horizon_ = horizon_ns;
  scan_all_ = scan_all;
  reorder_sim_ =
      config.reorder_ns > 0 ? std::max<int64_t>(1, timing_.scaled(config.reorder_ns)) : 0;
  const auto fail = [&](int64_t line, int column, std::string message) {
    error = TraceProblem{config.file, line, column, std::move(message)};
    return false;
  };
  std::string problem;
  if (!reader_.open(config.file, problem)) return fail(0, 0, problem);
  if (timing_.repeat_ns > 0 && !reader_.seekable())
    return fail(0, 0,
                fmt::format("is not a regular file (a pipe?), so it cannot be replayed again: "
                            "remove 'repeat' from {}",
                            config.name));
  std::string_view line;
  if (!reader_.next(line))
    return reader_.error().empty()
               ? fail(0, 0, "the file is empty: a trace needs a header line and rows")
               : fail(1, 1, reader_.error());
  header_ = split_header(line);
  // A name twice would make a role's column ambiguous (and "unknown column" misleading).
  std::vector<int> starts;  // each name's column in the line
  for (size_t i = 0; i < header_.size(); ++i) {
    starts.push_back(i == 0 ? 1 : starts.back() + static_cast<int>(header_[i - 1].size()) + 1);
    for (size_t j = 0; j < i; ++j)
      if (header_[j] == header_[i])
        return fail(1, starts[i],
                    fmt::format("duplicate column '{}' (also at 1:{}); give each column its own "
                                "name, or remove one",
                                header_[i], starts[j]));
  }
  const RequestColumns& c = config.columns;
  roles_.assign(header_.size(), Role::kIgnored);
  const auto column = [&](const std::string& name, Role role, const char* key) {
    if (name.empty()) return true;
    const auto it = std::find(header_.begin(), header_.end(), name);
    if (it == header_.end()) {
      const std::string guess = did_you_mean(name, header_);
      return fail(1, 1,
                  fmt::format("no column '{}' (the trace's {}){}; the header has: {}", name, key,
                              guess.empty() ? "" : fmt::format(" (did you mean '{}'?)", guess),
                              fmt::join(header_, ", ")));
    }
    roles_[static_cast<size_t>(it - header_.begin())] = role;
    return true;
  };
  if (!column(c.timestamp, Role::kTimestamp, "timestamp_column") ||
      !column(c.duration, Role::kDuration, "duration column") ||
      !column(c.endpoint, Role::kEndpoint, "endpoint_column") ||
      !column(c.payload, Role::kPayload, "payload_column") ||
      !column(c.demand, Role::kDemand, "demand_column") ||
      !column(c.context_tokens, Role::kContextTokens, "context tokens column") ||
      !column(c.generated_tokens, Role::kGeneratedTokens, "generated tokens column"))
    return false;
  // Every other column must be one the trace declares it ignores: a column slsim does not use
  // may be one the user meant to use (a misspelt name in the scenario, a wrong file).
  int col = 1;
  for (size_t i = 0; i < header_.size(); ++i) {
    const std::string& name = header_[i];
    if (roles_[i] == Role::kIgnored &&
        std::find(c.ignore.begin(), c.ignore.end(), name) == c.ignore.end()) {
      std::vector<std::string> wanted;
      for (const std::string* w : {&c.timestamp, &c.duration, &c.endpoint, &c.payload, &c.demand})
        if (!w->empty()) wanted.push_back(*w);
      const std::string guess = did_you_mean(name, wanted);
      return fail(
          1, col,
          fmt::format(
              "unknown column '{}'{} in {}; name it in ignore_columns: [{}] if slsim should not "
              "use it{}",
              name, guess.empty() ? "" : fmt::format(" (did you mean '{}'?)", guess), config.name,
              name,
              config.format == TraceFormat::kCsv
                  ? ", or use it as endpoint_column, payload_column or demand_column"
                  : fmt::format(" (a {} file has exactly the columns of its format)",
                                trace_format_name(config.format))));
    }
    col += static_cast<int>(name.size()) + 1;
  }
  return true;
}

RequestTraceStream::Read RequestTraceStream::read_row(TraceRow& row, TraceProblem& problem) {
  std::string_view line;
  for (;;) {
    if (!reader_.next(line)) return Read::kEof;
    if (!line.empty()) break;  // blank lines (a trailing one) are not rows
  }
  if (cycle_ == 0) ++rows_read_;
  const RequestColumns& c = config_->columns;
  CsvFields fields(line);
  std::string_view f;
  int column = 1;
  size_t index = 0;
  int64_t tau = 0, duration = 0, context = 0, generated = 0;
  int time_column = 1;
  std::string_view key;
  int key_column = 1;
  row.demand_s = std::numeric_limits<double>::quiet_NaN();
  row.payload_bytes = std::numeric_limits<double>::quiet_NaN();
  const char* bad = nullptr;
  while (fields.next(f, column)) {
    if (index >= roles_.size()) {
      problem =
          at(column, fmt::format("the row has more cells than the header's {} columns; remove the "
                                 "extra cells or name the column in the header",
                                 roles_.size()));
      return Read::kBad;
    }
    switch (roles_[index++]) {
      case Role::kIgnored:
        break;
      case Role::kTimestamp:
        time_column = column;
        if (c.unit == TimestampUnit::kIso8601) {
          if ((bad = parse_iso8601_ns(f, tau))) {
            problem = at(column, fmt::format("timestamp '{}': {}", f, bad));
            return Read::kBad;
          }
        } else if ((bad = parse_scaled_decimal(f, unit_exponent(c.unit), tau))) {
          problem = at(column, fmt::format("timestamp '{}': {} ({}; write a number, e.g. 12.5)", f,
                                           bad, unit_hint(c.unit)));
          return Read::kBad;
        }
        break;
      case Role::kDuration:
        if ((bad = parse_scaled_decimal(f, 9, duration)) || duration < 0) {
          problem = at(column, fmt::format("duration '{}': {}; write seconds, e.g. 0.25", f,
                                           bad ? bad : "it is negative"));
          return Read::kBad;
        }
        break;
      case Role::kEndpoint:
        key = f;
        key_column = column;
        break;
      case Role::kPayload:
        if ((bad = parse_double(f, row.payload_bytes)) || row.payload_bytes < 0) {
          problem = at(column, fmt::format("payload '{}': {}; write bytes, e.g. 2048", f,
                                           bad ? bad : "it is negative"));
          return Read::kBad;
        }
        break;
      case Role::kDemand:
        if ((bad = parse_double(f, row.demand_s)) || row.demand_s < 0) {
          problem = at(column, fmt::format("demand '{}': {}; write a non-negative number", f,
                                           bad ? bad : "it is negative"));
          return Read::kBad;
        }
        row.demand_s *= c.demand_scale;
        break;
      case Role::kContextTokens:
      case Role::kGeneratedTokens:
        if ((bad =
                 parse_count(f, roles_[index - 1] == Role::kContextTokens ? context : generated))) {
          problem = at(column, fmt::format("token count '{}': {}; write a whole number", f, bad));
          return Read::kBad;
        }
        break;
    }
  }
  if (!fields.well_formed()) {
    problem =
        at(column, fmt::format("a quoted cell is not closed, or text follows its closing quote"));
    return Read::kBad;
  }
  if (index < roles_.size()) {
    problem = at(static_cast<int>(line.size()) + 1,
                 fmt::format("the row has {} cell{}, the header {} columns; complete the row",
                             index, index == 1 ? "" : "s", roles_.size()));
    return Read::kBad;
  }
  if (config_->demand_from_duration) row.demand_s = static_cast<double>(duration) * 1e-9;
  if (config_->tokens)
    row.demand_s = config_->tokens->base +
                   config_->tokens->per_context_token * static_cast<double>(context) +
                   config_->tokens->per_generated_token * static_cast<double>(generated);
  // slsim's limits (limits.hpp): a value the clock or the sizes cannot hold is a bad row.
  if (row.demand_s > kMaxDurationSeconds) {
    problem = at(1, fmt::format("the row's service demand {:g} s is longer than slsim's limit of "
                                "10 years ({:g} s); correct the row or leave it out",
                                row.demand_s, kMaxDurationSeconds));
    return Read::kBad;
  }
  if (row.payload_bytes > kMaxSizeBytes) {
    problem = at(1, fmt::format("the row's payload {:g} bytes is larger than slsim's limit of "
                                "1 PB; correct the row or leave it out",
                                row.payload_bytes));
    return Read::kBad;
  }
  tau -= duration;
  constexpr int64_t kTraceTimeBound = INT64_C(1) << 62;  // ±146 years of ns
  if (tau <= -kTraceTimeBound || tau >= kTraceTimeBound) {
    problem = at(time_column,
                 "the row's time is more than 146 years from the trace's zero; "
                 "check timestamp_unit");
    return Read::kBad;
  }

  // The window, then the route, then where it lands in simulated time.
  if (tau < timing_.window_from) return Read::kSkip;
  if (tau >= timing_.window_to) {
    const int64_t slack = config_->reorder_ns;
    if (!scanning() && tau - slack >= timing_.window_to) return Read::kEof;
    return Read::kSkip;
  }
  if (timing_.origin_first_row) {
    timing_.origin = tau;
    timing_.origin_first_row = false;
  }
  if (first_tau_ == std::numeric_limits<int64_t>::min()) first_tau_ = tau;
  last_tau_ = std::max(last_tau_, tau);
  cycle_had_rows_ = true;
  if (timing_.repeat_ns > 0 &&
      (tau < timing_.origin || tau - timing_.origin >= timing_.repeat_ns)) {
    problem = at(
        time_column,
        fmt::format("the row's time {} is outside the replayed period [{}, {} + repeat); lengthen "
                    "'repeat' or narrow 'window' to the period",
                    format_tau(tau), format_tau(timing_.origin), format_tau(timing_.origin)));
    return Read::kBad;
  }
  const TraceRoute& route = config_->route;
  row.endpoint = route.all;
  if (row.endpoint == TraceRoute::kNone) {
    row.endpoint = route.find(key);
    if (row.endpoint == TraceRoute::kNone) {
      if (route.skip_unmapped) return Read::kSkip;
      problem =
          at(key_column,
             fmt::format(
                 "'{}' in column '{}' names no endpoint of the scenario; map it under the trace's "
                 "'endpoints:' ({}: <endpoint>), or set unmapped: skip to leave such rows out",
                 key, c.endpoint, key));
      return Read::kBad;
    }
  }
  row.at = timing_.simulated(tau, cycle_);
  if (row.at < 0) {
    problem = at(
        time_column,
        fmt::format(
            "the row's time {} is replayed {:g} s before the scenario's start; leave earlier rows "
            "out with window: {{from: ...}}, or move the replay with origin: first_row or offset:",
            format_tau(tau), static_cast<double>(-row.at) * 1e-9));
    return Read::kBad;
  }
  // Out of order by more than the reorder window (in the file, before reordering).
  if (row.at < max_seen_ - reorder_sim_) {
    const double late = static_cast<double>(max_seen_ - row.at) * 1e-9 * timing_.speed;
    problem = at(
        time_column,
        fmt::format(
            "the row's time {} is {:g} s earlier than line {}'s; rows may be out of time order by "
            "at most reorder_window ({:g} s): sort the file by time or set reorder_window: {}s or "
            "more",
            format_tau(tau), late, max_seen_line_, static_cast<double>(config_->reorder_ns) * 1e-9,
            std::ceil(late)));
    return Read::kBad;
  }
  if (row.at > max_seen_) {
    max_seen_ = row.at;
    max_seen_line_ = reader_.line_number();
  }
  if (row.at >= horizon_) {
    if (!scanning() && row.at - reorder_sim_ >= horizon_) {
      if (timing_.repeat_ns <= 0) return Read::kEof;
      eof_ = true;  // later cycles are later still
      return Read::kEof;
    }
    return Read::kSkip;
  }
  row.order = order_++;
  return Read::kRow;
}

RequestTraceStream::Status RequestTraceStream::pop(TraceRow& row) {
  std::pop_heap(heap_.begin(), heap_.end(), later);
  row = heap_.back();
  heap_.pop_back();
  last_out_ = row.at;
  ++rows_replayed_;
  return Status::kRow;
}

RequestTraceStream::Status RequestTraceStream::next(TraceRow& row, TraceProblem& problem) {
  for (;;) {
    if (!heap_.empty() && (eof_ || heap_.front().at <= max_seen_ - reorder_sim_)) return pop(row);
    if (eof_) return Status::kEnd;
    TraceRow r;
    const Read read = read_row(reorder_sim_ == 0 ? row : r, problem);
    switch (read) {
      case Read::kRow:
        if (reorder_sim_ == 0) {  // in file order: no heap
          last_out_ = row.at;
          ++rows_replayed_;
          return Status::kRow;
        }
        heap_.push_back(r);
        std::push_heap(heap_.begin(), heap_.end(), later);
        max_held_ = std::max(max_held_, heap_.size());
        break;
      case Read::kSkip:
        break;
      case Read::kBad:
        // A row bad in a later replay was bad in the first, which read the file up to it and
        // returned it: each bad row of the file is reported (and a skipped one counted) once. (A
        // replay checks the same rows by the same columns, route and order, only later in time:
        // a row good in the first replay is good in every later one.)
        if (cycle_ > 0) break;
        return Status::kBadRow;
      case Read::kEof: {
        if (!reader_.error().empty()) {
          problem = TraceProblem{reader_.path(), reader_.line_number() + 1, 1, reader_.error()};
          eof_ = true;
          return Status::kFailed;
        }
        // No further replay when this one had no row in the window, or when the next one starts
        // at or after the horizon (every replayed row has τ >= origin, so none of its rows could
        // be replayed inside the scenario; in scan_all mode rows past the horizon are read and
        // left out, so cycle_had_rows_ alone would rewind forever).
        if (timing_.repeat_ns <= 0 || eof_ || !cycle_had_rows_ ||
            timing_.simulated(timing_.origin, cycle_ + 1) >= horizon_) {
          eof_ = true;
          break;
        }
        // The file is at its end: replay it one period later.
        std::string error;
        std::string_view header;
        if (!reader_.rewind(error) || !reader_.next(header)) {
          problem = TraceProblem{reader_.path(), 0, 0, error};
          eof_ = true;
          return Status::kFailed;
        }
        ++cycle_;
        cycle_had_rows_ = false;
        break;
      }
    }
  }
}

}  // namespace slsim
