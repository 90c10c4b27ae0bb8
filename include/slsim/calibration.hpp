// A calibration file (written by `slsim calibrate`, calibrator.hpp): latencies a real model
// showed on a real machine, per serving phase, as fine quantile tables, plus linear fits of load
// time, artifact size, extraction and inference against model size (trees). A scenario's model
// says `calibration: FILE` and the simulator samples these instead of typed-in numbers.
#pragma once

#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "slsim/distribution.hpp"
#include "slsim/endpoint.hpp"

namespace slsim {

class YamlReader;

// Phase names in calibration files.
inline constexpr const char* kCalExtraction = "extraction";
inline constexpr const char* kCalModelLoad = "model_load";
inline constexpr const char* kCalFirstInference = "first_inference";
inline constexpr const char* kCalInferenceOneRow = "inference_1_row";
inline constexpr const char* kCalInferenceBatch = "inference_batch";

struct PhaseSamples {
  int64_t count = 0;
  std::vector<double> probabilities;  // increasing in [0, 1]
  std::vector<double> seconds;        // quantile at each probability
  double median() const;
  Distribution distribution() const;  // inverse-CDF, linear between quantiles
};

// y = coefficient × trees^exponent, fitted by least squares in log-log space.
struct PowerFit {
  double coefficient = 0.0;
  double exponent = 0.0;
  double r2_log = 0.0;
  double residual_sd_log = 0.0;  // of log y: sqrt(SS_res / (n − 2))
  int points = 0;
  double at(double trees) const { return coefficient * std::pow(trees, exponent); }
};

struct Calibration {
  std::string path;
  std::string machine;                  // CPU model, as recorded
  int64_t trees = 0;                    // of the calibrated model
  double artifact_bytes = 0;            // its model.tar.gz
  double loaded_bytes = 0;              // its loaded size in memory; 0 = not recorded (older files)
  std::vector<int64_t> measured_trees;  // model sizes the size fit was measured at, ascending
  int batch_rows = 0;                   // rows in the batch-payload measurement
  std::map<std::string, PhaseSamples> phases;
  std::map<std::string, PowerFit>
      fits;  // keys: model_load_s, artifact_bytes, loaded_bytes, extraction_s, inference_1_row_s
};

// Reads and checks a calibration file; problems go to `reader` (which names the file).
std::optional<Calibration> read_calibration(YamlReader& reader);

// Replaces `model`'s extraction, load, inference, first-inference extra and artifact size by the
// calibration's. `trees` (0 = the calibrated model's) selects a model size: then load time is
// lognormal with median fit(trees) and the fit's residual spread (sigma = residual sd of log
// load time), and artifact size, extraction and inference are the measured ones scaled by
// fit(trees) / fit(calibrated trees). The loaded size (ModelConfig::loaded_size_bytes) is the
// recorded one, at another size the `loaded_bytes` fit, or without that fit the recorded one
// scaled linearly in trees (XGBoost holds every tree's nodes). `batch` selects the
// batch-payload inference distribution instead of the one-row one.
// Returns an error message, or "" on success.
std::string apply_calibration(const Calibration& c, int64_t trees, bool batch, ModelConfig& model);

}  // namespace slsim
