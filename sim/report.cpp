#include "slsim/report.hpp"

#include <fmt/format.h>

#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <numeric>

#include "slsim/json.hpp"
#include "slsim/units.hpp"

namespace slsim {
namespace {

using Pairs = FigureValues;

// a / b, or NaN (undefined in this replication) when there is nothing to divide by.
double ratio(double a, double b) { return b > 0 ? a / b : NAN; }

void latency_figures(Pairs& f, const std::string& prefix, const LatencyHistogram& h) {
  f.emplace_back(prefix + ".mean", h.mean());
  f.emplace_back(prefix + ".p50", h.quantile(0.50));
  f.emplace_back(prefix + ".p90", h.quantile(0.90));
  f.emplace_back(prefix + ".p99", h.quantile(0.99));
  f.emplace_back(prefix + ".p999", h.quantile(0.999));
  f.emplace_back(prefix + ".max", h.max());
}

// The figures of one endpoint (or the total) in one replication. The order is the JSON order.
Pairs figures_of(const EndpointStats& s, const Cost& cost, double run_seconds,
                 double scenario_seconds, int max_busy) {
  Pairs f;
  const auto n = [&](Outcome o) { return static_cast<double>(s.outcome(o)); };
  const double requests = static_cast<double>(s.requests);
  const double served = n(Outcome::kWarm) + n(Outcome::kCold) + n(Outcome::kSpilloverWarm) +
                        n(Outcome::kSpilloverCold);
  f.emplace_back("requests", requests);
  f.emplace_back("outcomes.warm", n(Outcome::kWarm));
  f.emplace_back("outcomes.cold", n(Outcome::kCold));
  f.emplace_back("outcomes.spillover", n(Outcome::kSpilloverWarm) + n(Outcome::kSpilloverCold));
  f.emplace_back("outcomes.throttled", n(Outcome::kThrottled));
  f.emplace_back("outcomes.rejected",
                 n(Outcome::kRejectedPayload) + n(Outcome::kTimedOut) + n(Outcome::kStartFailed));
  for (size_t o = 0; o < kOutcomeCount; ++o)
    f.emplace_back(std::string("outcome_detail.") + outcome_name(static_cast<Outcome>(o)),
                   static_cast<double>(s.outcomes[o]));
  f.emplace_back("served", served);
  f.emplace_back("cold_starts", static_cast<double>(s.cold_starts));
  // Cold starts per arriving request (= P(cold) of the rare-traffic oracle, DESIGN.md §3).
  f.emplace_back("cold_start_rate", ratio(static_cast<double>(s.cold_starts), requests));
  // Served on demand because every provisioned container was busy (CloudWatch's spillover).
  f.emplace_back("spillover_rate",
                 ratio(n(Outcome::kSpilloverWarm) + n(Outcome::kSpilloverCold), requests));
  // Found every provisioned container busy, whatever happened next: Erlang B's B(P, λS).
  f.emplace_back("provisioned_busy_rate",
                 ratio(static_cast<double>(s.found_provisioned_busy), requests));
  f.emplace_back("throttle_rate", ratio(n(Outcome::kThrottled), requests));
  // Rejected for size, timed out or failed to start (HTTP 4xx/5xx other than throttling).
  f.emplace_back("error_rate", ratio(n(Outcome::kRejectedPayload) + n(Outcome::kTimedOut) +
                                         n(Outcome::kStartFailed),
                                     requests));
  latency_figures(f, "latency_s", s.latency());
  // Time from arrival to service: the cold start waited for, or the time queued (real time).
  f.emplace_back("mean_wait_s", ratio(s.wait_seconds, served));
  latency_figures(f, "latency_warm_s", s.latency_warm);
  latency_figures(f, "latency_cold_s", s.latency_cold);
  for (size_t p = 0; p < kPhaseCount; ++p)
    f.emplace_back(std::string("cold_start_phases_mean_s.") + phase_name(static_cast<Phase>(p)),
                   ratio(s.phase_seconds[p], static_cast<double>(s.cold_starts)));
  const double all = s.busy_seconds + s.idle_seconds + s.provisioning_seconds;
  f.emplace_back("container_seconds", all);
  f.emplace_back("busy_container_seconds", s.busy_seconds);
  // Means over the run, arrivals and drain (busy excludes containers still cold-starting).
  f.emplace_back("mean_busy_containers", ratio(s.busy_seconds, run_seconds));
  f.emplace_back("max_busy_containers", max_busy);
  f.emplace_back("mean_provisioning_containers", ratio(s.provisioning_seconds, run_seconds));
  f.emplace_back("mean_containers", ratio(all, run_seconds));
  f.emplace_back("mean_provisioned_containers", ratio(s.provisioned_seconds, run_seconds));
  f.emplace_back("mean_queue_length", ratio(s.queue_seconds, run_seconds));
  // What provisioned concurrency was billed for on average: ∫ capacity dt ÷ the duration.
  f.emplace_back("mean_provisioned_capacity",
                 ratio(s.usage.provisioned_container_seconds, scenario_seconds));
  f.emplace_back("scaling_activities", static_cast<double>(s.scaling_activities));
  f.emplace_back("cost_usd.total", cost.total());
  f.emplace_back("cost_usd.on_demand_inference", cost.on_demand_inference);
  f.emplace_back("cost_usd.provisioned_concurrency", cost.provisioned_concurrency);
  f.emplace_back("cost_usd.provisioned_inference", cost.provisioned_inference);
  f.emplace_back("cost_usd.data_processing", cost.data_processing);
  f.emplace_back("cost_usd.instances", cost.instances);
  f.emplace_back("cost_usd.per_1000_requests", ratio(cost.total() * 1000.0, requests));
  // An extrapolation: the run's cost scaled to an average month (30.4375 days).
  f.emplace_back("cost_usd.per_month", cost.total() * 30.4375 * 86400.0 / scenario_seconds);
  return f;
}

void append(std::vector<Figure>& figures, const Pairs& pairs) {
  if (figures.empty())
    for (const auto& [name, v] : pairs) figures.push_back(Figure{name});
  for (size_t i = 0; i < pairs.size(); ++i) figures[i].add(pairs[i].second);
}

// Writes figures as nested objects; names sharing a dotted prefix are contiguous. Every figure
// has one shape: {"mean": ..., "ci95": ..., "n": ...}, null where undefined.
void json_figures(std::string& out, const std::vector<Figure>& figures, const std::string& indent) {
  std::vector<std::string> open;  // currently open object path
  bool first = true;
  auto split = [](const std::string& name) {
    std::vector<std::string> parts;
    size_t start = 0, dot;
    while ((dot = name.find('.', start)) != std::string::npos) {
      parts.push_back(name.substr(start, dot - start));
      start = dot + 1;
    }
    parts.push_back(name.substr(start));
    return parts;
  };
  for (const Figure& f : figures) {
    auto parts = split(f.name);
    const std::string leaf = parts.back();
    parts.pop_back();
    size_t common = 0;
    while (common < open.size() && common < parts.size() && open[common] == parts[common]) ++common;
    while (open.size() > common) {
      out += "\n" + indent + std::string(2 * open.size(), ' ') + "}";
      open.pop_back();
      first = false;
    }
    for (size_t i = common; i < parts.size(); ++i) {
      out += (first ? "\n" : ",\n") + indent + std::string(2 * (open.size() + 1), ' ') +
             json_string(parts[i]) + ": {";
      open.push_back(parts[i]);
      first = true;
    }
    const std::string value = fmt::format("{{\"mean\": {}, \"ci95\": {}, \"n\": {}}}",
                                          json_number(f.mean()), json_number(f.ci95()), f.n);
    out += (first ? "\n" : ",\n") + indent + std::string(2 * (open.size() + 1), ' ') +
           json_string(leaf) + ": " + value;
    first = false;
  }
  while (!open.empty()) {
    out += "\n" + indent + std::string(2 * open.size(), ' ') + "}";
    open.pop_back();
  }
}

}  // namespace

void Figure::add(double v) {
  if (!std::isfinite(v)) return;
  ++n;
  const double delta = v - sum_mean;
  sum_mean += delta / static_cast<double>(n);
  m2 += delta * (v - sum_mean);
}

double Figure::mean() const { return n ? sum_mean : NAN; }

double Figure::ci95() const {
  if (n < 2) return NAN;
  const double sd = std::sqrt(std::max(0.0, m2) / static_cast<double>(n - 1));
  if (sd <= 1e-12 * std::fabs(sum_mean)) return 0.0;  // identical values up to rounding
  const boost::math::students_t t(static_cast<double>(n - 1));
  return boost::math::quantile(boost::math::complement(t, 0.025)) * sd /
         std::sqrt(static_cast<double>(n));
}

const Figure* Report::find(const EndpointReport& e, const std::string& name) const {
  for (const Figure& f : e.figures)
    if (f.name == name) return &f;
  return nullptr;
}

ReportBuilder::ReportBuilder(const Scenario& scenario, RunInfo run) : scenario_(scenario) {
  Report& r = report_;
  r.scenario = scenario.name;
  r.seed = scenario.seed;
  r.start = scenario.start;
  r.duration_seconds = scenario.duration.seconds_f();
  r.run = std::move(run);
  r.endpoints.resize(scenario.endpoints.size());
  r.total.name = "total";
  for (size_t e = 0; e < scenario.endpoints.size(); ++e) {
    r.endpoints[e].name = scenario.endpoints[e].name;
    const ModelConfig& m = scenario.endpoints[e].model;
    r.model_sources.push_back(
        fmt::format("model '{}': {}", m.name.empty() ? "default" : m.name, m.source));
  }
}

FigureValues total_figures(const Scenario& scenario, const ReplicationResult& result) {
  EndpointStats total;
  Cost total_cost;
  for (size_t e = 0; e < result.endpoints.size(); ++e) {
    const EndpointConfig& config = scenario.endpoints[e];
    total.merge(result.endpoints[e]);
    total_cost += compute_cost(scenario.pricing, config.memory_mb, result.endpoints[e].usage,
                               config.instance_per_hour());
  }
  return figures_of(total, total_cost, result.end.seconds_f(), scenario.duration.seconds_f(),
                    result.max_busy_total);
}

FigureValues endpoint_figures(const Scenario& scenario, const ReplicationResult& result, size_t e) {
  const EndpointConfig& config = scenario.endpoints[e];
  const EndpointStats& s = result.endpoints[e];
  const Cost cost =
      compute_cost(scenario.pricing, config.memory_mb, s.usage, config.instance_per_hour());
  return figures_of(s, cost, result.end.seconds_f(), scenario.duration.seconds_f(), s.max_busy);
}

void ReportBuilder::add(const ReplicationResult& result) {
  Report& r = report_;
  if (r.replications == 0) {  // every replication reads the same trace rows
    r.simulated_seconds = result.end.seconds_f();
    r.skipped_trace_rows = result.skipped_rows;
    r.first_skipped_trace_row = result.first_skipped;
  }

  ++r.replications;
  r.fingerprints.push_back(result.fingerprint);
  r.events += result.events;

  const double run_seconds = result.end.seconds_f();
  EndpointStats total;
  Cost total_cost;
  for (size_t e = 0; e < result.endpoints.size(); ++e) {
    const EndpointStats& s = result.endpoints[e];
    const EndpointConfig& config = scenario_.endpoints[e];
    const Cost cost =
        compute_cost(scenario_.pricing, config.memory_mb, s.usage, config.instance_per_hour());
    append(r.endpoints[e].figures,
           figures_of(s, cost, run_seconds, r.duration_seconds, s.max_busy));
    r.endpoints[e].pooled.merge(s);
    total.merge(s);
    total_cost += cost;
  }
  append(r.total.figures,
         figures_of(total, total_cost, run_seconds, r.duration_seconds, result.max_busy_total));
  r.total.pooled.merge(total);
}

std::string summary_json(const Report& report, const std::string& slo) {
  std::string out = "{\n";
  out += fmt::format("  \"scenario\": {},\n", json_string(report.scenario));
  out += fmt::format("  \"seed\": {},\n", report.seed);
  out += fmt::format("  \"replications\": {},\n", report.replications);
  out += fmt::format("  \"start\": {},\n", json_string(format_utc(report.start)));
  out += fmt::format("  \"duration_s\": {},\n", json_number(report.duration_seconds));
  out += fmt::format("  \"latency_relative_error\": {},\n",
                     json_number(LatencyHistogram::max_relative_error()));
  out += "  \"endpoints\": {";
  for (size_t e = 0; e < report.endpoints.size(); ++e) {
    out += fmt::format("{}\n    {}: {{", e ? "," : "", json_string(report.endpoints[e].name));
    out += fmt::format("\n      \"model\": {},", json_string(report.model_sources[e]));
    json_figures(out, report.endpoints[e].figures, "    ");
    out += "\n    }";
  }
  out += "\n  },\n  \"total\": {";
  json_figures(out, report.total.figures, "  ");
  out += "\n  },\n";
  if (!slo.empty()) out += "  \"slo\": " + slo + ",\n";
  out += "  \"run\": {\n";
  const RunInfo& run = report.run;
  out += fmt::format("    \"slsim_version\": {},\n", json_string(run.slsim_version));
  out += fmt::format("    \"scenario_file\": {},\n", json_string(run.scenario_file));
  out += "    \"overrides\": [";
  for (size_t i = 0; i < run.overrides.size(); ++i)
    out += (i ? ", " : "") + json_string(run.overrides[i]);
  out += "],\n";
  out += fmt::format("    \"pricing_file\": {},\n", json_string(run.pricing_file));
  out += fmt::format("    \"pricing_fnv1a64\": \"{:016x}\",\n", run.pricing_fnv1a64);
  out += fmt::format("    \"events\": {},\n", report.events);
  out += fmt::format("    \"skipped_trace_rows\": {},\n", report.skipped_trace_rows);
  out += fmt::format(
      "    \"first_skipped_trace_row\": {},\n",
      report.skipped_trace_rows > 0 ? json_string(report.first_skipped_trace_row) : "null");

  out += fmt::format("    \"simulated_seconds_replication_0\": {},\n",
                     json_number(report.simulated_seconds));
  out += "    \"trajectory_fingerprints\": [";
  for (size_t i = 0; i < report.fingerprints.size(); ++i)
    out += fmt::format("{}\"{:016x}\"", i ? ", " : "", report.fingerprints[i]);
  out += "]\n  }\n}\n";
  return out;
}

std::string summary_table(const Report& report) {
  auto value = [&](const EndpointReport& e, const char* name) {
    const Figure* f = report.find(e, name);
    return f ? f->mean() : NAN;
  };
  auto pm = [&](const EndpointReport& e, const char* name, bool seconds) {
    const Figure* f = report.find(e, name);
    if (!f || !std::isfinite(f->mean())) return std::string("-");
    std::string s = seconds ? format_seconds(f->mean()) : format_money(f->mean());
    if (std::isfinite(f->ci95()) && f->ci95() > 0)
      s += "±" + (seconds ? format_seconds(f->ci95()) : format_money(f->ci95()));
    return s;
  };
  std::vector<const EndpointReport*> rows;
  for (const auto& e : report.endpoints) rows.push_back(&e);
  if (report.endpoints.size() > 1) rows.push_back(&report.total);

  std::string out =
      fmt::format("scenario {}  seed {}  replications {}{}\n", report.scenario, report.seed,
                  report.replications, report.replications > 1 ? "  (mean±95% CI)" : "");
  for (size_t e = 0; e < report.endpoints.size(); ++e)
    out += fmt::format("  {}: {}\n", report.endpoints[e].name, report.model_sources[e]);
  out += "\n";
  out += fmt::format("{:<18} {:>10} {:>10} {:>9} {:>9} {:>9} {:>8} {:>8} {:>12} {:>12}\n",
                     "endpoint", "requests", "warm", "cold", "spillover", "throttled", "rejected",
                     "cold%", "container-s", "cost");
  for (const auto* e : rows)
    out += fmt::format(
        "{:<18} {:>10.0f} {:>10.0f} {:>9.0f} {:>9.0f} {:>9.0f} {:>8.0f} {:>7.2f}% "
        "{:>12.1f} {:>12}\n",
        e->name, value(*e, "requests"), value(*e, "outcomes.warm"), value(*e, "outcomes.cold"),
        value(*e, "outcomes.spillover"), value(*e, "outcomes.throttled"),
        value(*e, "outcomes.rejected"), 100.0 * value(*e, "cold_start_rate"),
        value(*e, "container_seconds"), pm(*e, "cost_usd.total", false));
  out +=
      fmt::format("\nend-to-end latency\n{:<18} {:<6} {:>16} {:>16} {:>16} {:>16} {:>16} {:>16}\n",
                  "endpoint", "class", "mean", "p50", "p90", "p99", "p99.9", "max");
  for (const auto* e : rows)
    for (const char* cls : {"latency_s", "latency_warm_s", "latency_cold_s"}) {
      const std::string base = cls;
      const char* label = base == "latency_s" ? "all" : base == "latency_warm_s" ? "warm" : "cold";
      if (!std::isfinite(value(*e, (base + ".mean").c_str()))) continue;
      out += fmt::format(
          "{:<18} {:<6} {:>16} {:>16} {:>16} {:>16} {:>16} {:>16}\n", e->name, label,
          pm(*e, (base + ".mean").c_str(), true), pm(*e, (base + ".p50").c_str(), true),
          pm(*e, (base + ".p90").c_str(), true), pm(*e, (base + ".p99").c_str(), true),
          pm(*e, (base + ".p999").c_str(), true), pm(*e, (base + ".max").c_str(), true));
    }
  return out;
}

void write_latency_csv(std::FILE* out, const Report& report) {
  fmt::print(out, "endpoint,class,lower_s,upper_s,count\n");
  auto rows = [&](const EndpointReport& e) {
    const LatencyHistogram all = e.pooled.latency();
    const std::pair<const char*, const LatencyHistogram*> classes[] = {
        {"all", &all}, {"warm", &e.pooled.latency_warm}, {"cold", &e.pooled.latency_cold}};
    for (const auto& [name, h] : classes)
      for (const auto& bin : h->nonempty_bins())
        fmt::print(out, "{},{},{:.9g},{:.9g},{}\n", e.name, name, bin.lower, bin.upper, bin.count);
  };
  for (const auto& e : report.endpoints) rows(e);
  rows(report.total);
}

}  // namespace slsim
