#include "slsim/calibrator.hpp"

#include <fmt/format.h>
#include <malloc.h>
#include <yaml-cpp/yaml.h>

#include <Eigen/Dense>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "slsim/model_archive.hpp"
#include "slsim/xgboost_model.hpp"

namespace slsim {
namespace {

using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

// Fine quantile grid for calibration files: dense in the tails, every knot a reported figure.
const std::vector<double> kGrid = {
    0,   0.001, 0.005, 0.01, 0.02, 0.05, 0.1, 0.15, 0.2,  0.25, 0.3,  0.35, 0.4,   0.45,  0.5, 0.55,
    0.6, 0.65,  0.7,   0.75, 0.8,  0.85, 0.9, 0.95, 0.96, 0.97, 0.98, 0.99, 0.995, 0.999, 1};

double seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

// Type-7 quantile (linear between order statistics) of sorted samples.
double quantile_sorted(const std::vector<double>& s, double p) {
  const double h = p * static_cast<double>(s.size() - 1);
  const size_t lo = static_cast<size_t>(std::floor(h));
  const size_t hi = std::min(lo + 1, s.size() - 1);
  return s[lo] + (h - static_cast<double>(lo)) * (s[hi] - s[lo]);
}

struct Phase {
  std::vector<double> samples;  // seconds, timer overhead subtracted
  int warmup = 0;
  std::vector<double> sorted() const {
    auto s = samples;
    std::sort(s.begin(), s.end());
    return s;
  }
  double median() const { return quantile_sorted(sorted(), 0.5); }
};

// Median cost of one pair of clock reads: subtracted from every sample.
double timer_overhead() {
  std::vector<double> d(20000);
  for (auto& x : d) {
    const auto a = Clock::now();
    const auto b = Clock::now();
    x = seconds(b - a);
  }
  std::nth_element(d.begin(), d.begin() + d.size() / 2, d.end());
  return d[d.size() / 2];
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path + ": cannot read");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write_atomically(const std::string& path, const std::string& content) {
  if (const auto dir = fs::path(path).parent_path(); !dir.empty()) fs::create_directories(dir);
  const std::string tmp = fmt::format("{}.tmp-{}", path, ::getpid());
  {
    std::ofstream out(tmp, std::ios::binary);
    out << content;
    if (!out.flush()) throw std::runtime_error(path + ": cannot write");
  }
  fs::rename(tmp, path);
}

// Heap bytes in use (glibc: small-block arena plus mmapped blocks).
size_t heap_in_use() {
  const struct mallinfo2 info = ::mallinfo2();
  return info.uordblks + info.hblkhd;
}

// One request as the serving container handles it: text/csv in, text/csv out.
std::string serve(Booster& booster, std::string_view payload, size_t columns,
                  std::vector<float>& scratch) {
  const size_t rows = parse_csv_payload(payload, columns, scratch);
  DMatrix data(scratch.data(), rows, columns);
  const auto [result, n] = booster.predict(data);
  std::string response;
  for (size_t i = 0; i < n; ++i) fmt::format_to(std::back_inserter(response), "{:g}\n", result[i]);
  return response;
}

struct Measurement {
  std::string model_json;
  std::string artifact;
  int trees = 0;
  size_t features = 0;
  double loaded_bytes = 0;  // heap a loaded, once-used booster keeps (measure())
  Phase extraction, load, first, one_row, batch;
};

// Measures extraction, load and first inference `loads` times (after `warm` excluded rounds),
// and steady-state inference for one-row and batch payloads.
Measurement measure(const std::string& model_json, const std::vector<std::string>& one_row,
                    const std::vector<std::string>& batch, int loads, int requests, int warmup,
                    double overhead) {
  Measurement m;
  m.model_json = model_json;
  m.artifact = make_tar_gz("xgboost-model", model_json);  // SageMaker XGBoost's member name
  std::vector<float> scratch;
  const int warm = 2;
  for (Phase* p : {&m.extraction, &m.load, &m.first}) p->warmup = warm;
  for (int i = 0; i < warm + loads; ++i) {
    auto t0 = Clock::now();
    const std::string bytes = extract_first_file(m.artifact);
    auto t1 = Clock::now();
    Booster booster;
    booster.set_param("nthread", "1");
    booster.load_json(bytes);
    auto t2 = Clock::now();
    if (m.features == 0) m.features = booster.features();
    serve(booster, one_row[static_cast<size_t>(i) % one_row.size()], m.features, scratch);
    auto t3 = Clock::now();
    if (i < warm) continue;
    m.extraction.samples.push_back(std::max(0.0, seconds(t1 - t0) - overhead));
    m.load.samples.push_back(std::max(0.0, seconds(t2 - t1) - overhead));
    m.first.samples.push_back(std::max(0.0, seconds(t3 - t2) - overhead));
    if (m.trees == 0) m.trees = booster.trees();
  }
  // The model's loaded size: heap bytes that a booster which has loaded the model and served one
  // request still holds, i.e. in-use heap after minus before (glibc mallinfo2). The JSON text is
  // held throughout, so it is not counted; XGBoost's one-time global set-up happened in the
  // rounds above, so it is not counted either.
  const size_t heap_before = heap_in_use();
  Booster booster;
  booster.set_param("nthread", "1");
  booster.load_json(model_json);
  serve(booster, one_row.front(), m.features, scratch);
  m.loaded_bytes = static_cast<double>(std::max(heap_in_use(), heap_before) - heap_before);
  auto steady = [&](const std::vector<std::string>& payloads, Phase& phase) {
    phase.warmup = warmup;
    for (int i = 0; i < warmup + requests; ++i) {
      const std::string& payload = payloads[static_cast<size_t>(i) % payloads.size()];
      const auto t0 = Clock::now();
      serve(booster, payload, m.features, scratch);
      const auto t1 = Clock::now();
      if (i >= warmup) phase.samples.push_back(std::max(0.0, seconds(t1 - t0) - overhead));
    }
  };
  steady(one_row, m.one_row);
  steady(batch, m.batch);
  return m;
}

struct Fit {
  double intercept = 0, slope = 0, r2 = 0, residual_sd = 0;
  int points = 0;
};

// Least squares y = a + b x (Eigen, column-pivoting QR).
Fit fit_line(const std::vector<double>& x, const std::vector<double>& y) {
  Fit f;
  f.points = static_cast<int>(x.size());
  if (x.size() < 2) return f;
  Eigen::MatrixXd a(x.size(), 2);
  Eigen::VectorXd b(y.size());
  for (size_t i = 0; i < x.size(); ++i) {
    a(static_cast<Eigen::Index>(i), 0) = 1.0;
    a(static_cast<Eigen::Index>(i), 1) = x[i];
    b(static_cast<Eigen::Index>(i)) = y[i];
  }
  const Eigen::Vector2d coef = a.colPivHouseholderQr().solve(b);
  f.intercept = coef(0);
  f.slope = coef(1);
  const Eigen::VectorXd residual = b - a * coef;
  const double ss_res = residual.squaredNorm();
  const double ss_tot = (b.array() - b.mean()).matrix().squaredNorm();
  f.r2 = ss_tot > 0 ? 1.0 - ss_res / ss_tot : 1.0;
  f.residual_sd = x.size() > 2 ? std::sqrt(ss_res / static_cast<double>(x.size() - 2)) : 0.0;
  return f;
}

std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
  return "unknown";
}

std::string g(double v) { return fmt::format("{:.6g}", v); }

void emit_phase(YAML::Emitter& y, const char* name, const Phase& p, const char* what) {
  const auto s = p.sorted();
  double sum = 0, ss = 0;
  for (const double v : s) sum += v;
  const double mean = sum / static_cast<double>(s.size());
  for (const double v : s) ss += (v - mean) * (v - mean);
  y << YAML::Key << name << YAML::Value << YAML::BeginMap;
  y << YAML::Key << "what" << YAML::Value << what;
  y << YAML::Key << "count" << YAML::Value << s.size();
  y << YAML::Key << "warmup_excluded" << YAML::Value << p.warmup;
  y << YAML::Key << "summary_s" << YAML::Value << YAML::Flow << YAML::BeginMap << YAML::Key
    << "mean" << YAML::Value << g(mean) << YAML::Key << "sd" << YAML::Value
    << g(s.size() > 1 ? std::sqrt(ss / static_cast<double>(s.size() - 1)) : 0.0) << YAML::Key
    << "min" << YAML::Value << g(s.front()) << YAML::Key << "p50" << YAML::Value
    << g(quantile_sorted(s, 0.5)) << YAML::Key << "p90" << YAML::Value << g(quantile_sorted(s, 0.9))
    << YAML::Key << "p99" << YAML::Value << g(quantile_sorted(s, 0.99)) << YAML::Key << "max"
    << YAML::Value << g(s.back()) << YAML::EndMap;
  y << YAML::Key << "quantiles_s" << YAML::Value << YAML::BeginMap;
  for (const double q : kGrid) y << YAML::Key << g(q) << YAML::Value << g(quantile_sorted(s, q));
  y << YAML::EndMap << YAML::EndMap;
}

// Power law y = coefficient × trees^exponent, fitted as a line in log-log space: sizes and
// times span decades, and a line in linear space is dominated by the largest model.
void emit_fit(YAML::Emitter& y, const char* name, const std::vector<double>& trees,
              const std::vector<double>& values, const char* unit) {
  std::vector<double> lx, ly;
  for (size_t i = 0; i < trees.size(); ++i) {
    if (values[i] <= 0) continue;
    lx.push_back(std::log(trees[i]));
    ly.push_back(std::log(values[i]));
  }
  const Fit f = fit_line(lx, ly);
  y << YAML::Key << name << YAML::Value << YAML::Flow << YAML::BeginMap << YAML::Key
    << "coefficient" << YAML::Value << g(std::exp(f.intercept)) << YAML::Key << "exponent"
    << YAML::Value << g(f.slope) << YAML::Key << "r2_log" << YAML::Value << g(f.r2) << YAML::Key
    << "residual_sd_log" << YAML::Value << g(f.residual_sd) << YAML::Key << "points" << YAML::Value
    << f.points << YAML::Key << "unit" << YAML::Value << unit << YAML::EndMap;
}

}  // namespace

