#include "slsim/commands.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <thread>

#include "slsim/csv_recorders.hpp"
#include "slsim/data_paths.hpp"
#include "slsim/exit_codes.hpp"
#include "slsim/interrupt.hpp"
#include "slsim/output_dir.hpp"
#include "slsim/plotting.hpp"
#include "slsim/progress.hpp"
#include "slsim/random.hpp"
#include "slsim/replication.hpp"
#include "slsim/report.hpp"
#include "slsim/scenario_loader.hpp"
#include "slsim/slo_check.hpp"
#include "slsim/trace_reader.hpp"
#include "slsim/traffic_estimate.hpp"
#include "slsim/units.hpp"

#ifndef SLSIM_VERSION
#define SLSIM_VERSION "unknown"
#endif

namespace slsim {
namespace {

void print_errors(const std::vector<std::string>& errors) {
  for (const auto& e : errors) fmt::print(stderr, "{}\n", e);
  fmt::print(stderr, "{} error{}; nothing was run or written.\n", errors.size(),
             errors.size() == 1 ? "" : "s");
}

// Concatenates the per-replication files `<stem>.<k>` (in replication order) under one header.
bool merge_parts(std::FILE* out, const char* header, const std::string& stem, int replications,
                 const std::atomic<bool>* stop, std::string& error) {
  std::fputs(header, out);
  std::vector<char> buffer(1 << 20);
  for (int k = 0; k < replications; ++k) {
    const std::string part = fmt::format("{}.{}", stem, k);
    std::FILE* in = std::fopen(part.c_str(), "rb");
    if (!in) {
      error = "cannot read " + part;
      return false;
    }
    size_t n;
    while ((n = std::fread(buffer.data(), 1, buffer.size(), in)) > 0) {
      std::fwrite(buffer.data(), 1, n, out);
      if (stop->load(std::memory_order_relaxed)) {
        std::fclose(in);
        error = "interrupted";
        return false;
      }
    }
    std::fclose(in);
    std::filesystem::remove(part);
  }
  return true;
}

uint64_t file_fnv1a64(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return fnv1a64(ss.str());
}

// The metrics period in whole minutes, or 0 with `error` set.
int64_t metrics_period_minutes(const std::string& text, std::string& error) {
  const Quantity q = parse_quantity(text, UnitKind::kDuration);
  const double minutes = q.value / 60.0;
  if (!q.ok() || minutes < 1.0 || minutes != std::floor(minutes) || minutes > 1e9) {
    error = fmt::format(
        "--metrics-period '{}' must be a whole number of minutes (CloudWatch periods are "
        "multiples of 60 s), e.g. 1min, 5min, 1h",
        text);
    return 0;
  }
  return static_cast<int64_t>(minutes);
}

// metrics.csv's size, estimated before the run: one row of ≈ 190 bytes per endpoint, period and
// replication.
double metrics_bytes(const Scenario& s, int64_t period_minutes) {
  const double periods = std::ceil(s.duration.seconds_f() / 60.0 / period_minutes) + 1;
  return 190.0 * periods * static_cast<double>(s.endpoints.size()) * s.replications;
}

std::string format_bytes(double bytes) {
  if (bytes >= 1e9) return fmt::format("{:.1f} GB", bytes / 1e9);
  if (bytes >= 1e6) return fmt::format("{:.0f} MB", bytes / 1e6);
  return fmt::format("{:.0f} kB", bytes / 1e3);
}

}  // namespace

int run_command(const RunCommand& options) {
  std::vector<Slo> slos;  // command-line values, checked before the scenario is read
  if (std::vector<std::string> bad; !parse_slos(options.slos, slos, bad)) {
    print_errors(bad);
    return kExitUsage;
  }

  std::vector<std::string> sets = options.sets;
  if (options.seed) sets.push_back(fmt::format("seed={}", *options.seed));
  if (options.replications) sets.push_back(fmt::format("replications={}", *options.replications));
  if (options.skip_bad_rows) sets.push_back("skip_bad_rows=true");
  LoadResult loaded = load_scenario(options.scenario, sets);
  for (const auto& w : loaded.warnings) fmt::print(stderr, "{}\n", w);
  if (!loaded.ok()) {
    print_errors(loaded.errors);
    return kExitInputError;
  }
  const Scenario& scenario = loaded.scenario;

  if ((options.requests || options.plot) && options.out.empty()) {
    fmt::print(stderr, "slsim run: {} needs --out DIR (where its files go)\n",
               options.requests ? "--requests" : "--plot");
    return kExitUsage;
  }
  if (const std::string problem = workload_problem(scenario); !problem.empty()) {
    fmt::print(stderr, "slsim run: --replications {}: {}\n", scenario.replications, problem);
    return kExitInputError;
  }
  std::string error;
  const int64_t period = metrics_period_minutes(options.metrics_period, error);
  if (period == 0) {
    fmt::print(stderr, "slsim run: {}\n", error);
    return kExitUsage;
  }
  // From here on SIGINT/SIGTERM stop the run; the output folder is then left as it was.
  InterruptGuard interrupt;

  OutputDir out(options.out);
  RunOptions run_options;
  run_options.threads =
      options.threads > 0 ? options.threads : static_cast<int>(std::thread::hardware_concurrency());
  run_options.threads = std::clamp(run_options.threads, 1, scenario.replications);
  run_options.metrics_period_minutes = period;
  run_options.stop = interrupt.flag();
  if (!options.out.empty()) {
    if (!out.prepare(error)) {
      fmt::print(stderr, "slsim run: {}; nothing was run or written\n", error);
      return kExitInputError;
    }
    const double bytes = metrics_bytes(scenario, period);
    if (bytes > 100e6)
      fmt::print(
          stderr,
          "slsim run: metrics.csv will be about {} ({} endpoint{} × {} period{} of {} min "
          "× {} replication{}); --metrics-period 1h writes {}× fewer rows\n",
          format_bytes(bytes), scenario.endpoints.size(), scenario.endpoints.size() == 1 ? "" : "s",
          static_cast<int64_t>(bytes / 190.0 / scenario.endpoints.size() / scenario.replications),
          period == 1 ? "" : "s", period, scenario.replications,
          scenario.replications == 1 ? "" : "s", std::max<int64_t>(1, 60 / period));
    if (options.requests) run_options.requests_csv_stem = out.scratch("requests.parts");
    run_options.metrics_csv_stem = out.scratch("metrics.parts");
    run_options.scaling_csv_stem = out.scratch("scaling.parts");
  }

  RunInfo info;
  info.slsim_version = SLSIM_VERSION;
  info.scenario_file = std::filesystem::absolute(options.scenario).lexically_normal().string();
  info.overrides = sets;
  info.pricing_file = scenario.pricing_path;
  info.pricing_fnv1a64 = file_fnv1a64(scenario.pricing_path);
  ReportBuilder builder(scenario, info);

  RunProgress progress(run_options.threads);
  run_options.progress = &progress;
  const bool show_progress = !options.quiet && (options.progress || ::isatty(2));
  const auto started = std::chrono::steady_clock::now();
  bool ok;
  {
    std::unique_ptr<ProgressLine> line;
    if (show_progress)
      line = std::make_unique<ProgressLine>(progress, run_options.threads, scenario.replications,
                                            scenario.duration.seconds_f());
    ok = run_replications(
        scenario, run_options, [&](int, ReplicationResult&& result) { builder.add(result); },
        error);
  }
  const Report& report = builder.report();
  if (report.skipped_trace_rows > 0)
    fmt::print(stderr, "slsim run: skipped {} bad trace row{} (--skip-bad-rows); the first: {}\n",
               report.skipped_trace_rows, report.skipped_trace_rows == 1 ? "" : "s",
               report.first_skipped_trace_row);
  if (!ok) {
    if (interrupt.interrupted())
      return report_interrupt(interrupt, "slsim run", "simulating", options.out);
    fmt::print(stderr, "slsim run: {}\n", error);
    return kExitInputError;
  }
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (!options.quiet) fmt::print("{}", summary_table(report));
  const std::vector<SloVerdict> verdicts = check_slos(slos, report);
  if (!slos.empty()) fmt::print("{}", slo_table(slos, verdicts, report.replications));
  std::fflush(stdout);  // the table before the stderr lines that follow it
  fmt::print(stderr, "\n{} events in {:.2f} s wall time ({} replication{}, {} thread{})\n",
             report.events, wall, scenario.replications, scenario.replications == 1 ? "" : "s",
             run_options.threads, run_options.threads == 1 ? "" : "s");
  if (options.out.empty()) return kExitOk;

  const std::string scenario_yaml =
      fmt::format("# The scenario as slsim {} ran it: {}{}\n# (--set applied, paths absolute).\n",
                  SLSIM_VERSION, info.scenario_file,
                  sets.empty() ? "" : fmt::format(" with --set {}", fmt::join(sets, " --set "))) +
      loaded.effective_yaml;
  bool written = out.write("summary.json",
                           summary_json(report, slos.empty() ? "" : slo_json(verdicts)), error) &&
                 out.write("scenario.yaml", scenario_yaml, error);
  if (written) {
    std::FILE* f = out.open("metrics.csv", error);
    written = f != nullptr && merge_parts(f, metrics_csv_header(), run_options.metrics_csv_stem,
                                          scenario.replications, run_options.stop, error);
    if (f) written = out.close_file(f, error) && written;
  }
  if (written) {
    std::FILE* f = out.open("scaling.csv", error);
    written = f != nullptr && merge_parts(f, scaling_csv_header(), run_options.scaling_csv_stem,
                                          scenario.replications, run_options.stop, error);
    if (f) written = out.close_file(f, error) && written;
  }
  if (written) {
    std::FILE* f = out.open("latency.csv", error);
    written = f != nullptr;
    if (written) {
      write_latency_csv(f, report);
      written = out.close_file(f, error);
    }
  }
  if (written && options.requests) {
    std::FILE* f = out.open("requests.csv", error);
    written = f != nullptr && merge_parts(f, requests_csv_header(), run_options.requests_csv_stem,
                                          scenario.replications, run_options.stop, error);
    if (f) written = out.close_file(f, error) && written;
  }
  // Plots are drawn into the working folder, so they are committed with the results. A missing
  // Python only costs the pictures: the run still succeeds and the warning says how to get them.
  bool plotted = false;
  if (written && options.plot && !interrupt.interrupted()) {
    std::string message;
    plotted = plot_run(out.work_dir(), message);
    // The message names the folder the plots were for: the result folder, once committed.
    if (const size_t at = message.find(out.work_dir()); at != std::string::npos)
      message.replace(at, out.work_dir().size(), options.out);
    if (!plotted && !interrupt.interrupted())
      fmt::print(stderr, "slsim run: warning: {}\n", message);
  }
  if (interrupt.interrupted())
    return report_interrupt(interrupt, "slsim run", "writing results", options.out);
  if (written) written = out.commit(error);
  if (!written) {
    fmt::print(stderr, "slsim run: {}; the folder's earlier files were left as they were\n", error);
    return kExitInputError;
  }
  fmt::print(stderr,
             "wrote {}/summary.json, scenario.yaml, metrics.csv, scaling.csv, latency.csv{}{}\n",
             options.out, options.requests ? ", requests.csv" : "",
             plotted ? ", report.html, plots/" : "");
  return kExitOk;
}

int validate_command(const std::vector<std::string>& files, bool skip_bad_rows) {
  int bad = 0;
  for (const auto& file : files) {
    // The load leaves the streamed traces' rows to scan_traces, which lists every bad row.
    LoadResult loaded = load_scenario(
        file,
        skip_bad_rows ? std::vector<std::string>{"skip_bad_rows=true"} : std::vector<std::string>{},
        TraceRows::kScannedByCaller);
    for (const auto& w : loaded.warnings) fmt::print(stderr, "{}\n", w);
    if (loaded.ok()) {
      // Trace files are read to their end here (a run reads only what it replays).
      const std::vector<std::string> traces = scan_traces(loaded.scenario, loaded.errors);
      if (!loaded.ok()) {
        ++bad;
        for (const auto& e : loaded.errors) fmt::print(stderr, "{}\n", e);
        for (const auto& t : traces) fmt::print(stderr, "  {}\n", t);
        continue;
      }
      fmt::print("{}: ok ({} endpoint{})\n", file, loaded.scenario.endpoints.size(),
                 loaded.scenario.endpoints.size() == 1 ? "" : "s");
      for (const auto& t : traces) fmt::print("  {}\n", t);
    } else {
      ++bad;
      for (const auto& e : loaded.errors) fmt::print(stderr, "{}\n", e);
    }
  }
  if (bad)
    fmt::print(stderr, "{} of {} file{} invalid\n", bad, files.size(),
               files.size() == 1 ? "" : "s");
  return bad ? kExitInputError : kExitOk;
}

int exec_helper(const std::string& name, const std::vector<std::string>& args) {
  const std::string path = helper_program(name);
  if (path.empty()) {
    fmt::print(stderr,
               "slsim: {} was not found next to slsim or in ../libexec/slsim; build it with "
               "`cmake --build build --target {}`, or install slsim with `cmake --install`\n",
               name, name);
    return kExitInputError;
  }
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(path.c_str()));
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  std::fflush(stdout);
  ::execv(path.c_str(), argv.data());
  fmt::print(stderr, "slsim: cannot run {}: {}\n", path, std::strerror(errno));
  return kExitInputError;
}

}  // namespace slsim
