#include "slsim/yaml_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "slsim/csv.hpp"

namespace slsim {
namespace {

size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1] ? 1u : 0u)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string kinds_list() {
  return "constant (e.g. 250ms), uniform, exponential, normal, lognormal, gamma, weibull, "
         "empirical, transfer";
}

}  // namespace

std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates) {
  std::string best;
  size_t best_distance = std::max<size_t>(2, word.size() / 3) + 1;
  for (const auto& c : candidates) {
    const size_t d = edit_distance(word, c);
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  return best;
}

std::string YamlReader::located(const YAML::Mark& mark, const std::string& message) const {
  if (mark.is_null() || mark.line < 0)
    return fmt::format("{}: (command line --set): {}", file_, message);
  return fmt::format("{}:{}:{}: {}", file_, mark.line + 1, mark.column + 1, message);
}

void YamlReader::error_at(const YAML::Mark& mark, const std::string& message) {
  errors_.push_back(located(mark, message));
}

void YamlReader::warning(const YAML::Node& node, const std::string& message) {
  warnings_.push_back(located(node.Mark(), "warning: " + message));
}

void YamlReader::error(const YAML::Node& node, const std::string& message) {
  error_at(node.Mark(), message);
}

std::string YamlReader::base_dir() const {
  return std::filesystem::path(file_).parent_path().string();
}

std::string YamlReader::resolve_path(YAML::Node node) {
  std::filesystem::path path = node.as<std::string>();
  if (path.is_relative()) {
    std::error_code ec;
    const std::filesystem::path absolute =
        std::filesystem::absolute(std::filesystem::path(base_dir()) / path, ec);
    path = (ec ? std::filesystem::path(base_dir()) / path : absolute).lexically_normal();
  }
  node = path.string();
  return path.string();
}

bool YamlReader::expect_map(const YAML::Node& node, const std::string& what) {
  if (node.IsMap()) return true;
  error(node, fmt::format("{} must be a mapping of keys to values", what));
  return false;
}

void YamlReader::check_keys(const YAML::Node& node, const std::string& where,
                            std::initializer_list<const char*> known) {
  if (!node.IsMap()) return;
  std::vector<std::string> names(known.begin(), known.end());
  for (const auto& item : node) {
    const std::string key = item.first.as<std::string>();
    if (std::find(names.begin(), names.end(), key) != names.end()) continue;
    const std::string guess = did_you_mean(key, names);
    std::string message = fmt::format("unknown key '{}' in {}", key, where);
    if (!guess.empty())
      message += fmt::format(" (did you mean '{}'?)", guess);
    else
      message += fmt::format(" (known keys: {})", fmt::join(names, ", "));
    error(item.first, message);
  }
}

std::optional<std::string> YamlReader::string(const YAML::Node& map, const char* key,
                                              bool required) {
  const YAML::Node n = map[key];
  if (!n) {
    if (required) error(map, fmt::format("missing required key '{}'", key));
    return std::nullopt;
  }
  if (!n.IsScalar()) {
    error(n, fmt::format("'{}' must be a single value", key));
    return std::nullopt;
  }
  return n.as<std::string>();
}

std::optional<double> YamlReader::scalar_quantity(const YAML::Node& node, const std::string& what,
                                                  UnitKind kind) {
  if (!node.IsScalar()) {
    error(node, fmt::format("{} must be {}", what, describe_unit(kind)));
    return std::nullopt;
  }
  const Quantity q = parse_quantity(node.as<std::string>(), kind);
  if (!q.ok()) {
    error(node, fmt::format("{}: {}", what, q.error));
    return std::nullopt;
  }
  return q.value;
}

std::optional<double> YamlReader::quantity(const YAML::Node& map, const char* key, UnitKind kind,
                                           bool required) {
  const YAML::Node n = map[key];
  if (!n) {
    if (required)
      error(map, fmt::format("missing required key '{}' ({})", key, describe_unit(kind)));
    return std::nullopt;
  }
  return scalar_quantity(n, fmt::format("'{}'", key), kind);
}

std::optional<Duration> YamlReader::duration(const YAML::Node& map, const char* key,
                                             bool required) {
  const auto q = quantity(map, key, UnitKind::kDuration, required);
  if (!q) return std::nullopt;
  if (*q > 9e9) {
    error(map[key], fmt::format("'{}' is too long (at most 9e9 s)", key));
    return std::nullopt;
  }
  return Duration::from_seconds(*q);
}

std::optional<int64_t> YamlReader::integer(const YAML::Node& map, const char* key, int64_t low,
                                           int64_t high, bool required) {
  const YAML::Node n = map[key];
  if (!n) {
    if (required) error(map, fmt::format("missing required key '{}' (an integer)", key));
    return std::nullopt;
  }
  int64_t value = 0;
  if (!n.IsScalar() || !YAML::convert<int64_t>::decode(n, value)) {
    error(n, fmt::format("'{}' must be an integer from {} to {}", key, low, high));
    return std::nullopt;
  }
  if (value < low || value > high) {
    error(n, fmt::format("'{}' is {}, outside the allowed range {} to {}", key, value, low, high));
    return std::nullopt;
  }
  return value;
}

std::optional<double> YamlReader::probability(const YAML::Node& map, const char* key) {
  const auto q = quantity(map, key, UnitKind::kPlain);
  if (q && *q > 1.0) {
    error(map[key], fmt::format("'{}' is {}, but a probability must be from 0 to 1", key, *q));
    return std::nullopt;
  }
  return q;
}

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
  const std::string kind = item.first.as<std::string>();
  const YAML::Node p = item.second;
  const std::string where = fmt::format("{} ({})", what, kind);
  auto num = [&](const char* key, UnitKind k) { return quantity(p, key, k, true); };
  auto positive = [&](const char* key, double v) {
    if (v > 0.0) return true;
    error(p[key], fmt::format("{}: '{}' must be greater than 0", where, key));
    return false;
  };
  if (kind == "constant") {
    return distribution_node(p, what, unit);
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
