#include "slsim/trace_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>

#include "slsim/calendar.hpp"
#include "slsim/limits.hpp"
#include "slsim/minute_trace.hpp"
#include "slsim/request_trace.hpp"

namespace slsim {
namespace {

struct FormatName {
  const char* type;
  TraceFormat format;
};
constexpr FormatName kFormats[] = {{"trace_csv", TraceFormat::kCsv},
                                   {"azure_functions_2019", TraceFormat::kAzureFunctions2019},
                                   {"azure_functions_2021", TraceFormat::kAzureFunctions2021},
                                   {"azure_llm_2023", TraceFormat::kAzureLlm2023},
                                   {"cloudwatch", TraceFormat::kCloudWatch}};

// Azure Functions' Consumption plan stops a function after at most 10 minutes
// (learn.microsoft.com, "Azure Functions hosting options": function app timeout duration), so
// an invocation's arrival (end − duration) is at most that much before the end times around it.
constexpr int64_t kAzure2021ReorderNs = 600'000'000'000;

// Events name their endpoint in 16 bits (event_queue.hpp); 10,000 is far above any account.
constexpr size_t kMaxTraceEndpoints = 10000;

std::optional<TraceFormat> format_of(std::string_view type) {
  for (const auto& f : kFormats)
    if (type == f.type) return f.format;
  return std::nullopt;
}

void report(YamlReader& r, const TraceProblem& p) {
  YamlReader sub(p.file);
  if (p.line > 0) {
    YAML::Mark mark;
    mark.line = static_cast<int>(p.line - 1);
    mark.column = std::max(0, p.column - 1);
    sub.error_at(mark, p.message);
  } else {
    sub.error_file(p.message);
  }
  r.absorb(sub);
}

// Errors of a loader, one `file:line:column: message` or `file: message` per line, for one of
// `files`.
void report_text(YamlReader& r, const std::vector<std::string>& files, const std::string& text) {
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string line = text.substr(start, end - start);
    start = end + 1;
    TraceProblem p{files.empty() ? r.file() : files.front(), 0, 0, line};
    for (const std::string& f : files) {
      if (line.rfind(f + ":", 0) != 0) continue;
      p.file = f;
      int64_t l = 0;
      int c = 0, used = 0;
      const std::string rest = line.substr(f.size());
      if (std::sscanf(rest.c_str(), ":%ld:%d: %n", &l, &c, &used) == 2 && used > 0) {
        p.line = l;
        p.column = c;
        p.message = rest.substr(static_cast<size_t>(used));
      } else {
        p.message = rest.size() > 2 ? rest.substr(2) : rest;
      }
      break;
    }
    report(r, p);
  }
}

void check_keys(YamlReader& r, const YAML::Node& node, const std::string& where,
                const std::vector<std::string>& known) {
  for (const auto& item : node) {
    const std::string key = item.first.Scalar();
    if (std::find(known.begin(), known.end(), key) != known.end()) continue;
    const std::string guess = did_you_mean(key, known);
    r.error(item.first,
            fmt::format("unknown key '{}' in {}{}", key, where,
                        guess.empty() ? fmt::format(" (known keys: {})", fmt::join(known, ", "))
                                      : fmt::format(" (did you mean '{}'?)", guess)));
  }
}

bool valid_name(const std::string& name) {
  const auto alnum = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
  if (name.empty() || name.size() > 63 || name == "total") return false;
  if (!alnum(name.front()) || !alnum(name.back())) return false;
  return std::all_of(name.begin(), name.end(), [&](char c) { return alnum(c) || c == '-'; });
}

// Reads one trace entry (a traffic item, or an item of `traces:`).
class EntryReader {
 public:
  EntryReader(YamlReader& r, Scenario& s, const YAML::Node& node, bool scenario_level)
      : r_(r), s_(s), n_(node), scenario_level_(scenario_level) {}

  // Reads everything but the route; false if the entry cannot be used at all.
  bool read(TraceConfig& c, const std::string& endpoint) {
    const std::string type = n_["type"].Scalar();
    c.format = *format_of(type);
    c.scenario_file = r_.file();
    c.line = n_.Mark().line + 1;
    c.column = n_.Mark().column + 1;
    if (auto name = r_.string(n_, "name", scenario_level_)) {
      if (!valid_name(*name))
        r_.error(n_["name"], fmt::format("trace name '{}' is not allowed: use 1 to 63 letters, "
                                         "digits and hyphens, starting and ending with a letter "
                                         "or digit",
                                         *name));
      c.name = fmt::format("trace '{}'", *name);
      c.stream_base = "traffic/named/" + *name;
    } else {
      int k = 0;
      const std::string prefix = fmt::format("traffic/{}/{}#", endpoint, type);
      for (const TraceConfig& t : s_.traces)
        if (t.stream_base.rfind(prefix, 0) == 0) ++k;
      c.name = fmt::format("endpoint '{}' traffic '{}'", endpoint, type);
      c.stream_base = prefix + std::to_string(k);
    }
    where_ = c.name;
    check(c.format);
    const std::optional<std::string> file = r_.string(n_, "file", true);
    if (!file) return false;
    c.file = r_.resolve_path(n_["file"]);
    if (!exists(n_["file"], c.file)) return false;
    switch (c.format) {
      case TraceFormat::kCsv:
        read_csv(c);
        break;
      case TraceFormat::kAzureFunctions2021:
        c.columns.timestamp = "end_timestamp";
        c.columns.unit = TimestampUnit::kSeconds;
        c.columns.duration = "duration";
        c.columns.ignore = {"app", "func"};
        c.reorder_ns = kAzure2021ReorderNs;
        if (const auto v = r_.string(n_, "service_demand")) {
          if (*v == "trace")
            c.demand_from_duration = true;
          else if (*v != "model")
            r_.error(n_["service_demand"],
                     fmt::format("'service_demand' '{}' is not model (the endpoint model's "
                                 "inference draws) or trace (the duration column)",
                                 *v));
        }
        break;
      case TraceFormat::kAzureLlm2023:
        c.columns.timestamp = "TIMESTAMP";
        c.columns.unit = TimestampUnit::kIso8601;
        c.columns.context_tokens = "ContextTokens";
        c.columns.generated_tokens = "GeneratedTokens";
        read_tokens(c);
        break;
      case TraceFormat::kAzureFunctions2019:
      case TraceFormat::kCloudWatch:
        read_spread(c);
        break;
    }
    c.timing.calendar = c.format == TraceFormat::kCloudWatch ||
                        c.format == TraceFormat::kAzureLlm2023 ||
                        (c.format == TraceFormat::kCsv && calendar_unit(c.columns.unit));
    read_timing(c);
    if (!per_minute(c.format)) check_rereadable(c);
    if (!per_minute(c.format) && n_["reorder_window"]) {
      if (auto v = r_.duration(n_, "reorder_window")) c.reorder_ns = v->ns();
    }
    if (auto v = r_.distribution(n_, "payload", UnitKind::kSize)) c.payload = *v;
    return true;
  }

