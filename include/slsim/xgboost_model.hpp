// Thin RAII wrappers over XGBoost's C API (Debian libxgboost-dev 1.7), for training and for
// serving requests the way SageMaker's XGBoost container does: text/csv payload -> DMatrix ->
// predict -> text/csv response. Errors throw XgboostError with XGBoost's own message.
#pragma once

#include <xgboost/c_api.h>

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace slsim {

struct XgboostError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class DMatrix {
 public:
  // Row-major dense floats; NaN = missing.
  DMatrix(const float* data, size_t rows, size_t columns);
  ~DMatrix();
  DMatrix(const DMatrix&) = delete;
  DMatrix& operator=(const DMatrix&) = delete;
  void set_labels(const std::vector<float>& labels);
  DMatrixHandle handle() const { return handle_; }

 private:
  DMatrixHandle handle_ = nullptr;
};

class Booster {
 public:
  Booster();                               // empty, to load a model into
  explicit Booster(const DMatrix& train);  // for training on `train`
  ~Booster();
  Booster(const Booster&) = delete;
  Booster& operator=(const Booster&) = delete;

  void set_param(const char* name, const std::string& value);
  void update(int iteration, const DMatrix& train);
  void load_json(std::string_view model);
  std::string save_json() const;
  int trees() const;  // boosted rounds
  size_t features() const;
  // Predictions for every row of `data`; valid until the next call on this booster.
  std::pair<const float*, size_t> predict(const DMatrix& data);

 private:
  BoosterHandle handle_ = nullptr;
};

std::string xgboost_version();

// A table of numeric features and a label, read from a CSV file with a header. Text columns
// (abalone's Sex: M/F/I) are coded 0, 1, 2, ... in order of first appearance.
struct Dataset {
  std::vector<std::string> feature_names;
  std::vector<float> features;  // row-major
  std::vector<float> labels;
  size_t rows = 0;
  size_t columns() const { return feature_names.size(); }
  // Row `i`'s features as a text/csv payload line, e.g. "0,0.455,0.365,...".
  std::string payload_row(size_t i) const;
};

// `label` empty = the last column. Throws XgboostError on a malformed file.
Dataset read_dataset(const std::string& path, const std::string& label);

// Regression on the label (reg:squarederror, depth 4, eta 0.1, hist, seed 0): the seeds'
// abalone example. Returns the model as XGBoost JSON.
std::string train_model(const Dataset& data, int trees, int threads);

// Parses a text/csv payload (rows separated by '\n') into row-major floats; returns the rows.
size_t parse_csv_payload(std::string_view text, size_t columns, std::vector<float>& out);

}  // namespace slsim
