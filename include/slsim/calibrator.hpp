// `slsim calibrate`: measures what a serving container does with a real XGBoost model, phase by
// phase, and writes a calibration file (calibration.hpp) that scenarios sample from.
//
// Phases, each timed separately with many repetitions (steady_clock; the median cost of one
// clock read pair is measured and subtracted; warm-up iterations are excluded and counted):
//   extraction       model.tar.gz (in memory) -> model bytes (gunzip + untar, libarchive)
//   model_load       create a booster and deserialise the JSON model into it
//   first_inference  the first request on a freshly loaded booster
//   inference_1_row  steady state: parse a one-row text/csv payload, build a DMatrix, predict,
//                    format the text/csv response
//   inference_batch  the same for N-row payloads
// XGBoost runs with nthread = 1: one worker per container (seeds/001), i.e. one vCPU.
#pragma once

#include <string>
#include <vector>

namespace slsim {

struct CalibrateOptions {
  std::string model;       // XGBoost JSON model file (written with --train)
  std::string payloads;    // CSV with a header: payload rows (and training data for --train)
  std::string label;       // label column; empty = last column
  std::string out;         // calibration YAML to write
  int requests = 5000;     // steady-state repetitions per payload size
  int warmup = 200;        // excluded steady-state iterations
  int loads = 30;          // extraction / load / first-inference repetitions
  int batch_rows = 100;    // rows in the batch payload
  bool train = false;      // train the model from `payloads` first
  int trees = 100;         // trees when training
  std::vector<int> sizes;  // extra model sizes (trees) for the size fit
  bool quiet = false;
};

// Runs the calibration and writes `out` atomically. Throws std::runtime_error on failure.
void calibrate(const CalibrateOptions& options);

int calibrate_command(const CalibrateOptions& options);

}  // namespace slsim