  // Loads a per-minute trace's selected series. `ids`: the functions a route names (used as
  // the selection when `functions:` is not given).
  bool load_minutes(TraceConfig& c, const std::vector<std::string>& ids) {
    auto trace = std::make_shared<MinuteTrace>();
    std::string errors;
    std::vector<std::string> files{c.file};
    if (c.format == TraceFormat::kAzureFunctions2019) {
      FunctionSelection selection;
      if (!read_selection(selection) && !ids.empty()) {
        selection.kind = FunctionSelection::Kind::kIds;
        selection.ids = ids;
      }
      std::string durations;
      if (n_["durations"] && r_.string(n_, "durations")) {
        durations = r_.resolve_path(n_["durations"]);
        if (!exists(n_["durations"], durations)) return false;
      }
      bool from_trace = false;
      if (const auto v = r_.string(n_, "service_demand")) {
        from_trace = *v == "trace";
        if (*v != "trace" && *v != "model")
          r_.error(n_["service_demand"],
                   fmt::format("'service_demand' '{}' is not model (the endpoint model's "
                               "inference draws) or trace (the durations file's percentiles)",
                               *v));
        else if (from_trace && durations.empty())
          r_.error(n_["service_demand"],
                   "service_demand: trace needs the trace's durations file: add durations: "
                   "<durations.csv> (HashFunction and percentile_Average_* in ms)");
      }
      if (!from_trace) durations.clear();
      if (!durations.empty()) s_.data_files.push_back(durations);
      files.push_back(durations);
      errors = load_azure_functions_2019(c.file, durations, selection, *trace);
    } else {
      int64_t period = 0;
      if (auto v = r_.duration(n_, "period")) {
        if (v->ns() <= 0)
          r_.error(n_["period"], "'period' must be greater than 0 (the export's --period)");
        period = v->ns();
      }
      errors = load_cloudwatch(c.file, period, *trace);
    }
    if (!errors.empty()) {
      report_text(r_, files, errors);
      return false;
    }
    if (c.timing.origin_first_row) {
      c.timing.origin = trace->first_bin;
      c.timing.origin_first_row = false;
    }
    if (c.timing.repeat_ns > 0) {
      const int64_t end = trace->first_bin + static_cast<int64_t>(trace->bins) * trace->bin_ns;
      const int64_t from = std::max(c.timing.window_from, c.timing.origin);
      const int64_t to = std::min(c.timing.window_to, end);
      if (to - from > c.timing.repeat_ns)
        r_.error(n_["repeat"],
                 fmt::format("the trace spans {:g} s from its origin but 'repeat' is {:g} s: rows "
                             "would overlap the next replay; lengthen 'repeat' or narrow 'window'",
                             static_cast<double>(to - from) * 1e-9,
                             static_cast<double>(c.timing.repeat_ns) * 1e-9));
    }
    c.minutes = trace;
    minutes_ = trace;
    return true;
  }

  std::shared_ptr<MinuteTrace> minutes() { return minutes_; }

 private:
  void check(TraceFormat f) {
    std::vector<std::string> keys{"type",  "name",   "file",   "origin", "offset",
                                  "speed", "window", "repeat", "payload"};
    const auto add = [&](std::initializer_list<const char*> more) {
      keys.insert(keys.end(), more.begin(), more.end());
    };
    switch (f) {
      case TraceFormat::kCsv:
        add({"timestamp_column", "timestamp_unit", "payload_column", "demand_column", "demand_unit",
             "ignore_columns", "reorder_window"});
        if (scenario_level_) add({"endpoint_column", "unmapped"});
        break;
      case TraceFormat::kAzureFunctions2021:
        add({"service_demand", "reorder_window"});
        if (scenario_level_) add({"endpoint_column", "unmapped"});
        break;
      case TraceFormat::kAzureLlm2023:
        add({"service_demand", "reorder_window"});
        break;
      case TraceFormat::kAzureFunctions2019:
        add({"durations", "functions", "spread", "service_demand"});
        break;
      case TraceFormat::kCloudWatch:
        add({"period", "spread"});
        break;
    }
    if (scenario_level_) {
      add({"endpoint", "endpoints"});
      if (per_minute(f)) add({"endpoint_template", "name_prefix"});
    }
    check_keys(r_, n_, where_, keys);
    if (!scenario_level_)
      for (const char* key : {"endpoint_column", "endpoint", "endpoints", "endpoint_template"})
        if (n_[key])
          r_.error(n_[key], fmt::format("'{}' routes a trace to other endpoints: declare the "
                                        "trace under the scenario's 'traces:' instead of in an "
                                        "endpoint's traffic",
                                        key));
  }

