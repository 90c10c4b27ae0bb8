#include "slsim/commands.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <thread>

#include "slsim/data_paths.hpp"
#include "slsim/metrics_csv.hpp"
#include "slsim/output_dir.hpp"
#include "slsim/plotting.hpp"
#include "slsim/replication.hpp"
#include "slsim/report.hpp"
#include "slsim/scenario_loader.hpp"

namespace slsim {
namespace {

void print_errors(const std::vector<std::string>& errors) {
  for (const auto& e : errors) fmt::print(stderr, "{}\n", e);
  fmt::print(stderr, "{} error{}; nothing was run or written.\n", errors.size(),
             errors.size() == 1 ? "" : "s");
}

// Concatenates the per-replication files `<stem>.<k>` (in replication order) under one header.
bool merge_parts(std::FILE* out, const char* header, const std::string& stem, int replications,
                 std::string& error) {
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
    while ((n = std::fread(buffer.data(), 1, buffer.size(), in)) > 0)
      std::fwrite(buffer.data(), 1, n, out);
    std::fclose(in);
    std::filesystem::remove(part);
  }
  return true;
}

}  // namespace

int run_command(const RunCommand& options) {
  LoadResult loaded = load_scenario(options.scenario, options.sets);
  for (const auto& w : loaded.warnings) fmt::print(stderr, "{}\n", w);
  if (!loaded.ok()) {
    print_errors(loaded.errors);
    return 1;
  }
  Scenario& scenario = loaded.scenario;
  if (options.seed) scenario.seed = *options.seed;
  if (options.replications) scenario.replications = *options.replications;
  if ((options.requests || options.plot) && options.out.empty()) {
    fmt::print(stderr, "slsim run: {} needs --out DIR (where its files go)\n",
               options.requests ? "--requests" : "--plot");
    return 1;
  }

  std::string error;
  OutputDir out(options.out);
  RunOptions run_options;
  run_options.threads =
      options.threads > 0 ? options.threads : static_cast<int>(std::thread::hardware_concurrency());
  if (!options.out.empty() && !out.prepare(error)) {
    fmt::print(stderr, "slsim run: {}\n", error);
    return 1;
  }
  if (options.requests) run_options.requests_csv_stem = out.scratch("requests.parts");
  if (!options.out.empty()) run_options.metrics_csv_stem = out.scratch("metrics.parts");

  const auto started = std::chrono::steady_clock::now();
  std::vector<ReplicationResult> results;
  if (!run_replications(scenario, run_options, results, error)) {
    fmt::print(stderr, "slsim run: {}\n", error);
    return 1;
  }
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const Report report = build_report(scenario, results);
  if (!options.quiet) fmt::print("{}", summary_table(report));
  fmt::print(stderr, "\n{} events in {:.2f} s wall time ({} replication{}, {} thread{})\n",
             report.events, wall, scenario.replications, scenario.replications == 1 ? "" : "s",
             std::min(run_options.threads, scenario.replications),
             std::min(run_options.threads, scenario.replications) == 1 ? "" : "s");
  if (options.out.empty()) return 0;

  bool ok = out.write("summary.json", summary_json(report), error) &&
            out.write("scenario.yaml", scenario.source_text, error);
  if (ok) {
    std::FILE* f = out.open("metrics.csv", error);
    ok = f != nullptr && merge_parts(f, metrics_csv_header(), run_options.metrics_csv_stem,
                                     scenario.replications, error);
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
                                     scenario.replications, error);
    if (f) ok = out.close_file(f, error) && ok;
  }
  if (ok) ok = out.commit(error);
  if (!ok) {
    fmt::print(stderr, "slsim run: {}; the folder's earlier files were left as they were\n", error);
    return 1;
  }
  fmt::print(stderr, "wrote {}/summary.json, metrics.csv, latency.csv{}\n", options.out,
             options.requests ? ", requests.csv" : "");
  if (options.plot) {
    // The results are already written; a missing Python only costs the pictures, so the run
    // still succeeds and the warning says how to get them.
    std::string message;
    if (!plot_run(options.out, message)) fmt::print(stderr, "slsim run: warning: {}\n", message);
  }
  return 0;
}

int validate_command(const std::vector<std::string>& files) {
  int bad = 0;
  for (const auto& file : files) {
    const LoadResult loaded = load_scenario(file);
    for (const auto& w : loaded.warnings) fmt::print(stderr, "{}\n", w);
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
  return bad ? 1 : 0;
}

int exec_helper(const std::string& name, const std::vector<std::string>& args) {
  const std::string path = helper_program(name);
  if (path.empty()) {
    fmt::print(stderr,
               "slsim: {} was not found next to slsim or in ../libexec/slsim; build it with "
               "`cmake --build build --target {}`, or install slsim with `cmake --install`\n",
               name, name);
    return 1;
  }
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(path.c_str()));
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  std::fflush(stdout);
  ::execv(path.c_str(), argv.data());
  fmt::print(stderr, "slsim: cannot run {}: {}\n", path, std::strerror(errno));
  return 1;
}

}  // namespace slsim
