// The distribution forms of a scenario (distribution.hpp) read from YAML: part of YamlReader.
#include <fmt/format.h>

#include <filesystem>

#include "slsim/csv.hpp"
#include "slsim/limits.hpp"
#include "slsim/yaml_reader.hpp"

namespace slsim {
namespace {

std::string kinds_list() {
  return "constant (e.g. 250ms), uniform, exponential, normal, lognormal, gamma, weibull, "
         "empirical, transfer";
}

}  // namespace

std::optional<Distribution> YamlReader::distribution(const YAML::Node& map, const char* key,
                                                     UnitKind unit, bool required) {
  const YAML::Node n = map[key];
  if (!n) {
    if (required) error(map, fmt::format("missing required key '{}' (a distribution)", key));
    return std::nullopt;
  }
  return distribution_node(n, fmt::format("'{}'", key), unit);
}

std::optional<Distribution> YamlReader::distribution_node(const YAML::Node& node,
                                                          const std::string& what, UnitKind unit) {
  auto d = distribution_form(node, what, unit);
  if (!d) return std::nullopt;
  if (const std::string problem = distribution_limit_problem(*d, unit); !problem.empty()) {
    error(node, fmt::format("{}: {}", what, problem));
    return std::nullopt;
  }
  return d;
}

std::optional<Distribution> YamlReader::distribution_form(const YAML::Node& node,
                                                          const std::string& what, UnitKind unit) {
  if (node.IsScalar()) {
    const auto v = scalar_quantity(node, what, unit);
    if (!v) return std::nullopt;
    return Distribution::constant(*v);
  }
  if (!node.IsMap() || node.size() != 1) {
    error(node, fmt::format("{} must be a value such as {} or a one-key mapping naming a "
                            "distribution: {}",
                            what, unit == UnitKind::kSize ? "2KB" : "250ms", kinds_list()));
    return std::nullopt;
  }
  const auto item = *node.begin();
  const std::string kind = item.first.Scalar();
  const YAML::Node p = item.second;
  const std::string where = fmt::format("{} ({})", what, kind);
  auto num = [&](const char* key, UnitKind k) { return quantity(p, key, k, true); };
  auto positive = [&](const char* key, double v) {
    if (v > 0.0) return true;
    error(p[key], fmt::format("{}: '{}' must be greater than 0", where, key));
    return false;
  };
  if (kind == "constant") {
    return distribution_form(p, what, unit);
  } else if (kind == "uniform") {
    if (!p.IsSequence() || p.size() != 2) {
      error(p, fmt::format("{} takes a list of two values [low, high]", where));
      return std::nullopt;
    }
    const auto lo = scalar_quantity(p[0], where + " low", unit);
    const auto hi = scalar_quantity(p[1], where + " high", unit);
    if (!lo || !hi) return std::nullopt;
    if (*lo > *hi) {
      error(p, fmt::format("{}: low must not exceed high", where));
      return std::nullopt;
    }
    return Distribution::uniform(*lo, *hi);
  } else if (kind == "exponential") {
    if (!expect_map(p, where)) return std::nullopt;
    check_keys(p, where, {"mean"});
    const auto m = num("mean", unit);
    if (!m || !positive("mean", *m)) return std::nullopt;
    return Distribution::exponential(*m);
  } else if (kind == "normal") {
    if (!expect_map(p, where)) return std::nullopt;
    check_keys(p, where, {"mean", "sd"});
    const auto m = num("mean", unit), s = num("sd", unit);
    if (!m || !s) return std::nullopt;
    return Distribution::normal(*m, *s);
  } else if (kind == "lognormal") {
    if (!expect_map(p, where)) return std::nullopt;
    check_keys(p, where, {"median", "p99", "mean", "sd"});
    if (p["median"] || p["p99"]) {
      const auto med = num("median", unit), p99 = num("p99", unit);
      if (!med || !p99 || !positive("median", *med)) return std::nullopt;
      if (*p99 < *med) {
        error(p["p99"], fmt::format("{}: p99 must be at least the median", where));
        return std::nullopt;
      }
      return Distribution::lognormal_median_p99(*med, *p99);
    }
    const auto m = num("mean", unit), s = num("sd", unit);
    if (!m || !s || !positive("mean", *m)) return std::nullopt;
    return Distribution::lognormal_mean_sd(*m, *s);
  } else if (kind == "gamma" || kind == "weibull") {
    if (!expect_map(p, where)) return std::nullopt;
    if (kind == "gamma" && p["mean"]) {
      check_keys(p, where, {"mean", "sd"});
      const auto m = num("mean", unit), s = num("sd", unit);
      if (!m || !s || !positive("mean", *m) || !positive("sd", *s)) return std::nullopt;
      return Distribution::gamma((*m * *m) / (*s * *s), (*s * *s) / *m);
    }
    check_keys(p, where,
               kind == "gamma" ? std::initializer_list<const char*>{"shape", "scale", "mean", "sd"}
                               : std::initializer_list<const char*>{"shape", "scale"});
    const auto shape = num("shape", UnitKind::kPlain), scale = num("scale", unit);
    if (!shape || !scale || !positive("shape", *shape) || !positive("scale", *scale))
      return std::nullopt;
    return kind == "gamma" ? Distribution::gamma(*shape, *scale)
                           : Distribution::weibull(*shape, *scale);
  } else if (kind == "empirical") {
    return empirical(p, where, unit);
  } else if (kind == "transfer") {
    if (unit != UnitKind::kDuration) {
      error(item.first, fmt::format("{}: a transfer is a duration, not a size", where));
      return std::nullopt;
    }
    if (!expect_map(p, where)) return std::nullopt;
    check_keys(p, where, {"size", "bandwidth", "first_byte"});
    const auto size = num("size", UnitKind::kSize), bw = num("bandwidth", UnitKind::kBandwidth);
    const auto first = quantity(p, "first_byte", UnitKind::kDuration);
    if (!size || !bw || !positive("bandwidth", *bw)) return std::nullopt;
    return Distribution::transfer(*size, *bw, first.value_or(0.0));
  }
  const std::string guess =
      did_you_mean(kind, {"constant", "uniform", "exponential", "normal", "lognormal", "gamma",
                          "weibull", "empirical", "transfer"});
  error(item.first, fmt::format("{}: unknown distribution '{}'{}; known: {}", what, kind,
                                guess.empty() ? "" : fmt::format(" (did you mean '{}'?)", guess),
                                kinds_list()));
  return std::nullopt;
}

std::optional<Distribution> YamlReader::quantile_table(const YAML::Node& node,
                                                       const std::string& where,
                                                       std::vector<double> probabilities,
                                                       std::vector<double> values) {
  for (size_t i = 0; i < probabilities.size(); ++i) {
    if (probabilities[i] > 1.0 ||
        (i > 0 && (probabilities[i] <= probabilities[i - 1] || values[i] < values[i - 1]))) {
      error(node, fmt::format("{}: probabilities must increase within [0, 1] and values must not "
                              "decrease",
                              where));
      return std::nullopt;
    }
  }
  if (probabilities.size() < 2) {
    error(node, fmt::format("{}: a quantile table needs at least two points", where));
    return std::nullopt;
  }
  return Distribution::empirical_quantiles(std::move(probabilities), std::move(values));
}

std::optional<Distribution> YamlReader::empirical(const YAML::Node& p, const std::string& where,
                                                  UnitKind unit) {
  if (!expect_map(p, where)) return std::nullopt;
  check_keys(p, where, {"samples", "quantiles", "file", "column", "probability_column", "unit"});
  if (const YAML::Node s = p["samples"]) {
    if (!s.IsSequence() || s.size() == 0) {
      error(s, fmt::format("{}: samples must be a non-empty list", where));
      return std::nullopt;
    }
    std::vector<double> values;
    for (const auto& v : s) {
      const auto q = scalar_quantity(v, where + " sample", unit);
      if (!q) return std::nullopt;
      values.push_back(*q);
    }
    return Distribution::empirical_samples(std::move(values));
  }
  if (const YAML::Node t = p["quantiles"]) {
    if (!t.IsMap() || t.size() < 2) {
      error(t, fmt::format("{}: quantiles must map at least two probabilities to values, e.g. "
                           "{{0.5: 2ms, 0.99: 8ms}}",
                           where));
      return std::nullopt;
    }
    std::vector<double> ps, vs;
    for (const auto& item : t) {
      const auto prob = scalar_quantity(item.first, where + " probability", UnitKind::kPlain);
      const auto v = scalar_quantity(item.second, where + " value", unit);
      if (!prob || !v) return std::nullopt;
      ps.push_back(*prob);
      vs.push_back(*v);
    }
    return quantile_table(t, where, std::move(ps), std::move(vs));
  }
  if (const YAML::Node f = p["file"]) {
    // Samples from `column`, or a quantile table when `probability_column` names the
    // probabilities and `column` the values.
    const auto column = string(p, "column", true);
    const auto unit_name = string(p, "unit", true);
    const auto probability_column = string(p, "probability_column");
    if (!column || !unit_name) return std::nullopt;
    const Quantity factor = parse_quantity("1" + *unit_name, unit);
    if (!factor.ok()) {
      error(p["unit"], fmt::format("{}: {}", where, factor.error));
      return std::nullopt;
    }
    if (!f.IsScalar()) {
      error(f, fmt::format("{}: 'file' must be a path to a CSV file", where));
      return std::nullopt;
    }
    const std::filesystem::path path = resolve_path(f);
    std::vector<std::string> names = {*column};
    if (probability_column) names.push_back(*probability_column);
    std::vector<std::vector<double>> columns;
    const std::string problem = read_csv_columns(path.string(), names, columns);
    if (!problem.empty()) {
      error(f, fmt::format("{}: {}", where, problem));
      return std::nullopt;
    }
    for (double& v : columns[0]) v *= factor.value;
    if (probability_column)
      return quantile_table(p, where, std::move(columns[1]), std::move(columns[0]));
    return Distribution::empirical_samples(std::move(columns[0]));
  }
  error(p, fmt::format("{} needs one of: samples, quantiles, file", where));
  return std::nullopt;
}

}  // namespace slsim