  // A streamed trace replayed again is read again from its first line: a pipe cannot be.
  // (Per-minute traces are held in memory.)
  void check_rereadable(const TraceConfig& c) {
    const YAML::Node repeat = n_["repeat"];
    if (!repeat || c.timing.repeat_ns <= 0) return;
    std::error_code ec;
    if (std::filesystem::is_regular_file(c.file, ec)) return;
    r_.error(repeat, fmt::format("'repeat' replays {} again from its first line, but it is not a "
                                 "regular file (a pipe?) and can be read only once; write the "
                                 "trace to a file, or remove 'repeat'",
                                 c.file));
  }

  bool exists(const YAML::Node& node, const std::string& path) {
    std::error_code ec;
    if (std::filesystem::exists(path, ec)) return true;
    r_.error(node, fmt::format("no file '{}'; check the path (a relative one starts from the "
                               "scenario's folder)",
                               path));
    return false;
  }

  void read_csv(TraceConfig& c) {
    RequestColumns& col = c.columns;
    if (auto v = r_.string(n_, "timestamp_column")) col.timestamp = *v;
    static const std::map<std::string, TimestampUnit> units = {
        {"s", TimestampUnit::kSeconds},
        {"ms", TimestampUnit::kMilliseconds},
        {"us", TimestampUnit::kMicroseconds},
        {"ns", TimestampUnit::kNanoseconds},
        {"unix_s", TimestampUnit::kUnixSeconds},
        {"unix_ms", TimestampUnit::kUnixMilliseconds},
        {"unix_us", TimestampUnit::kUnixMicroseconds},
        {"unix_ns", TimestampUnit::kUnixNanoseconds},
        {"iso8601", TimestampUnit::kIso8601}};
    if (auto v = r_.string(n_, "timestamp_unit", true)) {
      const auto it = units.find(*v);
      if (it == units.end()) {
        std::vector<std::string> names;
        for (const auto& [k, u] : units) names.push_back(k);
        const std::string guess = did_you_mean(*v, names);
        r_.error(n_["timestamp_unit"],
                 fmt::format("timestamp_unit '{}' is not one of {}{} (s…ns: offsets from the "
                             "trace's zero; unix_*: since 1970; iso8601: date-times)",
                             *v, fmt::join(names, ", "),
                             guess.empty() ? "" : fmt::format(" (did you mean '{}'?)", guess)));
      } else {
        col.unit = it->second;
      }
    }
    if (auto v = r_.string(n_, "endpoint_column")) col.endpoint = *v;
    if (auto v = r_.string(n_, "payload_column")) col.payload = *v;
    if (auto v = r_.string(n_, "demand_column")) col.demand = *v;
    if (auto v = r_.string(n_, "demand_unit")) {
      static const std::map<std::string, double> scales = {
          {"s", 1.0}, {"ms", 1e-3}, {"us", 1e-6}, {"ns", 1e-9}};
      const auto it = scales.find(*v);
      if (it == scales.end())
        r_.error(n_["demand_unit"], fmt::format("demand_unit '{}' is not s, ms, us or ns", *v));
      else
        col.demand_scale = it->second;
      if (!n_["demand_column"])
        r_.error(n_["demand_unit"], "'demand_unit' needs a 'demand_column'");
    }
    if (const YAML::Node ignore = n_["ignore_columns"]) {
      if (!ignore.IsSequence())
        r_.error(ignore, "'ignore_columns' must be a list of column names, e.g. [status, user]");
      else
        for (const auto& name : ignore) col.ignore.push_back(name.Scalar());
    }
    check_column_roles(col);
  }

  // Each column has one role: one named for two would silently lose one of them.
  void check_column_roles(const RequestColumns& col) {
    const std::pair<const char*, const std::string*> roles[] = {
        {"timestamp_column", &col.timestamp},
        {"endpoint_column", &col.endpoint},
        {"payload_column", &col.payload},
        {"demand_column", &col.demand}};
    for (size_t i = 0; i < std::size(roles); ++i)
      for (size_t j = i + 1; j < std::size(roles); ++j)
        if (!roles[j].second->empty() && *roles[i].second == *roles[j].second)
          r_.error(n_[roles[j].first],
                   fmt::format("column '{}' is both the {} and the {}; give each its own column",
                               *roles[j].second, roles[i].first, roles[j].first));
    const YAML::Node ignore = n_["ignore_columns"];
    if (!ignore || !ignore.IsSequence()) return;
    for (const auto& name : ignore)
      for (const auto& [key, column] : roles)
        if (!column->empty() && name.Scalar() == *column)
          r_.error(name, fmt::format("column '{}' is the {}, so it cannot be ignored; remove it "
                                     "from ignore_columns (or remove {})",
                                     *column, key, key));
  }

  void read_tokens(TraceConfig& c) {
    const YAML::Node d = n_["service_demand"];
    if (!d || (d.IsScalar() && d.Scalar() == "model")) return;
    if (!d.IsMap()) {
      r_.error(d,
               "'service_demand' is model (the endpoint model's inference draws) or "
               "{base: 50ms, per_context_token: 0.2ms, per_generated_token: 30ms}: a linear "
               "function of the row's tokens, in time at one vCPU");
      return;
    }
    check_keys(r_, d, "'service_demand'", {"base", "per_context_token", "per_generated_token"});
    TokenDemand t;
    if (auto v = r_.duration(d, "base")) t.base = v->seconds_f();
    if (auto v = r_.duration(d, "per_context_token")) t.per_context_token = v->seconds_f();
    if (auto v = r_.duration(d, "per_generated_token")) t.per_generated_token = v->seconds_f();
    c.tokens = t;
  }

