#include "slsim/xgboost_model.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include "slsim/csv.hpp"

namespace slsim {
namespace {

void check(int rc) {
  if (rc != 0) throw XgboostError(std::string("XGBoost: ") + XGBGetLastError());
}

}  // namespace

DMatrix::DMatrix(const float* data, size_t rows, size_t columns) {
  check(XGDMatrixCreateFromMat(data, rows, columns, NAN, &handle_));
}
DMatrix::~DMatrix() { XGDMatrixFree(handle_); }
void DMatrix::set_labels(const std::vector<float>& labels) {
  check(XGDMatrixSetFloatInfo(handle_, "label", labels.data(), labels.size()));
}

Booster::Booster() { check(XGBoosterCreate(nullptr, 0, &handle_)); }
Booster::Booster(const DMatrix& train) {
  DMatrixHandle m = train.handle();
  check(XGBoosterCreate(&m, 1, &handle_));
}
Booster::~Booster() { XGBoosterFree(handle_); }

void Booster::set_param(const char* name, const std::string& value) {
  check(XGBoosterSetParam(handle_, name, value.c_str()));
}
void Booster::update(int iteration, const DMatrix& train) {
  check(XGBoosterUpdateOneIter(handle_, iteration, train.handle()));
}
void Booster::load_json(std::string_view model) {
  check(XGBoosterLoadModelFromBuffer(handle_, model.data(), model.size()));
}
std::string Booster::save_json() const {
  bst_ulong length = 0;
  const char* data = nullptr;
  check(XGBoosterSaveModelToBuffer(handle_, "{\"format\": \"json\"}", &length, &data));
  return std::string(data, length);
}
int Booster::trees() const {
  int rounds = 0;
  check(XGBoosterBoostedRounds(handle_, &rounds));
  return rounds;
}
size_t Booster::features() const {
  bst_ulong n = 0;
  check(XGBoosterGetNumFeature(handle_, &n));
  return n;
}
std::pair<const float*, size_t> Booster::predict(const DMatrix& data) {
  bst_ulong length = 0;
  const float* result = nullptr;
  check(XGBoosterPredict(handle_, data.handle(), 0, 0, 0, &length, &result));
  return {result, length};
}

std::string xgboost_version() {
  int major = 0, minor = 0, patch = 0;
  XGBoostVersion(&major, &minor, &patch);
  return fmt::format("{}.{}.{}", major, minor, patch);
}

std::string Dataset::payload_row(size_t i) const {
  std::string out;
  for (size_t c = 0; c < columns(); ++c)
    fmt::format_to(std::back_inserter(out), "{}{:g}", c ? "," : "", features[i * columns() + c]);
  return out;
}

Dataset read_dataset(const std::string& path, const std::string& label) {
  std::ifstream in(path);
  if (!in) throw XgboostError(fmt::format("{}: cannot read the data set", path));
  std::string line;
  if (!std::getline(in, line)) throw XgboostError(fmt::format("{}: empty file", path));
  const auto header = split_csv_line(line);
  size_t label_index = header.size() - 1;
  if (!label.empty()) {
    const auto it = std::find(header.begin(), header.end(), label);
    if (it == header.end()) throw XgboostError(fmt::format("{}: no column '{}'", path, label));
    label_index = static_cast<size_t>(it - header.begin());
  }
  Dataset d;
  for (size_t c = 0; c < header.size(); ++c)
    if (c != label_index) d.feature_names.push_back(header[c]);
  std::vector<std::map<std::string, float>> codes(header.size());
  size_t line_number = 1;
  while (std::getline(in, line)) {
    ++line_number;
    if (line.empty()) continue;
    const auto cells = split_csv_line(line);
    if (cells.size() != header.size())
      throw XgboostError(fmt::format("{}:{}: {} cells, header has {}", path, line_number,
                                     cells.size(), header.size()));
    for (size_t c = 0; c < cells.size(); ++c) {
      float v = 0;
      const auto [ptr, ec] = std::from_chars(cells[c].data(), cells[c].data() + cells[c].size(), v);
      if (ec != std::errc() || ptr != cells[c].data() + cells[c].size()) {
        if (c == label_index)
          throw XgboostError(
              fmt::format("{}:{}: label '{}' is not a number", path, line_number, cells[c]));
        auto& code = codes[c];
        v = code.emplace(cells[c], static_cast<float>(code.size())).first->second;
      }
      (c == label_index ? d.labels : d.features).push_back(v);
    }
    ++d.rows;
  }
  if (d.rows == 0) throw XgboostError(fmt::format("{}: no data rows", path));
  return d;
}

std::string train_model(const Dataset& data, int trees, int threads) {
  DMatrix train(data.features.data(), data.rows, data.columns());
  train.set_labels(data.labels);
  Booster booster(train);
  booster.set_param("objective", "reg:squarederror");
  booster.set_param("max_depth", "4");
  booster.set_param("eta", "0.1");
  booster.set_param("tree_method", "hist");
  booster.set_param("seed", "0");
  booster.set_param("nthread", std::to_string(threads));
  for (int i = 0; i < trees; ++i) booster.update(i, train);
  return booster.save_json();
}

size_t parse_csv_payload(std::string_view text, size_t columns, std::vector<float>& out) {
  out.clear();
  const char* p = text.data();
  const char* end = p + text.size();
  size_t rows = 0;
  while (p < end) {
    for (size_t c = 0; c < columns; ++c) {
      float v = NAN;
      const auto r = std::from_chars(p, end, v);
      if (r.ec != std::errc()) throw XgboostError("payload is not numeric CSV");
      out.push_back(v);
      p = r.ptr;
      if (p < end && *p == ',') ++p;
    }
    while (p < end && (*p == '\n' || *p == '\r')) ++p;
    ++rows;
  }
  return rows;
}

}  // namespace slsim
