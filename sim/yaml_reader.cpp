#include "slsim/yaml_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <filesystem>

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
  if (mark.is_null() || mark.line < 0) return fmt::format("{}: {}", file_, message);
  return fmt::format("{}:{}:{}: {}", file_, mark.line + 1, mark.column + 1, message);
}

void YamlReader::error_at(const YAML::Mark& mark, const std::string& message) {
  errors_.push_back(located(mark, message));
}

void YamlReader::warning(const YAML::Node& node, const std::string& message) {
  warnings_.push_back(located(node.Mark(), "warning: " + message));
}

void YamlReader::error(const YAML::Node& node, const std::string& message) {
  if (!node.IsDefined()) {  // a missing key's zombie node has no position (and throws on Mark())
    error_file(message);
    return;
  }
  for (const auto& [set, option] : overrides_)
    if (node.is(set)) {
      errors_.push_back(fmt::format("{}: {}: {}", file_, option, message));
      return;
    }
  error_at(node.Mark(), message);
}

void YamlReader::note_override(const YAML::Node& node, const std::string& option) {
  overrides_.emplace_back(node, option);
  if (node.IsSequence()) {
    for (const auto& element : node) note_override(element, option);
  } else if (node.IsMap()) {
    for (const auto& item : node) {
      overrides_.emplace_back(item.first, option);
      note_override(item.second, option);
    }
  }
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
    const std::string key = item.first.Scalar();
    if (std::find(names.begin(), names.end(), key) != names.end()) continue;
    const std::string guess = did_you_mean(key, names);
    std::string message = fmt::format("unknown key '{}' in {}", key, where);
    if (!guess.empty())
      message += fmt::format(" (did you mean '{}'?)", guess);
    else
      message += fmt::format(" (known keys: {})", fmt::join(names, ", "));
    // A key added by --set has no position of its own; its value names the option.
    error(item.first.Mark().is_null() ? item.second : item.first, message);
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
  return n.Scalar();
}

std::optional<double> YamlReader::scalar_quantity(const YAML::Node& node, const std::string& what,
                                                  UnitKind kind) {
  if (!node.IsScalar()) {
    error(node, fmt::format("{} must be {}", what, describe_unit(kind)));
    return std::nullopt;
  }
  const Quantity q = parse_quantity(node.Scalar(), kind);
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
  // parse_quantity bounds durations (limits.hpp), so the conversion cannot overflow.
  const auto q = quantity(map, key, UnitKind::kDuration, required);
  if (!q) return std::nullopt;
  return Duration::from_seconds(*q);
}

std::optional<int64_t> YamlReader::integer(const YAML::Node& map, const char* key, int64_t low,
                                           int64_t high, bool required) {
  const YAML::Node n = map[key];
  if (!n) {
    if (required) error(map, fmt::format("missing required key '{}' (an integer)", key));
    return std::nullopt;
  }
  const auto parsed = decimal_integer(n);
  const int64_t value = parsed.value_or(0);
  if (!parsed) {
    error(n,
          fmt::format("'{}' must be an integer from {} to {}, in decimal digits", key, low, high));
    return std::nullopt;
  }
  if (value < low || value > high) {
    error(n, fmt::format("'{}' is {}, outside the allowed range {} to {}", key, value, low, high));
    return std::nullopt;
  }
  return value;
}

std::optional<int64_t> decimal_integer(const YAML::Node& node) {
  if (!node.IsScalar()) return std::nullopt;
  const std::string& text = node.Scalar();
  // Decimal digits only: yaml-cpp would read 010 as octal 8 and 0x10 as 16.
  const size_t digits = text.size() - (!text.empty() && text.front() == '-' ? 1 : 0);
  if (digits == 0 || (digits > 1 && text[text.size() - digits] == '0')) return std::nullopt;
  int64_t value = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
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

}  // namespace slsim
