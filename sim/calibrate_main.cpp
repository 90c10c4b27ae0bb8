// slsim-calibrate: the executable behind `slsim calibrate` (which execs it with its arguments).
// It alone links XGBoost, libarchive, Eigen and OpenMP, so that simulating never loads them.
// Parses the command line (CLI11) and hands over to calibrator.hpp.
#include <CLI/CLI.hpp>

#include "slsim/calibrator.hpp"

int main(int argc, char** argv) {
  CLI::App app{
      "Measure a real XGBoost model's extraction, load and inference latencies into a "
      "calibration file",
      "slsim calibrate"};
  slsim::CalibrateOptions cal;
  app.add_option("--model", cal.model, "XGBoost JSON model file (written first with --train)")
      ->required();
  app.add_option("--payloads", cal.payloads,
                 "CSV with a header: payload rows, and training data for --train")
      ->required()
      ->check(CLI::ExistingFile);
  app.add_option("--label", cal.label,
                 "Label column, left out of payloads (default: the last column)");
  app.add_option("--out", cal.out, "Calibration YAML to write")->required();
  app.add_option("--requests", cal.requests, "Steady-state requests per payload size")
      ->capture_default_str()
      ->check(CLI::Range(10, 10000000));
  app.add_option("--warmup", cal.warmup, "Steady-state iterations excluded before measuring")
      ->capture_default_str()
      ->check(CLI::Range(0, 1000000));
  app.add_option("--loads", cal.loads, "Repetitions of extraction, load and first inference")
      ->capture_default_str()
      ->check(CLI::Range(3, 100000));
  app.add_option("--batch-rows", cal.batch_rows, "Rows in the batch payload")
      ->capture_default_str()
      ->check(CLI::Range(2, 100000));
  app.add_flag("--train", cal.train,
               "Train the model from --payloads (regression on the label) and save it to --model");
  app.add_option("--trees", cal.trees, "Trees when training")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000));
  app.add_option("--sizes", cal.sizes,
                 "Also train and measure models of these tree counts, for the size fit")
      ->delimiter(',')
      ->check(CLI::Range(1, 100000));
  app.add_flag("--quiet,-q", cal.quiet, "Print nothing but errors");

  CLI11_PARSE(app, argc, argv);
  return slsim::calibrate_command(cal);
}
