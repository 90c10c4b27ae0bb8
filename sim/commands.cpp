#include "slsim/commands.hpp"

#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "slsim/exit_codes.hpp"
#include "slsim/interrupt.hpp"
#include "slsim/metrics_csv.hpp"
#include "slsim/output_dir.hpp"
#include "slsim/plotting.hpp"
#include "slsim/replication.hpp"
#include "slsim/report.hpp"
#include "slsim/scenario_loader.hpp"
#include "slsim/traffic_estimate.hpp"

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

// Says what an interrupt stopped and returns 128 + its signal; `out` keeps its earlier files
// (OutputDir removes its working folder on the way out).
int report_interrupt(const InterruptGuard& interrupt, const char* while_doing,
                     const std::string& out) {
  fmt::print(stderr, "slsim run: interrupted by {} while {}; {}\n", interrupt.signal_name(),
             while_doing,
             out.empty() ? "nothing was written"
                         : fmt::format("'{}' was left as it was, nothing was written", out));
  return interrupt.exit_code();
}

}  // namespace

int run_command(const RunCommand& options) {
  LoadResult loaded = load_scenario(options.scenario, options.sets);
  if (!loaded.ok()) {
    print_errors(loaded.errors);
    return kExitInputError;
  }
  Scenario& scenario = loaded.scenario;
  if (options.seed) scenario.seed = *options.seed;
  if (options.replications) scenario.replications = *options.replications;
  if ((options.requests || options.plot) && options.out.empty()) {
    fmt::print(stderr, "slsim run: {} needs --out DIR (where its files go)\n",
               options.requests ? "--requests" : "--plot");
    return kExitUsage;
  }
  if (const std::string problem = workload_problem(scenario); !problem.empty()) {
    fmt::print(stderr, "slsim run: --replications {}: {}\n", scenario.replications, problem);
    return kExitInputError;
  }

  // From here on SIGINT/SIGTERM stop the run; the output folder is then left as it was.
  InterruptGuard interrupt;
  std::string error;
  OutputDir out(options.out);
  RunOptions run_options;
  run_options.threads =
      options.threads > 0 ? options.threads : static_cast<int>(std::thread::hardware_concurrency());
  run_options.stop = interrupt.flag();
  if (!options.out.empty() && !out.prepare(error)) {
    fmt::print(stderr, "slsim run: {}; nothing was run or written\n", error);
    return kExitInputError;
  }
  if (options.requests) run_options.requests_csv_stem = out.scratch("requests.parts");
  if (!options.out.empty()) run_options.metrics_csv_stem = out.scratch("metrics.parts");

  const auto started = std::chrono::steady_clock::now();
  std::vector<ReplicationResult> results;
  if (!run_replications(scenario, run_options, results, error)) {
    if (interrupt.interrupted()) return report_interrupt(interrupt, "simulating", options.out);
    fmt::print(stderr, "slsim run: {}\n", error);
    return kExitInputError;
  }
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const Report report = build_report(scenario, results);
  if (!options.quiet) fmt::print("{}", summary_table(report));
  fmt::print(stderr, "\n{} events in {:.2f} s wall time ({} replication{}, {} thread{})\n",
             report.events, wall, scenario.replications, scenario.replications == 1 ? "" : "s",
             std::min(run_options.threads, scenario.replications),
             std::min(run_options.threads, scenario.replications) == 1 ? "" : "s");
  if (options.out.empty()) return kExitOk;

  bool ok = out.write("summary.json", summary_json(report), error) &&
            out.write("scenario.yaml", scenario.source_text, error);
  if (ok) {
    std::FILE* f = out.open("metrics.csv", error);
    ok = f != nullptr && merge_parts(f, metrics_csv_header(), run_options.metrics_csv_stem,
                                     scenario.replications, run_options.stop, error);
    if (f) ok = out.close_file(f, error) && ok;
  }
  if (ok) {
    std::FILE* f = out.open("latency.csv", error);
    ok = f != nullptr;
    if (ok) {
      write_latency_csv(f, report);
      ok = out.close_file(f, error);
    }
  }
  if (ok && options.requests) {
    std::FILE* f = out.open("requests.csv", error);
    ok = f != nullptr && merge_parts(f, requests_csv_header(), run_options.requests_csv_stem,
                                     scenario.replications, run_options.stop, error);
    if (f) ok = out.close_file(f, error) && ok;
  }
  // Plots are drawn into the working folder, so they are committed with the results. A missing
  // Python only costs the pictures: the run still succeeds and the warning says how to get them.
  bool plotted = false;
  if (ok && options.plot && !interrupt.interrupted()) {
    std::string message;
    plotted = plot_run(out.work_dir(), message);
    // The message names the folder the plots were for: the result folder, once committed.
    if (const size_t at = message.find(out.work_dir()); at != std::string::npos)
      message.replace(at, out.work_dir().size(), options.out);
    if (!plotted && !interrupt.interrupted())
      fmt::print(stderr, "slsim run: warning: {}\n", message);
  }
  if (interrupt.interrupted()) return report_interrupt(interrupt, "writing results", options.out);
  if (ok) ok = out.commit(error);
  if (!ok) {
    fmt::print(stderr, "slsim run: {}; the folder was left as it was\n", error);
    return kExitInputError;
  }
  fmt::print(stderr, "wrote {}/summary.json, metrics.csv, latency.csv{}{}\n", options.out,
             options.requests ? ", requests.csv" : "", plotted ? ", report.html, plots/" : "");
  return kExitOk;
}

int validate_command(const std::vector<std::string>& files) {
  int bad = 0;
  for (const auto& file : files) {
    const LoadResult loaded = load_scenario(file);
    if (loaded.ok()) {
      fmt::print("{}: ok ({} endpoint{})\n", file, loaded.scenario.endpoints.size(),
                 loaded.scenario.endpoints.size() == 1 ? "" : "s");
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

}  // namespace slsim