  void read_spread(TraceConfig& c) {
    const auto v = r_.string(n_, "spread");
    if (!v) return;
    if (*v == "uniform")
      c.spread = MinuteSpread::kUniform;
    else if (*v == "even")
      c.spread = MinuteSpread::kEven;
    else if (*v == "minute_start")
      c.spread = MinuteSpread::kMinuteStart;
    else
      r_.error(n_["spread"],
               fmt::format("spread '{}' is not uniform (random instants: Poisson given the "
                           "count), even (evenly spaced) or minute_start (all at the period's "
                           "start)",
                           *v));
  }

  // A trace time: an ISO date-time for a calendar trace, a duration (from the trace's zero)
  // otherwise.
  std::optional<int64_t> trace_time(const YAML::Node& n, bool calendar, const char* key) {
    if (!n.IsScalar()) {
      r_.error(n, fmt::format("'{}' must be a single value", key));
      return std::nullopt;
    }
    if (calendar) {
      int64_t ns = 0;
      if (const char* why = parse_iso8601_ns(n.Scalar(), ns)) {
        r_.error(n, fmt::format("'{}' '{}': {} (this trace's timestamps are calendar instants)",
                                key, n.Scalar(), why));
        return std::nullopt;
      }
      return ns;
    }
    const Quantity q = parse_quantity(n.Scalar(), UnitKind::kDuration);
    if (!q.ok()) {
      r_.error(n, fmt::format("'{}': {} (this trace's times are offsets from its zero, e.g. "
                              "8h)",
                              key, q.error));
      return std::nullopt;
    }
    return Duration::from_seconds(q.value).ns();
  }

  void read_timing(TraceConfig& c) {
    TraceTiming& t = c.timing;
    t.origin = t.calendar ? s_.start.unix_ns : 0;
    if (const YAML::Node o = n_["origin"]) {
      if (o.IsScalar() && o.Scalar() == "first_row") {
        t.origin_first_row = true;
      } else if (o.IsScalar() && o.Scalar() == "start") {
        if (!t.calendar)
          r_.error(o,
                   "origin: start places calendar timestamps on the scenario's calendar; "
                   "this trace's times are offsets (use origin: first_row or a duration)");
      } else if (auto v = trace_time(o, t.calendar, "origin")) {
        t.origin = *v;
      }
    }
    if (auto v = r_.duration(n_, "offset")) t.offset = *v;
    if (const YAML::Node sp = n_["speed"]) {
      std::string text = sp.IsScalar() ? sp.Scalar() : "";
      if (!text.empty() && (text.back() == 'x' || text.back() == 'X')) text.pop_back();
      double speed = 0.0;
      if (parse_double(text, speed) || !(speed >= 1e-3) || speed > 1e6)
        r_.error(sp,
                 "'speed' must be a factor from 0.001x to 1000000x, e.g. 2x (twice as fast) "
                 "or 0.5x");
      else
        t.speed = speed;
    }
    if (const YAML::Node w = n_["window"]) {
      if (!r_.expect_map(w, "'window'")) return;
      check_keys(r_, w, "'window'", {"from", "to"});
      if (w["from"])
        if (auto v = trace_time(w["from"], t.calendar, "from")) t.window_from = *v;
      if (w["to"])
        if (auto v = trace_time(w["to"], t.calendar, "to")) t.window_to = *v;
      if (t.window_from >= t.window_to)
        r_.error(w, "the window is empty: 'from' must be before 'to'");
    }
    if (const YAML::Node rep = n_["repeat"]) {
      if (auto v = r_.duration(n_, "repeat")) {
        if (v->ns() <= 0)
          r_.error(rep,
                   "'repeat' must be greater than 0: the trace time after which it replays "
                   "again, e.g. 1d");
        t.repeat_ns = v->ns();
      }
    }
  }

  // Returns false if `functions:` is absent.
  bool read_selection(FunctionSelection& sel) {
    const YAML::Node f = n_["functions"];
    if (!f) return false;
    if (f.IsScalar() && f.Scalar() == "all") {
      sel.kind = FunctionSelection::Kind::kAll;
    } else if (f.IsSequence()) {
      sel.kind = FunctionSelection::Kind::kIds;
      std::map<std::string, YAML::Node> seen;
      for (const auto& id : f) {
        // Each function is one series: an id given twice is a slip, not a wish to replay it twice.
        if (const auto [it, fresh] = seen.emplace(id.Scalar(), id); !fresh) {
          r_.error(id, fmt::format("function '{}' is listed twice in 'functions' (first at "
                                   "{}:{}); list each function once",
                                   id.Scalar(), it->second.Mark().line + 1,
                                   it->second.Mark().column + 1));
          continue;
        }
        sel.ids.push_back(id.Scalar());
      }
      if (sel.ids.empty()) r_.error(f, "'functions' lists no function");
    } else if (f.IsMap() && f["top"]) {
      check_keys(r_, f, "'functions'", {"top"});
      sel.kind = FunctionSelection::Kind::kTop;
      sel.count = r_.integer(f, "top", 1, 10'000'000).value_or(1);
    } else if (f.IsMap() && f["sample"]) {
      check_keys(r_, f, "'functions'", {"sample", "seed"});
      sel.kind = FunctionSelection::Kind::kSample;
      sel.count = r_.integer(f, "sample", 1, 10'000'000).value_or(1);
      sel.seed = static_cast<uint64_t>(r_.integer(f, "seed", 0, INT64_MAX).value_or(1));
    } else {
      r_.error(f,
               "'functions' is all, {top: N} (the N most invoked), {sample: N, seed: S} (N at "
               "random) or a list of HashFunction values");
    }
    return true;
  }

