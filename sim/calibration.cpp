#include "slsim/calibration.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <tuple>

#include "slsim/limits.hpp"
#include "slsim/yaml_document.hpp"
#include "slsim/yaml_reader.hpp"

namespace slsim {
namespace {

// A finite number in [low, high] (signed, unlike parse_quantity's), or an error at the node.
std::optional<double> fit_number(YamlReader& r, const YAML::Node& f, const char* key, double low,
                                 double high, const std::string& where) {
  const YAML::Node n = f[key];
  double v = 0.0;
  const std::string text = n && n.IsScalar() ? n.Scalar() : "";
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (!n || text.empty() || ec != std::errc() || ptr != text.data() + text.size() ||
      !std::isfinite(v) || v < low || v > high) {
    r.error(n ? n : f,
            fmt::format("{}: '{}' must be a number from {:g} to {:g}", where, key, low, high));
    return std::nullopt;
  }
  return v;
}

// One power law of `size_fit`; the ranges keep coefficient × trees^exponent finite and positive
// for every allowed tree count (1 to 1e7).
std::optional<PowerFit> read_fit(YamlReader& r, const YAML::Node& f, const char* name) {
  const std::string where = fmt::format("size_fit '{}'", name);
  if (!r.expect_map(f, where)) return std::nullopt;
  const auto coefficient = fit_number(r, f, "coefficient", 1e-100, 1e100, where);
  const auto exponent = fit_number(r, f, "exponent", -10, 10, where);
  const auto r2 = fit_number(r, f, "r2_log", -1e6, 1, where);
  const auto spread = fit_number(r, f, "residual_sd_log", 0, 10, where);
  const auto points = r.integer(f, "points", 0, 1000000, true);
  if (!coefficient || !exponent || !r2 || !spread || !points || *coefficient <= 0) {
    if (coefficient && *coefficient <= 0)
      r.error(f["coefficient"], where + ": 'coefficient' must be greater than 0");
    return std::nullopt;
  }
  PowerFit fit;
  fit.coefficient = *coefficient;
  fit.exponent = *exponent;
  fit.r2_log = *r2;
  fit.residual_sd_log = *spread;
  fit.points = static_cast<int>(*points);
  return fit;
}

std::optional<Calibration> read_calibration_file(YamlReader& r);

}  // namespace

double PhaseSamples::median() const { return distribution().quantile(0.5); }

Distribution PhaseSamples::distribution() const {
  return Distribution::empirical_quantiles(probabilities, seconds);
}

std::optional<Calibration> read_calibration(YamlReader& r) {
  try {
    return read_calibration_file(r);
  } catch (const YAML::Exception& e) {  // a safety net: the readers check types first
    r.error_at(e.mark, e.msg);
    return std::nullopt;
  }
}

namespace {

std::optional<Calibration> read_calibration_file(YamlReader& r) {
  YAML::Node root;
  if (!load_yaml_file(r, "calibration file", root)) return std::nullopt;
  if (!r.expect_map(root, "a calibration file")) return std::nullopt;
  if (!root["slsim_calibration"]) {
    r.error(root,
            "not an slsim calibration file (no 'slsim_calibration' key); make one with `slsim "
            "calibrate`");
    return std::nullopt;
  }
  Calibration c;
  c.path = r.file();
  if (const YAML::Node m = root["machine"]; m && m.IsMap())
    c.machine = r.string(m, "cpu").value_or("");
  const YAML::Node model = root["model"];
  if (!r.expect_map(model, "'model'")) return std::nullopt;
  c.trees = r.integer(model, "trees", 1, 10000000, true).value_or(0);
  c.artifact_bytes = r.quantity(model, "artifact_bytes", UnitKind::kPlain, true).value_or(0);
  c.loaded_bytes = r.quantity(model, "loaded_bytes", UnitKind::kPlain).value_or(0);
  const YAML::Node settings = root["settings"];
  if (r.expect_map(settings, "'settings'"))
    c.batch_rows =
        static_cast<int>(r.integer(settings, "batch_rows", 1, 1000000, true).value_or(1));
  const YAML::Node phases = root["phases"];
  if (!r.expect_map(phases, "'phases'")) return std::nullopt;
  for (const char* name : {kCalExtraction, kCalModelLoad, kCalFirstInference, kCalInferenceOneRow,
                           kCalInferenceBatch}) {
    const YAML::Node p = phases[name];
    if (!p || !p.IsMap()) {
      r.error(phases, fmt::format("missing phase '{}'", name));
      continue;
    }
    PhaseSamples s;
    s.count = r.integer(p, "count", 1, INT64_MAX, true).value_or(0);
    const YAML::Node q = p["quantiles_s"];
    if (!q || !q.IsMap() || q.size() < 2) {
      r.error(q ? q : p,
              fmt::format("phase '{}' needs 'quantiles_s', a map of probability to seconds", name));
      continue;
    }
    for (const auto& item : q) {
      const Quantity prob = parse_quantity(item.first.Scalar(), UnitKind::kPlain);
      const Quantity v = item.second.IsScalar()
                             ? parse_quantity(item.second.Scalar() + "s", UnitKind::kDuration)
                             : Quantity{0.0, "not a value"};
      if (!prob.ok() || !v.ok() || prob.value > 1.0 ||
          (!s.probabilities.empty() &&
           (prob.value <= s.probabilities.back() || v.value < s.seconds.back()))) {
        r.error(item.first,
                fmt::format("phase '{}': quantiles must have increasing probabilities in "
                            "[0, 1] and non-decreasing, non-negative seconds{}",
                            name, v.ok() ? "" : " (" + v.error + ")"));
        break;
      }
      s.probabilities.push_back(prob.value);
      s.seconds.push_back(v.value);
    }
    c.phases[name] = std::move(s);
  }
  if (const YAML::Node fits = root["size_fit"]) {
    if (r.expect_map(fits, "'size_fit'")) {
      if (const YAML::Node sizes = fits["sizes"]; sizes && sizes.IsSequence())
        for (const auto& size : sizes)
          if (const auto trees = r.integer(size, "trees", 1, 10000000, true))
            c.measured_trees.push_back(*trees);
      std::sort(c.measured_trees.begin(), c.measured_trees.end());
      for (const char* name :
           {"model_load_s", "artifact_bytes", "loaded_bytes", "extraction_s", "inference_1_row_s"})
        if (const YAML::Node f = fits[name]) {
          if (const auto fit = read_fit(r, f, name)) c.fits[name] = *fit;
        }
    }
  }
  if (!r.ok()) return std::nullopt;
  return c;
}

}  // namespace

std::string apply_calibration(const Calibration& c, int64_t trees, bool batch, ModelConfig& model) {
  const auto phase = [&](const char* name) -> const PhaseSamples& { return c.phases.at(name); };
  Distribution inference = phase(batch ? kCalInferenceBatch : kCalInferenceOneRow).distribution();
  Distribution extraction = phase(kCalExtraction).distribution();
  Distribution load = phase(kCalModelLoad).distribution();
  double artifact = c.artifact_bytes;
  double loaded = c.loaded_bytes;
  // First inference = steady inference + this extra (lazy initialisation, cold caches).
  const PhaseSamples& first = phase(kCalFirstInference);
  const double steady = phase(kCalInferenceOneRow).median();
  std::vector<double> extra(first.seconds.size());
  for (size_t i = 0; i < extra.size(); ++i) extra[i] = std::max(0.0, first.seconds[i] - steady);
  Distribution first_extra = Distribution::empirical_quantiles(first.probabilities, extra);

  if (trees > 0 && trees != c.trees) {
    const auto fit = [&](const char* name) -> const PowerFit* {
      const auto it = c.fits.find(name);
      return it == c.fits.end() || it->second.points < 2 ? nullptr : &it->second;
    };
    const PowerFit* load_fit = fit("model_load_s");
    if (!load_fit)
      return fmt::format(
          "calibration {} has no size fit, so it cannot predict a model of {} trees "
          "(calibrate with --sizes, or omit 'trees')",
          c.path, trees);
    // Scales a measured distribution by the fitted ratio between sizes.
    auto scaled = [&](const char* fit_name, const Distribution& d) {
      const PowerFit* f = fit(fit_name);
      if (!f || f->at(static_cast<double>(c.trees)) <= 0) return d;
      const double ratio =
          std::max(0.0, f->at(static_cast<double>(trees))) / f->at(static_cast<double>(c.trees));
      std::vector<double> ps, vs;
      for (int i = 0; i <= 100; ++i) {
        const double p = i / 100.0;
        ps.push_back(p);
        vs.push_back(d.quantile(p) * ratio);
      }
      for (const double p : {0.995, 0.999}) {  // keep the tail finely resolved
        ps.insert(ps.end() - 1, p);
        vs.insert(vs.end() - 1, d.quantile(p) * ratio);
      }
      return Distribution::empirical_quantiles(ps, vs);
    };
    inference = scaled("inference_1_row_s", inference);
    extraction = scaled("extraction_s", extraction);
    if (const PowerFit* a = fit("artifact_bytes")) artifact = a->at(static_cast<double>(trees));
    if (const PowerFit* l = fit("loaded_bytes"))
      loaded = l->at(static_cast<double>(trees));
    else if (c.trees > 0)
      loaded = c.loaded_bytes * static_cast<double>(trees) / static_cast<double>(c.trees);
    // Median = the fit; spread = the fit's residual spread, multiplicative (sigma of log y).
    const double median = load_fit->at(static_cast<double>(trees));
    for (const auto& [what, value, kind] :
         {std::tuple{"model load time", median, UnitKind::kDuration},
          std::tuple{"artifact size", artifact, UnitKind::kSize}}) {
      const std::string problem = limit_problem(value, kind);
      if (!(value > 0.0) || !problem.empty())
        return fmt::format(
            "calibration {}: its size fit predicts a {} of {:.4g} for {} trees{}{} "
            "(use fewer trees, or calibrate with sizes closer to it)",
            c.path, what, value, trees, problem.empty() ? "" : ": ", problem);
    }
    load = Distribution::lognormal_median_p99(
        median, median * std::exp(2.326348 * load_fit->residual_sd_log));
  }
  model.inference = inference;
  model.extraction = extraction;
  model.load = load;
  model.first_inference_extra = first_extra;
  model.artifact_size_bytes = artifact;
  model.loaded_size_bytes = loaded;
  model.loaded_size_source = loaded <= 0 ? ""
                             : trees > 0 && trees != c.trees
                                 ? fmt::format("fitted by {} for {} trees", c.path, trees)
                                 : fmt::format("measured by {}", c.path);
  return "";
}

}  // namespace slsim
