// `slsim bench`: simulated requests per second and peak memory of named workloads, each with its
// outcome mix printed so that a degenerate case (all throttled, all cold) cannot pass for the
// workload it names. Optionally runs the bare model of ../shared/perf alongside case (a) and
// reports the ratio: absolute times on shared machines vary by ±25 %, ratios much less.
#include <fmt/format.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <thread>
#include <vector>

#include "slsim/commands.hpp"
#include "slsim/csv_log.hpp"
#include "slsim/csv_recorders.hpp"
#include "slsim/data_paths.hpp"
#include "slsim/simulation.hpp"
#include "slsim/sweep.hpp"

namespace slsim {
namespace {

long peak_rss_kb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

double children_cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_CHILDREN, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1e-6;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0.0 : v[v.size() / 2];
}

TrafficConfig poisson(double rate) {
  TrafficConfig t;
  t.kind = TrafficKind::kPoisson;
  t.rate = rate;
  return t;
}

// (a) one endpoint, steady Poisson 100/s, `requests` requests on average; default platform
// (idle timeout 5 min), 2048 MB, MaxConcurrency 200: after the first seconds almost all warm.
Scenario steady(int64_t requests) {
  Scenario s;
  s.name = "bench-steady-poisson";
  s.duration = Duration::from_seconds(static_cast<double>(requests) / 100.0);
  EndpointConfig ep;
  ep.name = "steady";
  ep.memory_mb = 2048;
  ep.max_concurrency = 200;
  ep.traffic.push_back(poisson(100.0));
  s.endpoints.push_back(ep);
  return s;
}

// (b) 50 endpoints: every memory size, some with provisioned concurrency, and all traffic kinds.
Scenario mixed() {
  Scenario s;
  s.name = "bench-50-endpoints-mixed";
  s.duration = Duration::hours(3);
  for (int i = 0; i < 50; ++i) {
    EndpointConfig ep;
    ep.name = fmt::format("ep{:02d}", i);
    ep.memory_mb = 1024 * (1 + i % 6);
    ep.max_concurrency = 10 + (i * 7) % 190;
    ep.provisioned_concurrency = i % 4 == 0 ? 1 + i % 5 : 0;
    TrafficConfig t;
    switch (i % 5) {
      case 0:
        t = poisson(2.0 + i);
        break;
      case 1:
        t.kind = TrafficKind::kDiurnal;
        t.mean_rate = 5.0 + i;
        t.amplitude = 0.8;
        t.period = Duration::hours(1);
        break;
      case 2:
        t.kind = TrafficKind::kBursts;
        t.rate = 40.0 + i;
        t.on_duration = Distribution::exponential(60.0);
        t.off_duration = Distribution::exponential(300.0);
        break;
      case 3:
        t.kind = TrafficKind::kClosedLoop;
        t.clients = 20 + i;
        t.think_time = Distribution::exponential(2.0);
        break;
      default:
        t.kind = TrafficKind::kFixedInterval;
        t.interval = Duration::milliseconds(100 + 10 * i);
        break;
    }
    ep.traffic.push_back(t);
    s.endpoints.push_back(ep);
  }
  return s;
}

// (c) one day of diurnal traffic (mean 50/s, ±80 %) against provisioned concurrency that
// Application Auto Scaling tracks at 50 % utilization, with hourly scheduled actions raising the
// minimum by day and lowering it at night.
Scenario autoscaled(bool with_autoscaling) {
  Scenario s;
  s.name = "bench-autoscaling";
  s.duration = Duration::hours(24);
  EndpointConfig ep;
  ep.name = "autoscaled";
  ep.memory_mb = 2048;
  ep.max_concurrency = 200;
  ep.provisioned_concurrency = 2;
  TrafficConfig t;
  t.kind = TrafficKind::kDiurnal;
  t.mean_rate = 50.0;
  t.amplitude = 0.8;
  t.peak_at = Duration::hours(14);
  ep.traffic.push_back(t);
  ep.model.inference = Distribution::lognormal_median_p99(0.050, 0.200);
  if (with_autoscaling) {
    AutoscalingConfig a;
    a.min_capacity = 1;
    a.max_capacity = 100;
    a.target_tracking.emplace();
    a.target_tracking->scale_out_cooldown = Duration::seconds(60);
    std::string error;
    size_t column = 0;
    for (const auto& [cron, low] : {std::pair{"cron(0 8 * * ? *)", 3}, {"cron(0 20 * * ? *)", 1}}) {
      ScheduledActionConfig action;
      action.name = cron;
      action.schedule = *ScheduleExpression::parse(cron, "", s.start, error, column);
      action.min_capacity = low;
      a.scheduled_actions.push_back(action);
    }
    ep.autoscaling = a;
  }
  s.endpoints.push_back(ep);
  return s;
}

// (e) case (a)'s workload replayed from a per-invocation CSV: `requests` Poisson arrivals at
// 100/s written as seconds with microseconds ("12.345678", as request logs have them), then read
// back streaming. The file lives in the temporary folder for the case's runs only.
std::string write_trace(int64_t requests) {
  const std::string path =
      (std::filesystem::temp_directory_path() / fmt::format("slsim-bench-trace-{}.csv", ::getpid()))
          .string();
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return "";
  RandomStream rng(1, 0, "bench/trace");
  fmt::memory_buffer buffer;
  buffer.append(std::string_view("timestamp\n"));
  int64_t us = 0;
  for (int64_t k = 0; k < requests; ++k) {
    us += static_cast<int64_t>(rng.exponential() * 1e4);  // mean 10 ms
    fmt::format_to(std::back_inserter(buffer), "{}.{:06d}\n", us / 1000000, us % 1000000);
    if (buffer.size() > (1 << 20)) {
      std::fwrite(buffer.data(), 1, buffer.size(), f);
      buffer.clear();
    }
  }
  std::fwrite(buffer.data(), 1, buffer.size(), f);
  return std::fclose(f) == 0 ? path : "";
}

Scenario replayed(const std::string& path, int64_t requests) {
  Scenario s = steady(requests);
  s.name = "bench-trace-replay";
  s.duration = s.duration + Duration::hours(1);  // past the last row
  s.endpoints[0].traffic.clear();
  TraceConfig t;
  t.name = "trace 'bench'";
  t.stream_base = "traffic/named/bench";
  t.format = TraceFormat::kCsv;
  t.file = path;
  t.columns.unit = TimestampUnit::kSeconds;
  t.route.all = 0;
  s.traces.push_back(t);
  return s;
}

struct Measurement {
  int64_t requests = 0;
  uint64_t events = 0;
  double wall = 0.0;
  double cpu = 0.0;
  std::array<int64_t, kOutcomeCount> outcomes{};
  int64_t scaling_activities = 0;
};

// One run with histograms and per-minute metrics on (rows formatted, written to /dev/null).
Measurement measure(const Scenario& s) {
  Measurement m;
  const auto start = std::chrono::steady_clock::now();
  const double cpu_start = thread_cpu_seconds();
  CsvLog log("/dev/null");
  MetricsCsvRecorder metrics(s, 0, log);
  Simulation sim(s, 0, Recorders{&metrics, nullptr, nullptr});
  const ReplicationResult r = sim.run();
  log.close();
  m.cpu = thread_cpu_seconds() - cpu_start;
  m.wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  m.events = r.events;
  for (const auto& e : r.endpoints) {
    m.requests += e.requests;
    m.scaling_activities += e.scaling_activities;
    for (size_t o = 0; o < kOutcomeCount; ++o) m.outcomes[o] += e.outcomes[o];
  }
  return m;
}

std::string mix(const Measurement& m) {
  const auto pct = [&](std::initializer_list<Outcome> os) {
    int64_t n = 0;
    for (const Outcome o : os) n += m.outcomes[static_cast<size_t>(o)];
    return 100.0 * static_cast<double>(n) / static_cast<double>(std::max<int64_t>(1, m.requests));
  };
  return fmt::format(
      "warm {:.2f}%  cold {:.3f}%  spillover {:.2f}%  throttled {:.3f}%  other {:.3f}%",
      pct({Outcome::kWarm}), pct({Outcome::kCold}),
      pct({Outcome::kSpilloverWarm, Outcome::kSpilloverCold}), pct({Outcome::kThrottled}),
      pct({Outcome::kRejectedPayload, Outcome::kTimedOut, Outcome::kStartFailed}));
}

// Runs the bare model matched to case (a) (../shared/perf/README.md: λ = 100/s, mean inference
// 2.389 ms, idle timeout 300 s, cold start 5.85 s) and returns its requests per CPU second and
// per wall second (as it prints), or zeros if it could not be run.
std::pair<double, double> run_reference(const std::string& binary, int64_t requests) {
  const std::string command = fmt::format("'{}' 100 {} 1 1 0.002389 300 5.85", binary, requests);
  const double cpu_before = children_cpu_seconds();
  std::FILE* p = popen(command.c_str(), "r");
  if (!p) return {0.0, 0.0};
  char buffer[1024] = {};
  std::string output;
  while (std::fgets(buffer, sizeof buffer, p)) output += buffer;
  const int status = pclose(p);
  const double cpu = children_cpu_seconds() - cpu_before;
  double wall_rate = 0.0;
  unsigned long long done = 0;
  const size_t at = output.find("req_per_s=");
  const size_t req = output.find("requests=");
  if (status != 0 || at == std::string::npos || req == std::string::npos) return {0.0, 0.0};
  std::sscanf(output.c_str() + at, "req_per_s=%lf", &wall_rate);
  std::sscanf(output.c_str() + req, "requests=%llu", &done);
  return {cpu > 0 ? static_cast<double>(done) / cpu : 0.0, wall_rate};
}

void report_case(const char* label, const std::vector<Measurement>& runs) {
  std::vector<double> walls, cpus;
  for (const auto& m : runs) {
    walls.push_back(m.wall);
    cpus.push_back(m.cpu);
  }
  const Measurement& m = runs.front();
  const double wall = median(walls), cpu = median(cpus);
  fmt::print(
      "{:<40} {:>11} req {:>11} events  wall {:6.2f} s  {:5.2f} M req/s (CPU {:5.2f})  "
      "peak RSS {:6.1f} MB\n    outcome mix: {}\n",
      label, m.requests, m.events, wall, m.requests / wall / 1e6, m.requests / cpu / 1e6,
      peak_rss_kb() / 1024.0, mix(m));
}

}  // namespace

