#include "slsim/minute_trace.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <numeric>
#include <unordered_map>

#include "slsim/limits.hpp"
#include "slsim/line_reader.hpp"
#include "slsim/random.hpp"
#include "slsim/yaml_reader.hpp"

namespace slsim {
namespace {

constexpr int kMaxErrors = 10;  // per file: a systematic problem is clear from the first ones

// Collects errors, at most kMaxErrors of them, then a count of the rest.
struct Errors {
  std::vector<std::string> lines;
  int64_t more = 0;
  void add(std::string e) {
    if (lines.size() < kMaxErrors)
      lines.push_back(std::move(e));
    else
      ++more;
  }
  bool any() const { return !lines.empty(); }
  std::string text() const {
    std::string s = fmt::format("{}", fmt::join(lines, "\n"));
    if (more)
      s += fmt::format("\n… and {} more error{} in the same file", more, more == 1 ? "" : "s");
    return s;
  }
};

constexpr int64_t kMinutesPerDay = 1440;  // an invocations file holds one day

// `N` or `minute_N` (N >= 1) → N; 0 if the name is not a minute column.
int64_t minute_number(std::string_view name) {
  if (name.substr(0, 7) == "minute_") name.remove_prefix(7);
  int64_t n = 0;
  const auto [p, ec] = std::from_chars(name.data(), name.data() + name.size(), n);
  if (ec != std::errc() || p != name.data() + name.size() || n < 1 || n > 10'000'000) return 0;
  return n;
}

}  // namespace

std::string load_azure_functions_2019(const std::string& invocations, const std::string& durations,
                                      const FunctionSelection& selection, MinuteTrace& out) {
  Errors errors;
  LineReader reader;
  std::string problem;
  if (!reader.open(invocations, problem)) return fmt::format("{}: {}", invocations, problem);
  std::string_view line;
  if (!reader.next(line))
    return reader.error().empty()
               ? fmt::format(
                     "{}: the file is empty: an Azure Functions 2019 invocations file starts "
                     "with the header HashOwner,HashApp,HashFunction,Trigger,1,…,1440",
                     invocations)
               : fmt::format("{}:{}:1: {}", invocations, reader.line_number() + 1, reader.error());
  const std::vector<std::string> header = split_header(line);
  // Column index → minute bin (>= 0), or -1 for an id column, -2 for the function's hash.
  std::vector<int64_t> bin_of(header.size(), -1);
  bool has_function = false;
  int64_t max_minute = 0;
  int column = 1;
  std::map<std::string, int> first_at;  // a column's name (a minute's number) → its column
  for (size_t i = 0; i < header.size(); ++i) {
    const std::string& name = header[i];
    const int64_t minute = minute_number(name);
    // A column twice (a minute twice, as `1` and `minute_1`) would be summed or overwritten.
    if (const auto [it, fresh] = first_at.emplace(minute ? std::to_string(minute) : name, column);
        !fresh) {
      errors.add(minute ? fmt::format("{}:1:{}: column '{}' is minute {} again (also at 1:{}); "
                                      "give each minute one column",
                                      invocations, column, name, minute, it->second)
                        : fmt::format("{}:1:{}: duplicate column '{}' (also at 1:{}); give each "
                                      "column its own name, or remove one",
                                      invocations, column, name, it->second));
    } else if (minute > kMinutesPerDay) {
      errors.add(fmt::format(
          "{}:1:{}: minute column '{}' is beyond the day's {} minutes; an Azure Functions 2019 "
          "invocations file holds one day, its minutes named 1…1440 or minute_1…minute_1440",
          invocations, column, name, kMinutesPerDay));
    } else if (name == "HashFunction") {
      bin_of[i] = -2;
      has_function = true;
    } else if (name == "HashOwner" || name == "HashApp" || name == "Trigger") {
      bin_of[i] = -1;
    } else if (minute) {
      bin_of[i] = minute - 1;
      max_minute = std::max(max_minute, minute);
    } else {
      const std::string guess =
          did_you_mean(name, {"HashOwner", "HashApp", "HashFunction", "Trigger"});
      errors.add(fmt::format(
          "{}:1:{}: unknown column '{}'{}; an Azure Functions 2019 invocations file has "
          "HashOwner, HashApp, HashFunction, optionally Trigger, and one column per minute "
          "named 1…1440 or minute_1…minute_1440",
          invocations, column, name,
          guess.empty() ? "" : fmt::format(" (did you mean '{}'?)", guess)));
    }
    column += static_cast<int>(name.size()) + 1;
  }
  if (!has_function)
    errors.add(fmt::format("{}:1:1: no column 'HashFunction'; the header has: {}", invocations,
                           fmt::join(header, ", ")));
  if (max_minute == 0)
    errors.add(
        fmt::format("{}:1:1: no minute columns (1…1440 or minute_1…); this is not an "
                    "invocations file (durations and memory files have no counts)",
                    invocations));
  if (errors.any()) return errors.text();
  // Bins count from the first minute column (the 8-hour sample's columns are 480…959).
  int64_t min_minute = max_minute;
  for (const int64_t b : bin_of)
    if (b >= 0) min_minute = std::min(min_minute, b + 1);
  for (int64_t& b : bin_of)
    if (b >= 0) b -= min_minute - 1;

  // One pass: every row checked, its total and nonzero minutes kept (sparse; the selection
  // below drops the others).
  struct Row {
    std::string key;
    int64_t line = 0;
    int64_t total = 0;
    std::vector<std::pair<uint32_t, uint32_t>> bins;
  };
  std::vector<Row> rows;
  std::unordered_map<std::string, size_t> index;
  while (reader.next(line)) {
    if (line.empty()) continue;
    Row row;
    row.line = reader.line_number();
    CsvFields fields(line);
    std::string_view f;
    size_t i = 0;
    bool bad = false;
    while (fields.next(f, column)) {
      if (i >= header.size()) {
        errors.add(fmt::format("{}:{}:{}: the row has more cells than the header's {} columns",
                               invocations, row.line, column, header.size()));
        bad = true;
        break;
      }
      const int64_t bin = bin_of[i++];
      if (bin == -2) {
        row.key.assign(f);
      } else if (bin >= 0) {
        int64_t count = 0;
        if (const char* why = parse_count(f, count); why || count > UINT32_MAX) {
          errors.add(fmt::format(
              "{}:{}:{}: invocations in {} '{}': {}; write a whole number of "
              "invocations (0 or more)",
              invocations, row.line, column, header[i - 1], f, why ? why : "too large"));
          bad = true;
          continue;
        }
        if (count > 0) {
          row.total += count;
          row.bins.emplace_back(static_cast<uint32_t>(bin), static_cast<uint32_t>(count));
        }
      }
    }
    if (!bad && i < header.size()) {
      errors.add(fmt::format("{}:{}:{}: the row has {} cells, the header {} columns; complete it",
                             invocations, row.line, line.size() + 1, i, header.size()));
      bad = true;
    }
    if (bad) continue;
    if (row.key.empty()) {
      errors.add(fmt::format("{}:{}:1: the row has no HashFunction", invocations, row.line));
      continue;
    }
    if (const auto [it, fresh] = index.emplace(row.key, rows.size()); !fresh) {
      errors.add(
          fmt::format("{}:{}:1: function {} appears again (first on line {}); keep one row "
                      "per function",
                      invocations, row.line, row.key, rows[it->second].line));
      continue;
    }
    std::sort(row.bins.begin(), row.bins.end());
    rows.push_back(std::move(row));
  }
  if (!reader.error().empty())
    errors.add(fmt::format("{}:{}:1: {}", invocations, reader.line_number() + 1, reader.error()));
  if (errors.any()) return errors.text();
  if (rows.empty())
    return fmt::format("{}: the file has a header but no functions: a trace needs rows",
                       invocations);

  // The selection, in file order.
  std::vector<size_t> chosen;
  switch (selection.kind) {
    case FunctionSelection::Kind::kAll:
      chosen.resize(rows.size());
      std::iota(chosen.begin(), chosen.end(), 0);
      break;
    case FunctionSelection::Kind::kTop: {
      chosen.resize(rows.size());
      std::iota(chosen.begin(), chosen.end(), 0);
      // Most invocations first; ties in file order.
      std::stable_sort(chosen.begin(), chosen.end(),
                       [&](size_t a, size_t b) { return rows[a].total > rows[b].total; });
      chosen.resize(std::min<size_t>(chosen.size(), static_cast<size_t>(selection.count)));
      std::sort(chosen.begin(), chosen.end());
      break;
    }
    case FunctionSelection::Kind::kSample: {
      // A partial Fisher–Yates shuffle on slsim's own generator: the same functions for a seed
      // on every platform.
      std::vector<size_t> all(rows.size());
      std::iota(all.begin(), all.end(), 0);
      RandomStream rng(selection.seed, 0, "trace/function-sample");
      const size_t n = std::min<size_t>(all.size(), static_cast<size_t>(selection.count));
      for (size_t k = 0; k < n; ++k) {
        const size_t j = k + static_cast<size_t>(rng.next_u64() % (all.size() - k));
        std::swap(all[k], all[j]);
      }
      chosen.assign(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(n));
      std::sort(chosen.begin(), chosen.end());
      break;
    }
    case FunctionSelection::Kind::kIds: {
      std::vector<bool> picked(rows.size(), false);
      for (const std::string& id : selection.ids) {
        const auto it = index.find(id);
        if (it == index.end()) {
          errors.add(
              fmt::format("{}: function '{}' is not in the file; list HashFunction values "
                          "that are, or select {{top: N}}",
                          invocations, id));
          continue;
        }
        // Each row's bins are moved into its series: a second series would be empty.
        if (picked[it->second]) {
          errors.add(fmt::format("{}: function '{}' is selected twice; list each function once",
                                 invocations, id));
          continue;
        }
        picked[it->second] = true;
        chosen.push_back(it->second);
      }
      if (errors.any()) return errors.text();
      break;
    }
  }
  out = MinuteTrace{};
  out.first_bin = (min_minute - 1) * 60'000'000'000;
  out.bin_ns = 60'000'000'000;
  out.bins = static_cast<uint32_t>(max_minute - min_minute + 1);
  out.functions_in_file = static_cast<int64_t>(rows.size());
  std::unordered_map<std::string, size_t> series_of;
  for (const size_t r : chosen) {
    MinuteSeries s;
    s.key = rows[r].key;
    s.total = rows[r].total;
    s.bins = std::move(rows[r].bins);
    s.bins.shrink_to_fit();
    series_of.emplace(s.key, out.series.size());
    out.series.push_back(std::move(s));
  }
  if (durations.empty()) return "";

  // Durations: percentiles of 30-second averages, in ms (Azure's dataset notes).
  if (!reader.open(durations, problem)) return fmt::format("{}: {}", durations, problem);
  if (!reader.next(line))
    return reader.error().empty()
               ? fmt::format(
                     "{}: the file is empty; a durations file starts with the header "
                     "HashOwner,HashApp,HashFunction,Average,Count,Minimum,Maximum,"
                     "percentile_Average_0,…",
                     durations)
               : fmt::format("{}:{}:1: {}", durations, reader.line_number() + 1, reader.error());
  const std::vector<std::string> dheader = split_header(line);
  static const double kProbabilities[] = {0.0, 0.01, 0.25, 0.5, 0.75, 0.99, 1.0};
  static const char* kColumns[] = {"percentile_Average_0",  "percentile_Average_1",
                                   "percentile_Average_25", "percentile_Average_50",
                                   "percentile_Average_75", "percentile_Average_99",
                                   "percentile_Average_100"};
  std::vector<int> role(dheader.size(), -1);  // 0..6 percentile, 7 HashFunction
  bool has_key = false;
  for (size_t i = 0; i < dheader.size(); ++i) {
    if (dheader[i] == "HashFunction") {
      role[i] = 7;
      has_key = true;
    }
    for (int p = 0; p < 7; ++p)
      if (dheader[i] == kColumns[p]) role[i] = p;
  }
  for (int p = 0; p < 7; ++p)
    if (std::find(dheader.begin(), dheader.end(), kColumns[p]) == dheader.end())
      errors.add(
          fmt::format("{}:1:1: no column '{}'; a durations file has HashFunction and "
                      "percentile_Average_{{0,1,25,50,75,99,100}} (ms)",
                      durations, kColumns[p]));
  if (!has_key) errors.add(fmt::format("{}:1:1: no column 'HashFunction'", durations));
  if (errors.any()) return errors.text();
  std::vector<bool> found(out.series.size(), false);
  std::unordered_map<std::string, int64_t> line_of;  // HashFunction → its row's line
  while (reader.next(line)) {
    if (line.empty()) continue;
    CsvFields fields(line);
    std::string_view f;
    size_t i = 0;
    std::vector<double> values(7, 0.0);
    std::vector<int> columns(7, 1);
    std::string_view key;
    int key_column = 1;
    bool bad = false;
    while (fields.next(f, column) && i < dheader.size()) {
      const int r = role[i++];
      if (r == 7) {
        key = f;
        key_column = column;
      }
      if (r >= 0 && r < 7) {
        columns[static_cast<size_t>(r)] = column;
        double& v = values[static_cast<size_t>(r)];
        if (const char* why = parse_double(f, v);
            why || v < 0 || v / 1000.0 > kMaxDurationSeconds) {
          errors.add(fmt::format("{}:{}:{}: {} '{}': {}; write milliseconds (0 or more)", durations,
                                 reader.line_number(), column, kColumns[r], f,
                                 why     ? why
                                 : v < 0 ? "it is negative"
                                         : "it is longer than slsim's limit of 10 years"));
          bad = true;
        }
      }
    }
    // A second row would replace the first's percentiles silently.
    if (const auto [seen, fresh] = line_of.emplace(key, reader.line_number());
        !key.empty() && !fresh) {
      errors.add(
          fmt::format("{}:{}:{}: function {} appears again (first on line {}); keep one "
                      "row per function",
                      durations, reader.line_number(), key_column, key, seen->second));
      continue;
    }
    const auto it = series_of.find(std::string(key));
    if (bad || it == series_of.end()) continue;
    for (int p = 1; p < 7; ++p)
      if (values[static_cast<size_t>(p)] < values[static_cast<size_t>(p - 1)]) {
        errors.add(fmt::format("{}:{}:{}: {} is below {}; percentiles must not decrease", durations,
                               reader.line_number(), columns[static_cast<size_t>(p)], kColumns[p],
                               kColumns[p - 1]));
        bad = true;
        break;
      }
    if (bad) continue;
    for (double& v : values) v /= 1000.0;  // ms → s
    out.series[it->second].demand = Distribution::empirical_quantiles(
        std::vector<double>(std::begin(kProbabilities), std::end(kProbabilities)), values);
    found[it->second] = true;
  }
  if (!reader.error().empty())
    return fmt::format("{}:{}:1: {}", durations, reader.line_number() + 1, reader.error());
  for (size_t s = 0; s < out.series.size(); ++s)
    if (!found[s])
      errors.add(
          fmt::format("{}: function {} (selected from {}) has no row; use a durations file "
                      "that covers the selected functions, or service_demand: model",
                      durations, out.series[s].key, invocations));
  return errors.any() ? errors.text() : "";
}

namespace {

std::string at(const std::string& file, const YAML::Node& n) {
  const YAML::Mark m = n.Mark();
  if (m.is_null() || m.line < 0) return file;
  return fmt::format("{}:{}:{}", file, m.line + 1, m.column + 1);
}

struct Point {
  int64_t at;
  int64_t count;
  YAML::Node node;  // the count
  YAML::Node time;  // the timestamp
};

}  // namespace

std::string load_cloudwatch(const std::string& file, int64_t period_ns, MinuteTrace& out) {
  YAML::Node root;
  try {
    root = YAML::LoadFile(file);
  } catch (const YAML::BadFile&) {
    return fmt::format("{}: cannot read the file (check the path)", file);
  } catch (const YAML::Exception& e) {
    return fmt::format("{}:{}:{}: not valid JSON: {}", file, e.mark.line + 1, e.mark.column + 1,
                       e.msg);
  }
  Errors errors;
  std::vector<std::pair<std::string, std::vector<Point>>> series;
  const auto value_of = [&](const YAML::Node& v, int64_t& count) {
    double d = 0.0;
    if (!v.IsScalar() || parse_double(v.Scalar(), d) || d < 0 || d != std::floor(d)) {
      errors.add(
          fmt::format("{}: '{}' is not a whole number of invocations; export the Sum "
                      "statistic of Invocations (--statistics Sum, or \"Stat\": \"Sum\")",
                      at(file, v), v.IsScalar() ? v.Scalar() : "?"));
      return false;
    }
    // A period's count is held in 32 bits (MinuteSeries).
    if (d > static_cast<double>(UINT32_MAX)) {
      errors.add(
          fmt::format("{}: '{}' invocations in one period are more than slsim holds ({}); export a "
                      "shorter --period, or check that this is the Sum of Invocations",
                      at(file, v), v.Scalar(), UINT32_MAX));
      return false;
    }
    count = static_cast<int64_t>(d);
    return true;
  };
  const auto time_of = [&](const YAML::Node& t, int64_t& ns) {
    const char* why = t.IsScalar() ? parse_iso8601_ns(t.Scalar(), ns) : "it is not a string";
    if (why) errors.add(fmt::format("{}: timestamp: {}", at(file, t), why));
    return why == nullptr;
  };
  if (!root.IsMap()) return fmt::format("{}:1:1: not a CloudWatch export (a JSON object)", file);
  if (const YAML::Node results = root["MetricDataResults"]) {
    if (!results.IsSequence())
      return fmt::format("{}: 'MetricDataResults' must be a list", at(file, results));
    for (const YAML::Node& r : results) {
      if (!r.IsMap()) {
        errors.add(fmt::format("{}: a result must be an object with Id, Timestamps and Values",
                               at(file, r)));
        continue;
      }
      const std::string id = r["Id"] && r["Id"].IsScalar()         ? r["Id"].Scalar()
                             : r["Label"] && r["Label"].IsScalar() ? r["Label"].Scalar()
                                                                   : "";
      const YAML::Node ts = r["Timestamps"], vs = r["Values"];
      if (id.empty() || !ts || !vs || !ts.IsSequence() || !vs.IsSequence()) {
        errors.add(
            fmt::format("{}: a result needs Id, Timestamps and Values (the output of aws "
                        "cloudwatch get-metric-data)",
                        at(file, r)));
        continue;
      }
      if (ts.size() != vs.size()) {
        errors.add(fmt::format("{}: result '{}' has {} Timestamps but {} Values", at(file, r), id,
                               ts.size(), vs.size()));
        continue;
      }
      if (r["StatusCode"] && r["StatusCode"].IsScalar() && r["StatusCode"].Scalar() != "Complete")
        errors.add(
            fmt::format("{}: result '{}' has StatusCode {}: the export is incomplete; export "
                        "again once the data is complete (or for an earlier time range)",
                        at(file, r["StatusCode"]), id, r["StatusCode"].Scalar()));
      std::vector<Point> points;
      for (size_t k = 0; k < ts.size(); ++k) {
        Point p{0, 0, vs[k], ts[k]};
        if (time_of(ts[k], p.at) && value_of(vs[k], p.count)) points.push_back(p);
      }
      // The AWS CLI joins the pages of a long export into one list, where an Id comes again
      // with the next timestamps: one series per Id.
      const auto same = std::find_if(series.begin(), series.end(),
                                     [&](const auto& existing) { return existing.first == id; });
      if (same != series.end())
        same->second.insert(same->second.end(), points.begin(), points.end());
      else
        series.emplace_back(id, std::move(points));
    }
  } else if (const YAML::Node dps = root["Datapoints"]) {
    if (!dps.IsSequence()) return fmt::format("{}: 'Datapoints' must be a list", at(file, dps));
    const std::string label =
        root["Label"] && root["Label"].IsScalar() ? root["Label"].Scalar() : "Invocations";
    std::vector<Point> points;
    for (const YAML::Node& d : dps) {
      if (!d.IsMap() || !d["Timestamp"]) {
        errors.add(fmt::format("{}: a datapoint needs Timestamp and Sum", at(file, d)));
        continue;
      }
      if (!d["Sum"]) {
        errors.add(
            fmt::format("{}: the datapoint has no Sum; export the Sum statistic "
                        "(get-metric-statistics --statistics Sum)",
                        at(file, d)));
        continue;
      }
      Point p{0, 0, d["Sum"], d["Timestamp"]};
      if (time_of(d["Timestamp"], p.at) && value_of(d["Sum"], p.count)) points.push_back(p);
    }
    series.emplace_back(label, std::move(points));
  } else {
    return fmt::format(
        "{}:1:1: not a CloudWatch export: expected 'MetricDataResults' (aws "
        "cloudwatch get-metric-data) or 'Datapoints' (get-metric-statistics)",
        file);
  }
  if (root["NextToken"])
    errors.add(fmt::format(
        "{}: the export has a NextToken: it holds only the first page of datapoints; "
        "export again without --max-items (the AWS CLI then fetches every page), or the replay "
        "will miss them",
        at(file, root["NextToken"])));
  if (errors.any()) return errors.text();

  // Sorted by time (get-metric-data prints the newest first; get-metric-statistics any order).
  int64_t first = INT64_MAX, gap = INT64_MAX;
  size_t total_points = 0;
  for (auto& [id, points] : series) {
    std::sort(points.begin(), points.end(),
              [](const Point& a, const Point& b) { return a.at < b.at; });
    for (size_t k = 0; k < points.size(); ++k) {
      first = std::min(first, points[k].at);
      if (k > 0 && points[k].at == points[k - 1].at)
        errors.add(fmt::format("{}: result '{}' has two datapoints at the same timestamp",
                               at(file, points[k].time), id));
      if (k > 0 && points[k].at > points[k - 1].at)
        gap = std::min(gap, points[k].at - points[k - 1].at);
    }
    total_points += points.size();
  }
  if (errors.any()) return errors.text();
  if (total_points == 0)
    return fmt::format(
        "{}: the export has no datapoints: an empty trace; widen the export's "
        "time range",
        file);
  if (period_ns <= 0) {
    if (gap == INT64_MAX)
      return fmt::format(
          "{}: a single datapoint: its period cannot be inferred; set period: "
          "(the --period of the export, e.g. 60s)",
          file);
    period_ns = gap;
  }
  out = MinuteTrace{};
  out.first_bin = first;
  out.bin_ns = period_ns;
  int64_t last_bin = 0;
  for (auto& [id, points] : series) {
    MinuteSeries s;
    s.key = id;
    for (const Point& p : points) {
      if ((p.at - first) % period_ns != 0) {
        errors.add(
            fmt::format("{}: this timestamp is not a whole number of periods ({:g} s) "
                        "after the first one; set period: to the export's --period",
                        at(file, p.time), static_cast<double>(period_ns) * 1e-9));
        break;
      }
      const int64_t bin = (p.at - first) / period_ns;
      if (bin > UINT32_MAX) {
        errors.add(fmt::format(
            "{}: this timestamp is {} periods ({:g} s) after the first one, more than slsim "
            "holds ({}); set period: to the export's --period, or export a shorter range",
            at(file, p.time), bin, static_cast<double>(period_ns) * 1e-9, UINT32_MAX));
        break;
      }
      last_bin = std::max(last_bin, bin);
      if (p.count > 0) {
        s.bins.emplace_back(static_cast<uint32_t>(bin), static_cast<uint32_t>(p.count));
        s.total += p.count;
      }
    }
    out.series.push_back(std::move(s));
  }
  out.bins = static_cast<uint32_t>(last_bin + 1);
  out.functions_in_file = static_cast<int64_t>(out.series.size());
  return errors.any() ? errors.text() : "";
}

}  // namespace slsim
