// `slsim plan`: a sweep judged by service-level objectives, with real-time endpoints compared
// (plan.hpp).
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include "slsim/commands.hpp"
#include "slsim/exit_codes.hpp"
#include "slsim/interrupt.hpp"
#include "slsim/output_dir.hpp"
#include "slsim/plan.hpp"
#include "slsim/plotting.hpp"
#include "slsim/progress.hpp"
#include "slsim/scenario_loader.hpp"
#include "slsim/units.hpp"

namespace slsim {
namespace fs = std::filesystem;
namespace {

// The real-time alternatives: every serverless endpoint of the base scenario replaced by a
// real-time one of each instance type and count asked for. Returns the exit status: kExitUsage
// with the problem printed when a --real-time value is malformed or names an unknown type.
int real_time_configurations(const PlanCommand& o, const Scenario& base,
                             std::vector<Configuration>& out) {
  std::vector<std::pair<std::string, std::pair<int, int>>> wanted;
  if (o.real_time.empty()) {
    for (const auto& [type, instance] : base.pricing.instances) wanted.push_back({type, {1, 4}});
  }
  const bool none = std::find(o.real_time.begin(), o.real_time.end(), "none") != o.real_time.end();
  if (none && o.real_time.size() > 1) {
    fmt::print(stderr,
               "slsim plan: --real-time none asks for no real-time alternative, but other "
               "--real-time values ask for some: give one or the other\n");
    return kExitUsage;
  }
  if (none) return kExitOk;
  for (const std::string& spec : o.real_time) {
    const size_t colon = spec.find(':');
    const std::string type = spec.substr(0, colon);
    int low = 1, high = 4, used = 0;
    const std::string range = colon == std::string::npos ? "" : spec.substr(colon + 1);
    if (type.empty() || type.find(',') != std::string::npos ||
        (colon != std::string::npos &&
         (std::sscanf(range.c_str(), "%d..%d%n", &low, &high, &used) != 2 ||
          used != static_cast<int>(range.size()) || low < 1 || high < low || high > 100))) {
      fmt::print(stderr,
                 "slsim plan: --real-time '{}' must be TYPE or TYPE:LOW..HIGH (instance "
                 "counts 1..100), e.g. ml.m5.large:1..4, or none; repeat --real-time for "
                 "several types\n",
                 spec);
      return kExitUsage;
    }
    if (!base.pricing.instances.count(type)) {
      std::string known;
      for (const auto& [name, i] : base.pricing.instances) known += " " + name;
      fmt::print(stderr,
                 "slsim plan: --real-time: instance type '{}' is not in the pricing file "
                 "{}; known:{}\n",
                 type, base.pricing_path, known.empty() ? " none" : known);
      return kExitUsage;
    }
    wanted.push_back({type, {low, high}});
  }
  for (const auto& [type, range] : wanted) {
    const Pricing::Instance& instance = base.pricing.instances.at(type);
    // An instance must hold the model it serves (one copy; workers may need more).
    std::string too_small;
    for (const EndpointConfig& e : base.endpoints)
      if (e.kind != EndpointKind::kRealTime && e.model.loaded_size_bytes > instance.memory_bytes)
        too_small = fmt::format(
            "{} has {:.3g} GB of memory, less than model '{}' of endpoint '{}' loads ({:.3g} GB)",
            type, instance.memory_bytes / (1 << 30), e.model.name, e.name,
            e.model.loaded_size_bytes / (1 << 30));
    for (int n = range.first; n <= range.second; ++n) {
      Configuration c;
      c.index = static_cast<int64_t>(out.size());
      c.label = fmt::format("{} × {}", type, n);
      if (!too_small.empty()) {
        c.error = too_small;
        out.push_back(std::move(c));
        continue;
      }
      Scenario s = base;
      for (EndpointConfig& e : s.endpoints) {
        if (e.kind == EndpointKind::kRealTime) continue;
        e.kind = EndpointKind::kRealTime;
        e.real_time = RealTimeConfig{};
        e.real_time.instance_type = type;
        e.real_time.vcpus = instance.vcpus;
        e.real_time.per_hour = instance.per_hour;
        e.real_time.instance_count = n;
        e.autoscaling.reset();
        e.provisioned_concurrency = 0;
      }
      c.scenario = std::move(s);
      out.push_back(std::move(c));
    }
  }
  return kExitOk;
}

// Runs every job of `configs` and aggregates them; `outcome` says how the jobs ended.
std::vector<ConfigSummary> run_all(const SweepSpec& spec, const std::vector<Configuration>& configs,
                                   int threads, bool progress, const char* what,
                                   const std::atomic<bool>* stop, JobsOutcome& outcome) {
  const auto jobs = job_list(configs, spec.replications);
  std::vector<JobValues> done;
  std::atomic<size_t> count{0};
  {
    std::unique_ptr<StatusLine> line;
    if (progress)
      line = std::make_unique<StatusLine>([&](double elapsed) {
        const double fraction = jobs.empty() ? 1.0 : double(count) / double(jobs.size());
        return fmt::format("plan: {} {} of {} jobs, {}", what, count.load(), jobs.size(),
                           eta(fraction, elapsed));
      });
    outcome = run_jobs(
        spec, configs, jobs, threads,
        [&](JobValues&& j) {
          done.push_back(std::move(j));
          ++count;
        },
        stop);
  }
  std::sort(done.begin(), done.end(), [](const JobValues& a, const JobValues& b) {
    return std::pair(a.config, a.replication) < std::pair(b.config, b.replication);
  });
  const Configuration* first = nullptr;
  for (const Configuration& c : configs)
    if (c.scenario && !first) first = &c;
  return aggregate(spec, configs,
                   first ? figure_names(*first->scenario) : std::vector<std::string>{}, done);
}

}  // namespace

int plan_command(const PlanCommand& o) {
  if (o.slos.empty()) {
    fmt::print(stderr,
               "slsim plan: give at least one --slo, e.g. --slo 'p99<=1s' --slo "
               "'throttled<0.1%'\n");
    return kExitUsage;
  }
  std::vector<Slo> slos;
  for (const std::string& text : o.slos) {
    std::string error;
    auto slo = parse_slo(text, error);
    if (!slo) {
      fmt::print(stderr, "slsim plan: {}\n", error);
      return kExitUsage;
    }
    slos.push_back(std::move(*slo));
  }
  if (o.plot && o.sweep.out.empty()) {
    fmt::print(stderr, "slsim plan: --plot needs --out DIR (where the plots and report.html go)\n");
    return kExitUsage;
  }
  SweepSpec spec;
  std::vector<Configuration> configs;
  if (const int status = prepare_sweep(o.sweep, spec, configs); status != kExitOk) return status;
  if (!o.window.empty()) {
    WindowSpec w;
    std::string error;
    if (!WindowSpec::parse(o.window, w, error)) {
      fmt::print(stderr, "slsim plan: {}\n", error);
      return kExitUsage;
    }
    spec.windows = w;
    spec.window_figures.push_back("latency_s.p99");  // the Pareto front's latency
    spec.window_figures.push_back("requests");       // for judge() (slo.hpp)
    spec.window_figures.push_back("served");
    for (const Slo& s : slos)
      if (s.windowed && std::find(spec.window_figures.begin(), spec.window_figures.end(),
                                  s.figure) == spec.window_figures.end())
        spec.window_figures.push_back(s.figure);
  }
  // Every window holds two latency histograms on every thread: bound their number.
  constexpr int64_t kMaxWindows = 10000;
  if (spec.windows)
    for (const Configuration& c : configs)
      if (c.scenario && spec.windows->count(c.scenario->duration) > kMaxWindows) {
        fmt::print(
            stderr,
            "slsim plan: --slo-window {} makes {} windows of a {} scenario; at most {} (each "
            "holds latency histograms): use a longer window or hour-of-week\n",
            o.window, spec.windows->count(c.scenario->duration),
            format_seconds(c.scenario->duration.seconds_f()), kMaxWindows);
        return kExitUsage;
      }
  const LoadResult base = load_scenario(spec.scenario, spec.sets);
  // With several endpoints, each must meet the objectives alone, as `run --slo` checks them.
  if (base.scenario.endpoints.size() > 1) {
    spec.endpoint_figures = {"requests", "served"};
    for (const Slo& s : slos)
      if (std::find(spec.endpoint_figures.begin(), spec.endpoint_figures.end(), s.figure) ==
          spec.endpoint_figures.end())
        spec.endpoint_figures.push_back(s.figure);
  }
  std::vector<Configuration> real_time;
  if (const int status = real_time_configurations(o, base.scenario, real_time); status != kExitOk)
    return status;
  for (Configuration& c : real_time) c.scenario->replications = spec.replications;

  const int threads =
      o.sweep.threads > 0 ? o.sweep.threads : static_cast<int>(std::thread::hardware_concurrency());
  const bool progress = !o.sweep.quiet && (o.sweep.progress || ::isatty(2));
  // The output folder is checked before anything is simulated, and changes all at once.
  OutputDir out(o.sweep.out);
  std::string error;
  if (!o.sweep.out.empty() && !out.prepare(error)) {
    fmt::print(stderr, "slsim plan: {}; nothing was run or written\n", error);
    return kExitInputError;
  }
  InterruptGuard interrupt;
  JobsOutcome serverless_outcome, real_time_outcome;
  const auto summaries =
      run_all(spec, configs, threads, progress, "serverless", interrupt.flag(), serverless_outcome);
  const auto rt_summaries = serverless_outcome.ok()
                                ? run_all(spec, real_time, threads, progress, "real-time",
                                          interrupt.flag(), real_time_outcome)
                                : std::vector<ConfigSummary>{};
  if (interrupt.interrupted())
    return report_interrupt(interrupt, "slsim plan", "simulating", o.sweep.out);
  for (const JobsOutcome* outcome : {&serverless_outcome, &real_time_outcome}) {
    if (!outcome->input_error.empty()) {
      fmt::print(stderr, "slsim plan: {}\nslsim plan: nothing was written\n", outcome->input_error);
      return kExitInputError;
    }
  }
  report_skipped_rows("slsim plan", serverless_outcome);

  PlanResult plan;
  plan.spec = &spec;
  plan.slos = &slos;
  plan.configs = &configs;
  plan.assessments = assess(spec, configs, summaries, slos);
  plan.real_time = &real_time;
  plan.real_time_assessments = assess(spec, real_time, rt_summaries, slos);
  plan.duration_seconds = base.scenario.duration.seconds_f();
  plan.window = o.window;
  const auto best = cheapest_meeting(plan.assessments, 1);
  const size_t reference = best.empty() ? 0 : plan.assessments[best[0]].config;
  if (const Figure* f = summaries.empty() ? nullptr : summaries[reference].find("requests"))
    plan.requests = f->mean();
  const std::string text = plan_text(plan);
  fmt::print("{}", text);
  if (o.sweep.out.empty()) return kExitOk;

  // sweep.csv with the verdicts: whether each configuration meets every objective, by how much.
  std::vector<std::string> header = {"meets", "worst_margin", "p99_assessed"};
  for (const Slo& s : slos) header.push_back("margin " + s.text);
  const auto verdict_cells = [](const std::vector<Assessment>& assessments, size_t rows) {
    std::vector<std::vector<std::string>> cells(rows);
    for (const Assessment& a : assessments) {
      auto& row = cells[a.config];
      // Empty cells where a figure is undefined or infinite, as in the other columns.
      const auto number = [](double x) {
        return std::isfinite(x) ? fmt::format("{:.6g}", x) : std::string();
      };
      row.push_back(a.meets ? "true" : "false");
      row.push_back(number(a.worst_margin()));
      row.push_back(number(a.p99));
      for (const Verdict& v : a.verdicts) row.push_back(number(v.margin));
    }
    return cells;
  };
  const auto extra = verdict_cells(plan.assessments, configs.size());
  const auto rt_extra = verdict_cells(plan.real_time_assessments, real_time.size());

  SweepSpec rt_spec = spec;
  rt_spec.axes.clear();
  bool ok = out.write("plan.txt", text, error) && out.write("plan.json", plan_json(plan), error) &&
            out.write("sweep.csv", sweep_csv(spec, configs, summaries, header, extra), error) &&
            out.write("real_time.csv",
                      sweep_csv(rt_spec, real_time, rt_summaries, header, rt_extra), error);
  // Plots are drawn into the working folder, so they are committed with the results.
  bool plotted = false;
  if (ok && o.plot) {
    std::string message;
    plotted = plot_sweep(out.work_dir(), message);
    if (const size_t at = message.find(out.work_dir()); at != std::string::npos)
      message.replace(at, out.work_dir().size(), o.sweep.out);
    if (!plotted && !interrupt.interrupted())
      fmt::print(stderr, "slsim plan: warning: {}\n", message);
  }
  if (interrupt.interrupted())
    return report_interrupt(interrupt, "slsim plan", "writing results", o.sweep.out);
  if (ok) ok = out.commit(error);
  if (!ok) {
    fmt::print(stderr, "slsim plan: {}; the folder's earlier files were left as they were\n",
               error);
    return kExitInputError;
  }
  fmt::print(stderr, "wrote {}/plan.txt, plan.json, sweep.csv, real_time.csv{}\n", o.sweep.out,
             plotted ? ", report.html, plots/" : "");
  return kExitOk;
}

}  // namespace slsim