  YamlReader& r_;
  Scenario& s_;
  YAML::Node n_;
  bool scenario_level_;
  std::string where_;
  std::shared_ptr<MinuteTrace> minutes_;
};

uint32_t endpoint_index(YamlReader& r, const Scenario& s, const YAML::Node& node) {
  const std::string name = node.Scalar();
  for (size_t e = 0; e < s.endpoints.size(); ++e)
    if (s.endpoints[e].name == name) return static_cast<uint32_t>(e);
  std::vector<std::string> names;
  for (const auto& ep : s.endpoints) names.push_back(ep.name);
  const std::string guess = did_you_mean(name, names);
  r.error(node, fmt::format("no endpoint '{}' in the scenario{}", name,
                            guess.empty() ? "" : fmt::format(" (did you mean '{}'?)", guess)));
  return TraceRoute::kNone;
}

// Endpoint names for series keys: a prefix and the key's first characters (as few as keep them
// unique, at least 12), letters, digits and hyphens only.
std::vector<std::string> names_for(const std::string& prefix,
                                   const std::vector<std::string>& keys) {
  for (const size_t length : {12, 16, 24, 32, 48, 60}) {
    std::vector<std::string> names;
    std::set<std::string> seen;
    for (const std::string& key : keys) {
      std::string part;
      for (const char ch : key) {
        if (part.size() >= length) break;
        part += std::isalnum(static_cast<unsigned char>(ch)) ? ch : '-';
      }
      std::string name = (prefix + part).substr(0, 63);
      while (!name.empty() && name.back() == '-') name.pop_back();
      names.push_back(name);
      seen.insert(name);
    }
    if (seen.size() == keys.size()) return names;
  }
  return {};
}

}  // namespace

bool is_trace_type(std::string_view type) { return format_of(type).has_value(); }

std::vector<std::string> trace_type_names() {
  std::vector<std::string> names;
  for (const auto& f : kFormats) names.emplace_back(f.type);
  return names;
}

void read_endpoint_trace(YamlReader& r, const YAML::Node& node, const std::string& endpoint,
                         Scenario& s) {
  TraceConfig c;
  EntryReader reader(r, s, node, false);
  if (!reader.read(c, endpoint)) return;
  c.route.all = static_cast<uint32_t>(s.endpoints.size());
  if (per_minute(c.format)) {
    if (!reader.load_minutes(c, {})) return;
    for (MinuteSeries& series : reader.minutes()->series) series.endpoint = c.route.all;
  }
  s.traces.push_back(std::move(c));
}

