// slsim: command-line entry point. Parses the command line (CLI11) and hands over to commands.
// Exit status: exit_codes.hpp (0 ok, 1 bad input, 2 usage, 70 internal error, 128 + signal).
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <charconv>
#include <exception>
#include <new>

#include "slsim/commands.hpp"
#include "slsim/exit_codes.hpp"

namespace {

// A seed is a whole number in [0, 2^64 - 1], written in decimal; CLI11's own conversion would
// wrap "-1" and clamp "2^64" to 2^64 - 1.
uint64_t parse_seed(const std::string& text) {
  uint64_t seed = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), seed);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size())
    throw CLI::ValidationError(
        "--seed",
        fmt::format("'{}' is not a seed: write a whole number from 0 to {}", text, UINT64_MAX));
  return seed;
}

[[noreturn]] void internal_error(const char* what) {
  fmt::print(stderr,
             "slsim: internal error: {}\nThis is a bug in slsim, not a problem with your input: "
             "please report it with the command line and the files it read.\n",
             what);
  std::_Exit(slsim::kExitInternalError);
}

int run(int argc, char** argv) {
  CLI::App app{
      "slsim: discrete-event simulator of serverless inference endpoints "
      "(SageMaker Serverless Inference)"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("slsim ") + SLSIM_VERSION);

  slsim::RunCommand run;
  auto* run_cmd =
      app.add_subcommand("run", "Simulate a scenario and report latency, cold starts and cost");
  run_cmd->add_option("scenario", run.scenario, "Scenario YAML file")->required();
  run_cmd->add_option("--out,-o", run.out,
                      "Folder for summary.json, metrics.csv, latency.csv (written atomically)");
  run_cmd->add_option_function<std::string>(
      "--seed", [&](const std::string& text) { run.seed = parse_seed(text); },
      "Random seed, 0 to 2^64-1 (default: the scenario's seed, else 1)");
  run_cmd
      ->add_option(
          "--replications,-r", run.replications,
          "Independent replications; figures get a 95% CI (default: the scenario's, else 1)")
      ->check(CLI::Range(1, 100000));
  run_cmd
      ->add_option("--threads,-j", run.threads,
                   "Threads for replications (default: all cores; results do not depend on it)")
      ->check(CLI::Range(0, 1024));
  run_cmd->add_option("--set", run.sets,
                      "Override a scenario value: path=value, e.g. traffic.rate=20/s (repeatable)");
  run_cmd->add_flag("--requests", run.requests,
                    "Also write requests.csv, one row per request (needs --out)");
  run_cmd->add_flag("--quiet,-q", run.quiet, "Print neither the summary table nor progress");
  run_cmd->add_flag("--progress", run.progress,
                    "Show a progress line on stderr even when it is not a terminal");
  run_cmd
      ->add_option("--metrics-period", run.metrics_period,
                   "Period of metrics.csv rows, a whole number of minutes (e.g. 5min, 1h)")
      ->capture_default_str();
  run_cmd->add_flag("--skip-bad-rows", run.skip_bad_rows,
                    "Leave out trace rows that cannot be replayed, count and report them, "
                    "instead of stopping at the first");
  run_cmd->add_option("--slo", run.slos,
                      "An objective checked after the run, in total and per endpoint, as plan "
                      "takes it: 'p99<=1s', 'throttled<0.1%', 'cold<1%', 'monthly_cost<=$500' "
                      "(repeatable; in summary.json and report.html; the exit status does not "
                      "depend on it)");
  run_cmd->add_flag(
      "--plot", run.plot,
      "Also draw plots (PNG+SVG) and report.html into the --out folder (needs Python 3 "
      "with matplotlib and pandas; the run itself does not)");

  std::vector<std::string> files;
  auto* validate_cmd = app.add_subcommand(
      "validate", "Load and check scenario files; report every error; run nothing");
  validate_cmd->add_option("scenarios", files, "Scenario YAML files")->required();
  bool validate_skip = false;
  validate_cmd->add_flag("--skip-bad-rows", validate_skip,
                         "Count bad trace rows instead of reporting them as errors");

  slsim::BenchCommand bench;
  auto* bench_cmd =
      app.add_subcommand("bench", "Measure simulated requests per second and peak memory");
  bench_cmd
      ->add_option("--requests", bench.requests,
                   "Requests in case (a), steady Poisson 100/s (default: 1e7)")
      ->check(CLI::Range(int64_t{1000}, int64_t{1000000000}));
  bench_cmd->add_option("--repeats", bench.repeats, "Runs of each case (the median is reported)")
      ->capture_default_str()
      ->check(CLI::Range(1, 100));
  bench_cmd->add_option("--reference", bench.reference,
                        "The bare model of ../shared/perf, built (see its README): run it "
                        "interleaved with case (a) and print the speed ratio");
  bench_cmd->add_option("--cases", bench.cases, "Which cases to run: a, b, c, d, e or all")
      ->capture_default_str()
      ->check(CLI::IsMember({"a", "b", "c", "d", "e", "all"}));

  slsim::SweepCommand sweep;
  auto* sweep_cmd = app.add_subcommand(
      "sweep", "Run every configuration of a grid (common random numbers) into sweep.csv");
  sweep_cmd->add_option("scenario", sweep.scenario, "Scenario YAML file")->required();
  sweep_cmd->add_option("--grid", sweep.grid,
                        "An axis: path=a,b,c or path=low..high[:step], e.g. memory=1GB..6GB:1GB "
                        "(repeatable; the last varies fastest)");
  sweep_cmd->add_option("--set", sweep.sets, "Override a scenario value in every configuration");
  sweep_cmd->add_option_function<std::string>(
      "--seed", [&](const std::string& text) { sweep.seed = parse_seed(text); },
      "Random seed, 0 to 2^64-1 (default: the scenario's)");
  sweep_cmd
      ->add_option("--replications,-r", sweep.replications,
                   "Replications per configuration (default: the scenario's)")
      ->check(CLI::Range(1, 100000));
  sweep_cmd->add_option("--threads,-j", sweep.threads, "Threads (default: all cores)")
      ->check(CLI::Range(0, 1024));
  sweep_cmd->add_option("--out,-o", sweep.out, "Folder for manifest.txt, jobs.txt and sweep.csv");
  sweep_cmd->add_flag("--dry-run", sweep.dry_run, "List the configurations and stop");
  sweep_cmd->add_flag("--keep-runs", sweep.keep_runs,
                      "Also write each configuration's full results to OUT/runs/NNNNN");
  sweep_cmd->add_option("--shard", sweep.shard,
                        "Run only part K of N of the jobs (K/N), for slsim merge");
  sweep_cmd->add_flag("--resume", sweep.resume, "Run only the jobs --out does not have yet");
  sweep_cmd->add_flag("--skip-bad-rows", sweep.skip_bad_rows,
                      "Leave out trace rows that cannot be replayed, count and report them, "
                      "instead of stopping at the first");

  sweep_cmd->add_flag("--quiet,-q", sweep.quiet, "No progress line");
  sweep_cmd->add_flag("--progress", sweep.progress, "A progress line even when not a terminal");

  slsim::PlanCommand plan;
  auto* plan_cmd = app.add_subcommand(
      "plan",
      "Find the cheapest configuration meeting service-level objectives; compare with "
      "real-time endpoints");
  plan_cmd->add_option("scenario", plan.sweep.scenario, "Scenario YAML file")->required();
  plan_cmd
      ->add_option("--slo", plan.slos,
                   "An objective, e.g. 'p99<=1s', 'throttled<0.1%', 'cold<1%', "
                   "'monthly_cost<=$500' (repeatable)")
      ->required();
  plan_cmd->add_option("--slo-window", plan.window,
                       "Latency and rate objectives must also hold in every window: 1h, 1d, "
                       "hour-of-week");
  plan_cmd->add_option("--grid", plan.sweep.grid, "An axis, as for sweep (repeatable)");
  plan_cmd->add_option("--set", plan.sweep.sets, "Override a scenario value everywhere");
  plan_cmd->add_option_function<std::string>(
      "--seed", [&](const std::string& text) { plan.sweep.seed = parse_seed(text); },
      "Random seed, 0 to 2^64-1 (default: the scenario's)");
  plan_cmd
      ->add_option("--replications,-r", plan.sweep.replications,
                   "Replications per configuration (default: the scenario's)")
      ->check(CLI::Range(1, 100000));
  plan_cmd->add_option("--threads,-j", plan.sweep.threads, "Threads (default: all cores)")
      ->check(CLI::Range(0, 1024));
  plan_cmd->add_option("--real-time", plan.real_time,
                       "Real-time alternatives: TYPE or TYPE:LOW..HIGH instances (default: every "
                       "type of the pricing file, 1..4), or none (repeatable)");
  plan_cmd->add_option("--out,-o", plan.sweep.out,
                       "Folder for plan.txt, plan.json, sweep.csv, real_time.csv");
  plan_cmd->add_flag("--plot", plan.plot, "Also draw the Pareto front, heatmaps and report.html");
  plan_cmd->add_flag("--skip-bad-rows", plan.sweep.skip_bad_rows,
                     "Leave out trace rows that cannot be replayed, count and report them, "
                     "instead of stopping at the first");

  plan_cmd->add_flag("--quiet,-q", plan.sweep.quiet, "No progress line");
  plan_cmd->add_flag("--progress", plan.sweep.progress, "A progress line even when not a terminal");

  std::vector<std::string> parts;
  std::string merge_out;
  auto* merge_cmd = app.add_subcommand(
      "merge", "Combine the --shard parts of a sweep into what the whole sweep writes");
  merge_cmd->add_option("parts", parts, "The parts' --out folders")->required();
  merge_cmd->add_option("--out,-o", merge_out, "Folder for the merged sweep")->required();

  // `calibrate` lives in its own executable, slsim-calibrate, so that `run`, `validate` and
  // `bench` never load XGBoost, libarchive and OpenMP (README, "Dependencies"). Everything after
  // the word `calibrate`, `--help` included, is handed to it unparsed.
  auto* cal_cmd = app.add_subcommand("calibrate",
                                     "Measure a real XGBoost model's extraction, load and "
                                     "inference latencies into a calibration file (slsim "
                                     "calibrate --help for its options)");
  cal_cmd->set_help_flag();
  cal_cmd->prefix_command();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version are "errors" with status 0; every other one is a usage error.
    return app.exit(e) == 0 ? slsim::kExitOk : slsim::kExitUsage;
  }
  if (cal_cmd->parsed()) return slsim::exec_helper("slsim-calibrate", cal_cmd->remaining());
  if (run_cmd->parsed()) return slsim::run_command(run);
  if (validate_cmd->parsed()) return slsim::validate_command(files, validate_skip);
  if (bench_cmd->parsed()) return slsim::bench_command(bench);
  if (sweep_cmd->parsed()) return slsim::sweep_command(sweep);
  if (merge_cmd->parsed()) return slsim::merge_command(parts, merge_out);
  if (plan_cmd->parsed()) return slsim::plan_command(plan);
  return slsim::kExitUsage;
}

}  // namespace

// The last resort: an exception that escapes a command (or a worker thread) is a bug, reported
// as one. No known input reaches it; bad input is reported by the loaders with its position.
int main(int argc, char** argv) {
  std::set_terminate([] { internal_error("an exception escaped a thread (std::terminate)"); });
  try {
    return run(argc, argv);
  } catch (const std::bad_alloc&) {
    fmt::print(stderr, "slsim: out of memory\n");
    return slsim::kExitInputError;
  } catch (const std::exception& e) {
    internal_error(e.what());
  } catch (...) {
    internal_error("an unknown exception");
  }
}
