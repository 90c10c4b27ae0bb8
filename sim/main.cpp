// slsim: command-line entry point. Parses the command line (CLI11) and hands over to commands.
// Exit status: exit_codes.hpp (0 ok, 1 bad input, 2 usage, 70 internal error, 128 + signal).
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <charconv>
#include <exception>
#include <new>

#include "slsim/calibrator.hpp"
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
  app.set_version_flag("--version", std::string("slsim 0.1.0"));

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
  run_cmd->add_flag("--quiet,-q", run.quiet, "Do not print the summary table");
  run_cmd->add_flag(
      "--plot", run.plot,
      "Also draw plots (PNG+SVG) and report.html into the --out folder (needs Python 3 "
      "with matplotlib and pandas; the run itself does not)");

  std::vector<std::string> files;
  auto* validate_cmd = app.add_subcommand(
      "validate", "Load and check scenario files; report every error; run nothing");
  validate_cmd->add_option("scenarios", files, "Scenario YAML files")->required();

  slsim::BenchCommand bench;
  auto* bench_cmd =
      app.add_subcommand("bench", "Measure simulated requests per second and peak memory");
  bench_cmd
      ->add_option("--requests", bench.requests,
                   "Requests in case (a), steady Poisson 100/s (default: 1e7)")
      ->check(CLI::Range(int64_t{1000}, int64_t{1000000000}));

  slsim::CalibrateOptions cal;
  auto* cal_cmd = app.add_subcommand("calibrate",
                                     "Measure a real XGBoost model's extraction, load and "
                                     "inference latencies into a calibration file");
  cal_cmd->add_option("--model", cal.model, "XGBoost JSON model file (written first with --train)")
      ->required();
  cal_cmd
      ->add_option("--payloads", cal.payloads,
                   "CSV with a header: payload rows, and training data for --train")
      ->required()
      ->check(CLI::ExistingFile);
  cal_cmd->add_option("--label", cal.label,
                      "Label column, left out of payloads (default: the last column)");
  cal_cmd->add_option("--out", cal.out, "Calibration YAML to write")->required();
  cal_cmd->add_option("--requests", cal.requests, "Steady-state requests per payload size")
      ->capture_default_str()
      ->check(CLI::Range(10, 10000000));
  cal_cmd->add_option("--warmup", cal.warmup, "Steady-state iterations excluded before measuring")
      ->capture_default_str()
      ->check(CLI::Range(0, 1000000));
  cal_cmd->add_option("--loads", cal.loads, "Repetitions of extraction, load and first inference")
      ->capture_default_str()
      ->check(CLI::Range(3, 100000));
  cal_cmd->add_option("--batch-rows", cal.batch_rows, "Rows in the batch payload")
      ->capture_default_str()
      ->check(CLI::Range(2, 100000));
  cal_cmd->add_flag(
      "--train", cal.train,
      "Train the model from --payloads (regression on the label) and save it to --model");
  cal_cmd->add_option("--trees", cal.trees, "Trees when training")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000));
  cal_cmd
      ->add_option("--sizes", cal.sizes,
                   "Also train and measure models of these tree counts, for the size fit")
      ->delimiter(',')
      ->check(CLI::Range(1, 100000));
  cal_cmd->add_flag("--quiet,-q", cal.quiet, "Print nothing but errors");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version are "errors" with status 0; every other one is a usage error.
    return app.exit(e) == 0 ? slsim::kExitOk : slsim::kExitUsage;
  }
  if (cal_cmd->parsed()) return slsim::calibrate_command(cal);
  if (run_cmd->parsed()) return slsim::run_command(run);
  if (validate_cmd->parsed()) return slsim::validate_command(files);
  if (bench_cmd->parsed()) return slsim::bench_command(bench);
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