void read_scenario_traces(YamlReader& r, const YAML::Node& list, Scenario& s,
                          const TemplateReader& read_template) {
  if (!list.IsSequence()) {
    r.error(list, "'traces' must be a list of traces, each {name, type, file, ...}");
    return;
  }
  std::set<std::string> names;
  for (const YAML::Node& node : list) {
    if (!r.expect_map(node, "a trace")) continue;
    const auto type = r.string(node, "type", true);
    if (!type) continue;
    if (!is_trace_type(*type)) {
      const std::string guess = did_you_mean(*type, trace_type_names());
      r.error(node["type"],
              fmt::format("unknown trace type '{}'{}; known: {}", *type,
                          guess.empty() ? "" : fmt::format(" (did you mean '{}'?)", guess),
                          fmt::join(trace_type_names(), ", ")));
      continue;
    }
    TraceConfig c;
    EntryReader reader(r, s, node, true);
    if (!reader.read(c, "")) continue;
    if (!names.insert(c.name).second)
      r.error(node["name"],
              fmt::format("{} is declared twice; trace names must be unique", c.name));
    // The route.
    const YAML::Node one = node["endpoint"], many = node["endpoints"];
    const bool per_function = many && many.IsScalar() && many.Scalar() == "per_function";
    if (node["endpoint_template"] && !per_function)
      r.error(node["endpoint_template"],
              "'endpoint_template' is used with endpoints: per_function (one endpoint per "
              "function or metric)");
    if (one && many) {
      r.error(many, "give either 'endpoint' (every row to one endpoint) or 'endpoints', not both");
      continue;
    }
    std::map<std::string, uint32_t> keyed;  // trace key → endpoint
    std::map<std::string, YAML::Node> key_nodes;
    if (one) {
      c.route.all = endpoint_index(r, s, one);
      if (c.route.all == TraceRoute::kNone) continue;
    } else if (many && many.IsMap()) {
      for (const auto& item : many) {
        const uint32_t e = endpoint_index(r, s, item.second);
        keyed[item.first.Scalar()] = e;
        key_nodes[item.first.Scalar()] = item.first;
      }
    } else if (many && !per_function) {
      r.error(many, "'endpoints' is a mapping {<trace key>: <endpoint>, ...} or per_function");
      continue;
    }
    if (!per_minute(c.format)) {
      if (per_function) {
        r.error(many, fmt::format("endpoints: per_function needs the functions up front: it "
                                  "works with azure_functions_2019 and cloudwatch; map a "
                                  "per-invocation trace's keys with endpoints: {{key: endpoint}}"));
        continue;
      }
      const bool has_column = !c.columns.endpoint.empty() || node["endpoint_column"];
      if (c.format == TraceFormat::kAzureFunctions2021 && node["endpoint_column"]) {
        const std::string column = node["endpoint_column"].Scalar();
        if (column != "app" && column != "func") {
          r.error(node["endpoint_column"],
                  "an azure_functions_2021 trace routes by its 'app' or 'func' column");
          continue;
        }
        c.columns.endpoint = column;
        c.columns.ignore = {column == "app" ? "func" : "app"};
      }
      if (!one && !has_column) {
        r.error(node, fmt::format("{} feeds no endpoint: add endpoint: <name> (every row to it) "
                                  "or endpoint_column: <column> (rows to the endpoints it names, "
                                  "mapped by endpoints: if its values are not endpoint names)",
                                  c.name));
        continue;
      }
      if (one && has_column) {
        r.error(node["endpoint_column"],
                "'endpoint_column' and 'endpoint' disagree: 'endpoint' sends every row to one "
                "endpoint; remove one of them");
        continue;
      }
      if (!one) {
        if (keyed.empty())  // values are endpoint names
          for (size_t e = 0; e < s.endpoints.size(); ++e)
            keyed[s.endpoints[e].name] = static_cast<uint32_t>(e);
        for (const auto& [k, e] : keyed) c.route.keys.emplace_back(k, e);
        if (auto v = r.string(node, "unmapped")) {
          if (*v == "skip")
            c.route.skip_unmapped = true;
          else if (*v != "error")
            r.error(node["unmapped"],
                    "'unmapped' is error (a row naming no endpoint stops the run) or skip");
        }
      }
      s.traces.push_back(std::move(c));
      continue;
    }
    // Per minute: load the series the route needs, then give each its endpoint.
    std::vector<std::string> ids;
    for (const auto& [k, e] : keyed) ids.push_back(k);
    if (!one && !many) {
      r.error(node, fmt::format("{} feeds no endpoint: add endpoint: <name> (every function to "
                                "it), endpoints: {{<id>: <endpoint>, ...}}, or endpoints: "
                                "per_function with an endpoint_template",
                                c.name));
      continue;
    }
    if (!reader.load_minutes(c, ids)) continue;
    auto& series = reader.minutes()->series;
    if (one) {
      for (MinuteSeries& m : series) m.endpoint = c.route.all;
    } else if (!per_function) {
      std::set<std::string> used;
      for (MinuteSeries& m : series) {
        const auto it = keyed.find(m.key);
        if (it == keyed.end()) {
          r.error(many,
                  fmt::format("{} selects {} '{}', which 'endpoints' does not map; map it "
                              "or narrow 'functions'",
                              c.name, c.format == TraceFormat::kCloudWatch ? "result" : "function",
                              m.key));
          continue;
        }
        m.endpoint = it->second;
        used.insert(m.key);
      }
      for (const auto& [k, node_k] : key_nodes)
        if (!used.count(k))
          r.error(node_k, fmt::format("'{}' is not a {} of the trace{}", k,
                                      c.format == TraceFormat::kCloudWatch ? "result Id"
                                                                           : "selected function",
                                      c.format == TraceFormat::kCloudWatch
                                          ? ""
                                          : " (check the id, or the 'functions' selection)"));
    } else {
      const YAML::Node tmpl = node["endpoint_template"];
      if (!tmpl) {
        r.error(many,
                "endpoints: per_function needs an endpoint_template: {memory: 2048MB, "
                "max_concurrency: 20, ...} (every key of an endpoint but name and traffic)");
        continue;
      }
      EndpointConfig base;
      if (!r.expect_map(tmpl, "'endpoint_template'") || !read_template(tmpl, base)) continue;
      const std::string prefix = r.string(node, "name_prefix").value_or("fn-");
      std::vector<std::string> keys;
      for (const MinuteSeries& m : series) keys.push_back(m.key);
      const std::vector<std::string> endpoint_names = names_for(prefix, keys);
      if (endpoint_names.empty() || !valid_name(prefix + "a")) {
        r.error(node["name_prefix"] ? node["name_prefix"] : many,
                "the trace's keys do not make unique endpoint names; use a shorter name_prefix "
                "of letters, digits and hyphens");
        continue;
      }
      std::set<std::string> existing;
      for (const auto& ep : s.endpoints) existing.insert(ep.name);
      if (s.endpoints.size() + series.size() > kMaxTraceEndpoints) {
        r.error(many, fmt::format("{} would create {} endpoints; slsim holds at most {} in one "
                                  "scenario: select fewer with functions: {{top: N}} or "
                                  "{{sample: N, seed: S}}",
                                  c.name, series.size(), kMaxTraceEndpoints));
        continue;
      }
      for (size_t k = 0; k < series.size(); ++k) {
        if (existing.count(endpoint_names[k])) {
          r.error(many, fmt::format("endpoint '{}' (for {}) exists already; choose another "
                                    "name_prefix",
                                    endpoint_names[k], series[k].key));
          break;
        }
        EndpointConfig ep = base;
        if (ep.model.name == base.name) ep.model.name = endpoint_names[k];
        ep.name = endpoint_names[k];
        series[k].endpoint = static_cast<uint32_t>(s.endpoints.size());
        s.endpoints.push_back(std::move(ep));
      }
    }
    s.traces.push_back(std::move(c));
  }
}