void calibrate(const CalibrateOptions& o) {
  const Dataset data = read_dataset(o.payloads, o.label);
  if (o.train) {
    if (!o.quiet)
      fmt::print(stderr, "training {} trees on {} rows of {}\n", o.trees, data.rows, o.payloads);
    write_atomically(
        o.model, train_model(data, o.trees, static_cast<int>(std::thread::hardware_concurrency())));
  }
  const std::string model_json = read_file(o.model);
  std::vector<std::string> one_row, batch;
  for (size_t i = 0; i < data.rows; ++i) one_row.push_back(data.payload_row(i));
  for (size_t start = 0;
       start + static_cast<size_t>(o.batch_rows) <= std::max(data.rows, size_t(o.batch_rows));
       start += static_cast<size_t>(o.batch_rows)) {
    std::string payload;
    for (int r = 0; r < o.batch_rows; ++r)
      payload += one_row[(start + static_cast<size_t>(r)) % one_row.size()] + "\n";
    batch.push_back(payload);
    if (start + static_cast<size_t>(o.batch_rows) >= data.rows) break;
  }
  const double overhead = timer_overhead();
  if (!o.quiet)
    fmt::print(stderr, "timer overhead {:.0f} ns; measuring {}\n", overhead * 1e9, o.model);
  const Measurement m =
      measure(model_json, one_row, batch, o.loads, o.requests, o.warmup, overhead);
  if (m.features != data.columns())
    throw std::runtime_error(
        fmt::format("the model takes {} features but {} has {} feature columns", m.features,
                    o.payloads, data.columns()));

  // Model sizes for the fit: the calibrated model plus each --sizes entry (trained here).
  struct SizePoint {
    int trees;
    double model_bytes, artifact_bytes, loaded_bytes, load, extraction, inference;
  };
  std::vector<SizePoint> points = {{m.trees, double(m.model_json.size()), double(m.artifact.size()),
                                    m.loaded_bytes, m.load.median(), m.extraction.median(),
                                    m.one_row.median()}};
  for (const int trees : o.sizes) {
    if (trees == m.trees) continue;
    if (!o.quiet) fmt::print(stderr, "size fit: training and measuring a {}-tree model\n", trees);
    const std::string json =
        train_model(data, trees, static_cast<int>(std::thread::hardware_concurrency()));
    const int loads = std::max(5, std::min(o.loads, 30000 / std::max(trees, 1)));
    const Measurement s =
        measure(json, one_row, batch, loads, std::max(200, o.requests / 10), 20, overhead);
    points.push_back({s.trees, double(json.size()), double(s.artifact.size()), s.loaded_bytes,
                      s.load.median(), s.extraction.median(), s.one_row.median()});
  }
  std::sort(points.begin(), points.end(),
            [](const auto& a, const auto& b) { return a.trees < b.trees; });
  std::vector<double> x, load, artifact, loaded, extraction, inference;
  for (const auto& p : points) {
    x.push_back(p.trees);
    load.push_back(p.load);
    artifact.push_back(p.artifact_bytes);
    loaded.push_back(p.loaded_bytes);
    extraction.push_back(p.extraction);
    inference.push_back(p.inference);
  }

  YAML::Emitter y;
  y << YAML::Comment(
      "slsim calibration: measured serving latencies of a real XGBoost model. Made by `slsim "
      "calibrate`.");
  y << YAML::BeginMap;
  y << YAML::Key << "slsim_calibration" << YAML::Value << 1;
  std::time_t now = std::time(nullptr);
  char date[32];
  std::strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  y << YAML::Key << "created" << YAML::Value << date;
  y << YAML::Key << "machine" << YAML::Value << YAML::BeginMap << YAML::Key << "cpu" << YAML::Value
    << cpu_model() << YAML::Key << "hardware_threads" << YAML::Value
    << std::thread::hardware_concurrency() << YAML::Key << "xgboost" << YAML::Value
    << xgboost_version() << YAML::Key << "xgboost_threads" << YAML::Value << 1 << YAML::EndMap;
  y << YAML::Key << "model" << YAML::Value << YAML::BeginMap << YAML::Key << "path" << YAML::Value
    << o.model << YAML::Key << "format" << YAML::Value << "xgboost-json" << YAML::Key << "trees"
    << YAML::Value << m.trees << YAML::Key << "features" << YAML::Value << m.features << YAML::Key
    << "model_bytes" << YAML::Value << m.model_json.size() << YAML::Key << "artifact" << YAML::Value
    << "model.tar.gz (member xgboost-model, gzip, in memory)" << YAML::Key << "artifact_bytes"
    << YAML::Value << m.artifact.size() << YAML::Key << "loaded_bytes" << YAML::Value
    << m.loaded_bytes << YAML::Key << "loaded_bytes_is" << YAML::Value
    << "heap held by a booster that loaded the model and served one request (glibc mallinfo2)"
    << YAML::EndMap;
  y << YAML::Key << "settings" << YAML::Value << YAML::BeginMap << YAML::Key << "payloads"
    << YAML::Value << o.payloads << YAML::Key << "payload_rows_available" << YAML::Value
    << data.rows << YAML::Key << "requests" << YAML::Value << o.requests << YAML::Key << "loads"
    << YAML::Value << o.loads << YAML::Key << "batch_rows" << YAML::Value << o.batch_rows
    << YAML::EndMap;
  y << YAML::Key << "timer_overhead_s" << YAML::Value << YAML::Flow << YAML::BeginMap << YAML::Key
    << "median" << YAML::Value << g(overhead) << YAML::Key << "subtracted" << YAML::Value << true
    << YAML::EndMap;
  y << YAML::Key << "phases" << YAML::Value << YAML::BeginMap;
  emit_phase(y, "extraction", m.extraction, "model.tar.gz -> model bytes (gunzip + untar)");
  emit_phase(y, "model_load", m.load, "create a booster and load the JSON model");
  emit_phase(y, "first_inference", m.first, "first 1-row request on a freshly loaded booster");
  emit_phase(y, "inference_1_row", m.one_row,
             "steady state, 1-row text/csv: parse, DMatrix, predict, format");
  emit_phase(y, "inference_batch", m.batch, "steady state, batch_rows-row text/csv payload");
  y << YAML::EndMap;
  y << YAML::Key << "size_fit" << YAML::Value << YAML::BeginMap;
  y << YAML::Key << "sizes" << YAML::Value << YAML::BeginSeq;
  for (const auto& p : points)
    y << YAML::Flow << YAML::BeginMap << YAML::Key << "trees" << YAML::Value << p.trees << YAML::Key
      << "model_bytes" << YAML::Value << p.model_bytes << YAML::Key << "artifact_bytes"
      << YAML::Value << p.artifact_bytes << YAML::Key << "loaded_bytes" << YAML::Value
      << p.loaded_bytes << YAML::Key << "model_load_p50_s" << YAML::Value << g(p.load) << YAML::Key
      << "extraction_p50_s" << YAML::Value << g(p.extraction) << YAML::Key
      << "inference_1_row_p50_s" << YAML::Value << g(p.inference) << YAML::EndMap;
  y << YAML::EndSeq;
  y << YAML::Key << "form" << YAML::Value
    << "value = coefficient * trees^exponent (least squares in log-log)";
  emit_fit(y, "model_load_s", x, load, "s");
  emit_fit(y, "artifact_bytes", x, artifact, "bytes");
  emit_fit(y, "loaded_bytes", x, loaded, "bytes");
  emit_fit(y, "extraction_s", x, extraction, "s");
  emit_fit(y, "inference_1_row_s", x, inference, "s");
  y << YAML::EndMap << YAML::EndMap;
  if (!y.good()) throw std::runtime_error(std::string("YAML emitter: ") + y.GetLastError());
  write_atomically(o.out, std::string(y.c_str()) + "\n");

  if (!o.quiet) {
    fmt::print("calibration of {} ({} trees, {} features, artifact {} bytes) on {}\n", o.model,
               m.trees, m.features, m.artifact.size(), cpu_model());
    fmt::print("{:<18} {:>8} {:>12} {:>12}\n", "phase", "count", "median", "p99");
    const std::pair<const char*, const Phase*> phases[] = {{"extraction", &m.extraction},
                                                           {"model_load", &m.load},
                                                           {"first_inference", &m.first},
                                                           {"inference_1_row", &m.one_row},
                                                           {"inference_batch", &m.batch}};
    for (const auto& [name, p] : phases) {
      const auto s = p->sorted();
      fmt::print("{:<18} {:>8} {:>10.1f}us {:>10.1f}us\n", name, s.size(),
                 quantile_sorted(s, 0.5) * 1e6, quantile_sorted(s, 0.99) * 1e6);
    }
    if (points.size() > 1) {
      std::vector<double> lx, ly;
      for (size_t i = 0; i < x.size(); ++i) {
        lx.push_back(std::log(x[i]));
        ly.push_back(std::log(load[i]));
      }
      const Fit f = fit_line(lx, ly);
      fmt::print("model load = {:.3g} s × trees^{:.3f} (R² {:.4f} in log-log, {} sizes)\n",
                 std::exp(f.intercept), f.slope, f.r2, f.points);
    }
    fmt::print("wrote {}\n", o.out);
  }
}

int calibrate_command(const CalibrateOptions& options) {
  try {
    calibrate(options);
    return 0;
  } catch (const std::exception& e) {
    fmt::print(stderr, "slsim calibrate: {}\n", e.what());
    return 1;
  }
}

}  // namespace slsim