int bench_command(const BenchCommand& options) {
  fmt::print(
      "slsim bench: one thread; histograms and per-minute metrics on; median of {} runs; peak "
      "RSS is the process's high-water mark so far (it must not grow with the request count).\n\n",
      options.repeats);
  const bool run_a = options.cases == "all" || options.cases == "a";
  const bool run_b = options.cases == "all" || options.cases == "b";
  const bool run_c = options.cases == "all" || options.cases == "c";
  const bool run_d = options.cases == "all" || options.cases == "d";
  const bool run_e = options.cases == "all" || options.cases == "e";
  if (run_a) {
    std::vector<Measurement> runs;
    const Scenario s = steady(options.requests / 10);
    for (int i = 0; i < options.repeats; ++i) runs.push_back(measure(s));
    report_case("(a) steady Poisson 100/s, 1/10 size", runs);
  }
  std::vector<Measurement> runs;
  std::vector<double> ref_cpu, ref_wall;
  const Scenario a = steady(options.requests);
  for (int i = 0; i < options.repeats && run_a; ++i) {
    if (!options.reference.empty()) {  // interleaved, so both see the same machine load
      const auto [cpu_rate, wall_rate] = run_reference(options.reference, options.requests);
      ref_cpu.push_back(cpu_rate);
      ref_wall.push_back(wall_rate);
    }
    runs.push_back(measure(a));
  }
  if (run_a) report_case("(a) steady Poisson 100/s", runs);
  if (run_a && !options.reference.empty()) {
    std::vector<double> cpu_ratio, wall_ratio;
    for (size_t i = 0; i < runs.size(); ++i) {
      cpu_ratio.push_back(runs[i].requests / runs[i].cpu / ref_cpu[i]);
      wall_ratio.push_back(runs[i].requests / runs[i].wall / ref_wall[i]);
    }
    if (median(ref_cpu) <= 0.0) {
      fmt::print("    reference {} could not be run\n", options.reference);
    } else {
      fmt::print("    bare model ({}): {:.2f} M req/s (CPU), {:.2f} M req/s (wall)\n",
                 options.reference, median(ref_cpu) / 1e6, median(ref_wall) / 1e6);
      fmt::print(
          "    slsim / bare model: {:.2f} by CPU time, {:.2f} by wall time (median of {} "
          "interleaved pairs)\n",
          median(cpu_ratio), median(wall_ratio), runs.size());
    }
  }
  if (run_b) {
    std::vector<Measurement> mixed_runs;
    const Scenario b = mixed();
    for (int i = 0; i < options.repeats; ++i) mixed_runs.push_back(measure(b));
    report_case("(b) 50 endpoints, mixed traffic", mixed_runs);
  }
  if (run_d) {
    // (d) the planner's workload: 6 memory sizes × 9 provisioned concurrencies × 5
    // replications of a 1-day, 10/s scenario, on every core, as `slsim sweep` runs it.
    SweepSpec spec;
    spec.scenario = (std::filesystem::path(data_dir()) / "scenarios" / "sweep-day.yaml").string();
    std::string error;
    spec.axes.push_back(*parse_grid_axis("memory=1GB..6GB:1GB", error));
    spec.axes.push_back(*parse_grid_axis("provisioned_concurrency=0..8", error));
    spec.replications = 5;
    const auto configs = load_configurations(spec);
    const auto jobs = job_list(configs, spec.replications);
    const int threads = static_cast<int>(std::thread::hardware_concurrency());
    int64_t requests = 0;
    const auto start = std::chrono::steady_clock::now();
    const size_t requests_index = 0;  // "requests" is the first figure
    const JobsOutcome outcome = run_jobs(
        spec, configs, jobs, threads,
        [&](JobValues&& j) { requests += static_cast<int64_t>(j.figures[requests_index]); },
        nullptr);
    if (!outcome.ok()) {
      fmt::print(stderr, "slsim bench: case (d): {}\n", outcome.input_error);
      return 1;
    }
    const double wall =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    fmt::print(
        "{:<40} {:>11} req {:>11} jobs   wall {:6.2f} s  {:5.2f} M req/s on {} threads  "
        "peak RSS {:6.1f} MB\n",
        "(d) sweep 6 memory × 9 PC × 5 rep., 1 day", requests, jobs.size(), wall,
        static_cast<double>(requests) / wall / 1e6, threads, peak_rss_kb() / 1024.0);
  }
  if (run_c) {
    std::vector<Measurement> scaled, fixed;
    const Scenario with = autoscaled(true), without = autoscaled(false);
    for (int i = 0; i < options.repeats; ++i) {
      scaled.push_back(measure(with));
      fixed.push_back(measure(without));
    }
    report_case("(c) diurnal day, autoscaled provisioned", scaled);
    const auto per_request = [](const Measurement& m) {
      return static_cast<double>(m.events) / static_cast<double>(m.requests);
    };
    fmt::print(
        "    events per request {:.4f} (without autoscaling {:.4f}: +{:.4f}); {} scaling "
        "activities\n",
        per_request(scaled.front()), per_request(fixed.front()),
        per_request(scaled.front()) - per_request(fixed.front()),
        scaled.front().scaling_activities);
  }
  if (run_e) {
    const std::string path = write_trace(options.requests);
    if (path.empty()) {
      fmt::print("(e) could not write a trace into {}\n",
                 std::filesystem::temp_directory_path().string());
      return 1;
    }
    const auto bytes = std::filesystem::file_size(path);
    std::vector<Measurement> replays;
    const Scenario d = replayed(path, options.requests);
    for (int i = 0; i < options.repeats; ++i) replays.push_back(measure(d));
    std::filesystem::remove(path);
    report_case("(e) trace replay: CSV of case (a)", replays);
    fmt::print("    {} rows, {:.0f} MB read per run (timestamps in s with 6 decimals)\n",
               replays.front().requests, static_cast<double>(bytes) / 1e6);
  }
  return 0;
}

}  // namespace slsim