namespace {

// `message` at the trace's place in its scenario file.
std::string at_trace_entry(const TraceConfig& c, const std::string& message) {
  YamlReader r(c.scenario_file);
  YAML::Mark mark;
  mark.line = c.line - 1;
  mark.column = c.column - 1;
  r.error_at(mark, message);
  return r.errors().front();
}

// A calendar trace's row replayed before the scenario's start: the fix of its dates as well.
void add_start_fix(TraceProblem& problem, const TraceConfig& c, const RequestTraceStream& stream) {
  if (problem.line > 0 && c.timing.calendar &&
      problem.message.find("before the scenario's start") != std::string::npos)
    problem.message +=
        fmt::format(", or set the scenario's start: to the trace's dates (it starts {})",
                    format_utc(UtcTime{stream.first_tau()}));
}

// Why a streamed trace read to its end (or its horizon) replays no row inside the scenario.
std::string no_replay_problem(const TraceConfig& c, const RequestTraceStream& stream) {
  if (stream.rows_read() == 0)
    return fmt::format("{}: {} has a header but no rows: an empty trace", c.name, c.file);
  return fmt::format(
      "{} replays none of its rows inside the scenario ({} read; the first inside the window "
      "replays at or after the scenario's end); check 'window', 'origin', 'offset' and the "
      "scenario's start and duration",
      c.name, stream.rows_read());
}

// A period of a per-minute trace, for messages: `minute 3 of function fA` (Azure 2019, whose
// minute columns count from 1) or `the period at 2027-01-04T00:00:00Z of result 'api'`.
std::string period_name(const TraceConfig& c, const MinuteSeries& m, int64_t tau) {
  if (c.format == TraceFormat::kAzureFunctions2019)
    return fmt::format("minute {} of function {}", tau / c.minutes->bin_ns + 1, m.key);
  return fmt::format("the period at {} of result '{}'", format_utc(UtcTime{tau}), m.key);
}

// A trace time as a scenario key takes it: a date-time (calendar traces) or an offset.
std::string trace_time_text(const TraceConfig& c, int64_t tau) {
  return c.timing.calendar ? format_utc(UtcTime{tau})
                           : fmt::format("{:g}s", static_cast<double>(tau) * 1e-9);
}

// Why the first replay of a per-minute trace would leave out invocations of a period in its
// window, or "" when it replays them all up to the scenario's end: a period before its origin
// with `repeat` (only [origin, origin + repeat) is replayed), or one placed, wholly or in part,
// before the scenario's start.
//
// A capacity planner reads a replay's first minutes as the trace's: invocations silently lost
// there would understate the load (and the cold starts) of the start, and validate counts them.
// So a period the start would cut is an error, as a per-invocation row replayed before the start
// is. The scenario's end is where the planner chose to stop looking: a period it cuts keeps the
// invocations placed before the end, as every traffic profile does.
std::string early_period_problem(const TraceConfig& c, const Scenario& s) {
  const MinuteTrace& trace = *c.minutes;
  const TraceTiming& t = c.timing;
  const MinuteSeries* first_series = nullptr;
  int64_t first = TraceTiming::kUnbounded, last = -TraceTiming::kUnbounded, invocations = 0;
  bool before_origin = false;
  for (const MinuteSeries& m : trace.series)
    for (const auto& [bin, count] : m.bins) {
      const int64_t tau = trace.first_bin + static_cast<int64_t>(bin) * trace.bin_ns;
      if (tau < t.window_from || tau >= t.window_to) continue;
      const bool outside = t.repeat_ns > 0 && tau < t.origin;
      if (!outside && t.simulated(tau, 0) >= 0) break;  // bins increase: the rest are later
      if (tau < first) first_series = &m;
      before_origin = before_origin || outside;
      first = std::min(first, tau);
      last = std::max(last, tau);
      invocations += count;
    }
  if (!first_series) return "";
  const std::string where =
      fmt::format("{}: {} in {}", c.name, period_name(c, *first_series, first), c.file);
  // Periods in [last + bin, origin) have no invocations (they would be early too).
  const std::string window =
      fmt::format("leave such periods out with window: {{from: {}}}",
                  trace_time_text(c, std::max(t.origin, last + trace.bin_ns)));
  if (before_origin)
    return fmt::format(
        "{} is before the trace's origin ({}): with 'repeat' only [origin, origin + repeat) is "
        "replayed, so its invocations would be lost ({} in such periods); {}, or move 'origin' "
        "back to {}",
        where, trace_time_text(c, t.origin), invocations, window, trace_time_text(c, first));
  const bool start_is_origin = t.calendar && t.origin == s.start.unix_ns;
  return fmt::format(
      "{} would be replayed from {:g} s before the scenario's start, where invocations would be "
      "lost ({} in such periods); replay it whole with {}origin: {} (or origin: first_row) or "
      "a later offset:, or {}",
      where, static_cast<double>(-t.simulated(first, 0)) * 1e-9, invocations,
      start_is_origin ? fmt::format("the scenario's start: {}, ", trace_time_text(c, first)) : "",
      trace_time_text(c, first), window);
}

}  // namespace

