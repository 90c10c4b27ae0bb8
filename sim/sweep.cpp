#include "slsim/sweep.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <mutex>
#include <thread>

#include "slsim/scenario_loader.hpp"
#include "slsim/simulation.hpp"

namespace slsim {
namespace {

// The figures sweep.csv shows, of the ~70 a summary has: what planners compare.
const char* const kSweepFigures[] = {"requests",
                                     "cold_start_rate",
                                     "spillover_rate",
                                     "provisioned_busy_rate",
                                     "throttle_rate",
                                     "error_rate",
                                     "latency_s.mean",
                                     "latency_s.p50",
                                     "latency_s.p90",
                                     "latency_s.p99",
                                     "latency_s.p999",
                                     "latency_s.max",
                                     "latency_warm_s.p99",
                                     "latency_cold_s.p99",
                                     "mean_wait_s",
                                     "mean_busy_containers",
                                     "mean_provisioned_capacity",
                                     "scaling_activities",
                                     "cost_usd.total",
                                     "cost_usd.per_1000_requests",
                                     "cost_usd.per_month"};

std::string number(double v) {
  if (std::isnan(v)) return "";
  return fmt::format("{:.9g}", v);
}

// A CSV cell: quoted when it has a comma or a quote (RFC 4180).
std::string cell(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (const char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace

const Figure* ConfigSummary::find(const std::string& name) const {
  for (const Figure& f : figures)
    if (f.name == name) return &f;
  return nullptr;
}

std::vector<std::string> figure_names(const Scenario& scenario) {
  ReplicationResult empty;
  empty.endpoints.resize(scenario.endpoints.size());
  std::vector<std::string> names;
  for (const auto& [name, value] : total_figures(scenario, empty)) names.push_back(name);
  return names;
}

std::vector<Configuration> load_configurations(const SweepSpec& spec) {
  const Grid grid(spec.axes);
  std::vector<Configuration> configs;
  for (int64_t c = 0; c < grid.size(); ++c) {
    Configuration config;
    config.index = c;
    config.values = grid.values(c);
    std::vector<std::string> sets = spec.sets;
    for (const std::string& o : grid.overrides(c)) sets.push_back(o);
    sets.push_back(fmt::format("replications={}", spec.replications));
    LoadResult loaded = load_scenario(spec.scenario, sets);
    if (loaded.ok()) {
      config.scenario = std::move(loaded.scenario);
    } else {
      // The first problem names the file and the cause; the others follow from it. A grid
      // value reaches the loader as a --set: name it as the user wrote it.
      config.error = loaded.errors.front();
      for (const std::string& o : grid.overrides(c))
        if (const size_t at = config.error.find("--set '" + o + "'"); at != std::string::npos)
          config.error.replace(at, 5, "--grid");
    }
    configs.push_back(std::move(config));
  }
  return configs;
}

std::vector<std::pair<int64_t, int>> job_list(const std::vector<Configuration>& configs,
                                              int replications, int shard, int shards) {
  std::vector<std::pair<int64_t, int>> jobs;
  int64_t j = 0;
  for (const Configuration& c : configs) {
    if (!c.scenario) continue;
    for (int k = 0; k < replications; ++k, ++j)
      if (j % shards == shard - 1) jobs.emplace_back(c.index, k);
  }
  return jobs;
}

JobsOutcome run_jobs(const SweepSpec& spec, const std::vector<Configuration>& configs,
                     const std::vector<std::pair<int64_t, int>>& jobs, int threads,
                     const std::function<void(JobValues&&)>& done, const std::atomic<bool>* stop) {
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex mutex;
  JobsOutcome outcome;
  auto worker = [&] {
    for (size_t j = next++; j < jobs.size(); j = next++) {
      if ((stop && stop->load()) || failed.load()) return;
      const auto [c, k] = jobs[j];
      const Scenario& scenario = *configs[static_cast<size_t>(c)].scenario;
      std::optional<WindowRecorder> windows;
      if (spec.windows) windows.emplace(*spec.windows, scenario.start, scenario.duration);
      Recorders recorders;
      recorders.windows = windows ? &*windows : nullptr;
      SimulationControl control;
      control.stop = stop;
      Simulation sim(scenario, static_cast<uint64_t>(k), recorders, control);
      const ReplicationResult result = sim.run();
      if (result.interrupted) return;
      if (!result.input_error.empty()) {
        std::lock_guard lock(mutex);
        if (outcome.input_error.empty()) outcome.input_error = result.input_error;
        failed = true;
        return;
      }

      JobValues values;
      values.config = c;
      values.replication = k;
      for (const auto& [name, v] : total_figures(scenario, result)) values.figures.push_back(v);
      if (!spec.endpoint_figures.empty())
        for (size_t e = 0; e < scenario.endpoints.size(); ++e) {
          const FigureValues all = endpoint_figures(scenario, result, e);
          for (const std::string& name : spec.endpoint_figures) {
            const auto it = std::find_if(all.begin(), all.end(),
                                         [&](const auto& f) { return f.first == name; });
            values.endpoints.push_back(it == all.end() ? NAN : it->second);
          }
        }
      if (windows)
        for (size_t w = 0; w < windows->windows().size(); ++w)
          for (const std::string& name : spec.window_figures)
            values.windows.push_back(windows->figure(w, name));
      std::lock_guard lock(mutex);
      if (result.skipped_rows > outcome.skipped_rows) {
        outcome.skipped_rows = result.skipped_rows;
        outcome.first_skipped = result.first_skipped;
      }
      done(std::move(values));
    }
  };
  std::vector<std::thread> pool;
  const int n = std::clamp(threads, 1, std::max<int>(1, static_cast<int>(jobs.size())));
  for (int t = 1; t < n; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  outcome.interrupted = stop && stop->load();
  return outcome;
}

std::vector<ConfigSummary> aggregate(const SweepSpec& spec,
                                     const std::vector<Configuration>& configs,
                                     const std::vector<std::string>& names,
                                     const std::vector<JobValues>& jobs) {
  std::vector<ConfigSummary> out(configs.size());
  for (ConfigSummary& s : out)
    for (const std::string& name : names) s.figures.push_back(Figure{name});
  for (const JobValues& job : jobs) {
    ConfigSummary& s = out[static_cast<size_t>(job.config)];
    for (size_t i = 0; i < names.size() && i < job.figures.size(); ++i)
      s.figures[i].add(job.figures[i]);
    const size_t per_window = spec.window_figures.size();
    if (per_window == 0) continue;
    const size_t windows = job.windows.size() / per_window;
    if (s.windows.empty()) {
      s.windows.resize(windows);
      for (auto& w : s.windows)
        for (const std::string& name : spec.window_figures) w.push_back(Figure{name});
    }
    for (size_t w = 0; w < windows && w < s.windows.size(); ++w)
      for (size_t f = 0; f < per_window; ++f) s.windows[w][f].add(job.windows[w * per_window + f]);
  }
  const size_t per_endpoint = spec.endpoint_figures.size();
  for (const JobValues& job : jobs) {
    if (per_endpoint == 0) break;
    ConfigSummary& s = out[static_cast<size_t>(job.config)];
    const size_t endpoints = job.endpoints.size() / per_endpoint;
    if (s.endpoints.empty()) {
      s.endpoints.resize(endpoints);
      for (auto& e : s.endpoints)
        for (const std::string& name : spec.endpoint_figures) e.push_back(Figure{name});
    }
    for (size_t e = 0; e < endpoints && e < s.endpoints.size(); ++e)
      for (size_t f = 0; f < per_endpoint; ++f)
        s.endpoints[e][f].add(job.endpoints[e * per_endpoint + f]);
  }
  return out;
}

std::string sweep_csv(const SweepSpec& spec, const std::vector<Configuration>& configs,
                      const std::vector<ConfigSummary>& summaries,
                      const std::vector<std::string>& extra_header,
                      const std::vector<std::vector<std::string>>& extra) {
  std::string out = "config";
  // Appended in two steps: `out += "," + cell(x)` builds a temporary and trips GCC 12's
  // -Wrestrict false positive (GCC bug 105329).
  const auto add = [&out](const std::string& text) {
    out += ',';
    out += cell(text);
  };
  for (const GridAxis& a : spec.axes) add(a.path);
  out += ",label,error";
  for (const char* f : kSweepFigures) out += fmt::format(",{0},{0}_ci95,{0}_n", f);
  for (const std::string& h : extra_header) add(h);
  out += "\n";
  for (size_t c = 0; c < configs.size(); ++c) {
    out += std::to_string(configs[c].index);
    for (const std::string& v : configs[c].values) add(v);
    add(configs[c].label);
    add(configs[c].error);
    for (const char* name : kSweepFigures) {
      const Figure* f = summaries[c].find(name);
      if (!f || !configs[c].scenario) {
        out += ",,,";
        continue;
      }
      out += fmt::format(",{},{},{}", number(f->mean()), number(f->ci95()), f->n);
    }
    if (c < extra.size())
      for (const std::string& e : extra[c]) add(e);
    out += "\n";
  }
  return out;
}

}  // namespace slsim