void check_trace_starts(YamlReader& r, const Scenario& s, bool read_rows) {
  for (const TraceConfig& c : s.traces) {
    const auto at_trace = [&](const std::string& message) {
      YAML::Mark mark;
      mark.line = c.line - 1;
      mark.column = c.column - 1;
      r.error_at(mark, message);
    };
    // A repeat replays the trace (re-reads a streamed file) once per period: bounded like the
    // synthetic profiles' work (limits.hpp, kMaxEstimatedRequests), so a run cannot hang.
    if (c.timing.repeat_ns > 0) {
      const double cycles =
          std::ceil(s.duration.seconds_f() / (static_cast<double>(std::max<int64_t>(
                                                  1, c.timing.scaled(c.timing.repeat_ns))) *
                                              1e-9)) *
          std::max(1, s.replications);
      double work = cycles;
      if (c.minutes)
        for (const MinuteSeries& m : c.minutes->series)
          work += cycles * static_cast<double>(m.total);
      if (cycles > 1e9 || work > kMaxEstimatedRequests) {
        at_trace(
            fmt::format("{} would be replayed {:.3g} times ({:.3g} requests or more): more "
                        "than slsim can run; lengthen 'repeat', lower 'speed' or shorten "
                        "the scenario",
                        c.name, cycles, work));
        continue;
      }
    }
    if (per_minute(c.format)) {
      if (const std::string problem = early_period_problem(c, s); !problem.empty()) {
        at_trace(problem);
        continue;
      }
      bool any = false;
      for (const MinuteSeries& m : c.minutes->series) {
        for (const auto& [bin, count] : m.bins) {
          const int64_t tau = c.minutes->first_bin + static_cast<int64_t>(bin) * c.minutes->bin_ns;
          if (tau < c.timing.window_from || tau >= c.timing.window_to) continue;
          const int64_t t = c.timing.simulated(tau, 0);
          if (t + c.timing.scaled(c.minutes->bin_ns) > 0 && t < s.duration.ns()) {
            any = true;
            break;
          }
        }
        if (any) break;
      }
      if (!any)
        at_trace(fmt::format(
            "{} replays no invocation inside the scenario (its {} selected series have {} "
            "invocations, none in [start, start + duration) after its window, origin and "
            "offset); check 'window', 'origin', 'functions' and the scenario's start and "
            "duration",
            c.name, c.minutes->series.size(), [&] {
              int64_t n = 0;
              for (const auto& m : c.minutes->series) n += m.total;
              return n;
            }()));
      continue;
    }
    // A pipe is read by the run only (reading it here would consume it), once.
    std::error_code ec;
    const auto status = std::filesystem::status(c.file, ec);
    if (!ec && std::filesystem::exists(status) && !std::filesystem::is_regular_file(status) &&
        !std::filesystem::is_directory(status)) {
      if (s.replications > 1)
        at_trace(
            fmt::format("{}: {} is not a regular file (a pipe?), so it can be read only "
                        "once: run one replication, or write the trace to a file",
                        c.name, c.file));
      continue;
    }
    if (!read_rows) continue;
    RequestTraceStream stream;
    TraceProblem problem;
    if (!stream.open(c, s.duration.ns(), false, problem)) {
      report(r, problem);
      continue;
    }
    TraceRow row;
    for (;;) {
      const auto status = stream.next(row, problem);
      if (status == RequestTraceStream::Status::kRow) break;
      if (status == RequestTraceStream::Status::kBadRow && s.skip_bad_rows) continue;
      if (status == RequestTraceStream::Status::kEnd) {
        at_trace(no_replay_problem(c, stream));
        break;
      }
      if (status == RequestTraceStream::Status::kBadRow) add_start_fix(problem, c, stream);
      report(r, problem);
      break;
    }
  }
}

std::vector<std::string> scan_traces(const Scenario& s, std::vector<std::string>& errors) {
  std::vector<std::string> lines;
  for (const TraceConfig& c : s.traces) {
    if (per_minute(c.format)) {
      int64_t invocations = 0;
      for (const auto& m : c.minutes->series) invocations += m.total;
      lines.push_back(fmt::format(
          "{} ({}): {} of {} series selected, {} invocations in {} periods of {:g} s; held in "
          "memory: {:.1f} kB",
          c.name, c.file, c.minutes->series.size(), c.minutes->functions_in_file, invocations,
          c.minutes->bins, static_cast<double>(c.minutes->bin_ns) * 1e-9,
          static_cast<double>(c.minutes->memory_bytes()) / 1e3));
      continue;
    }
    RequestTraceStream stream;
    TraceProblem problem;
    if (!stream.open(c, s.duration.ns(), true, problem)) {
      errors.push_back(problem.text());
      continue;
    }
    TraceRow row;
    int64_t bad = 0;
    for (;;) {
      const auto status = stream.next(row, problem);
      if (status == RequestTraceStream::Status::kRow) continue;
      if (status == RequestTraceStream::Status::kEnd) break;
      if (status == RequestTraceStream::Status::kFailed) {
        errors.push_back(problem.text());
        break;
      }
      add_start_fix(problem, c, stream);
      if (bad++ < 10 && !s.skip_bad_rows) errors.push_back(problem.text());
    }
    if (bad > 10 && !s.skip_bad_rows)
      errors.push_back(fmt::format("{}: … and {} more bad rows", c.file, bad - 10));
    // What the load's check_trace_starts would have found reading up to the first replayed row
    // (bad rows, when they are errors, are reason enough).
    if (stream.rows_replayed() == 0 && (bad == 0 || s.skip_bad_rows))
      errors.push_back(at_trace_entry(c, no_replay_problem(c, stream)));
    const auto when = [&](int64_t tau) {
      if (tau == std::numeric_limits<int64_t>::min()) return std::string("-");
      return c.timing.calendar ? format_utc(UtcTime{tau})
                               : fmt::format("{:g} s", static_cast<double>(tau) * 1e-9);
    };
    lines.push_back(fmt::format(
        "{} ({}): {} rows read{}, {} replayed inside the scenario{}; trace times {} to {}{}",
        c.name, c.file, stream.rows_read(),
        bad ? fmt::format(" ({} bad{})", bad, s.skip_bad_rows ? ", to be skipped" : "") : "",
        stream.rows_replayed(),
        c.timing.repeat_ns > 0 ? fmt::format(" (in {} replay{} of the file)", stream.replays(),
                                             stream.replays() == 1 ? "" : "s")
                               : "",
        when(stream.first_tau()), when(stream.last_tau()),
        c.reorder_ns > 0 ? fmt::format("; reordering held at most {} rows", stream.max_held())
                         : ""));
  }
  return lines;
}

}  // namespace slsim
