#include "slsim/overrides.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <sstream>

namespace slsim {
namespace {

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> parts;
  std::stringstream ss(path);
  std::string part;
  while (std::getline(ss, part, '.')) parts.push_back(part);
  return parts;
}

YAML::Node override_value(const std::string& text) {
  if (!text.empty() && (text.front() == '{' || text.front() == '[')) return YAML::Load(text);
  return YAML::Node(text);  // a scalar without a position: errors say "(command line --set)"
}

bool is_index(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Sets parts[i..] below `node`; returns how many places were set.
int apply_at(YAML::Node node, const std::vector<std::string>& parts, size_t i,
             const std::string& value) {
  if (node.IsSequence()) {
    if (is_index(parts[i])) {
      const size_t k = std::stoul(parts[i]);
      if (k >= node.size()) return 0;
      if (i + 1 == parts.size()) {
        node[k] = override_value(value);
        return 1;
      }
      return apply_at(node[k], parts, i + 1, value);
    }
    for (size_t k = 0; k < node.size(); ++k)
      if (node[k].IsMap() && node[k]["name"] && node[k]["name"].as<std::string>() == parts[i])
        return i + 1 == parts.size() ? 0 : apply_at(node[k], parts, i + 1, value);
    int hits = 0;
    for (size_t k = 0; k < node.size(); ++k) hits += apply_at(node[k], parts, i, value);
    return hits;
  }
  if (!node.IsMap() || !node[parts[i]]) return 0;
  if (i + 1 == parts.size()) {
    node[parts[i]] = override_value(value);
    return 1;
  }
  return apply_at(node[parts[i]], parts, i + 1, value);
}

}  // namespace

void apply_overrides(YAML::Node& root, const std::vector<std::string>& overrides,
                     YamlReader& reader) {
  for (const std::string& o : overrides) {
    const size_t eq = o.find('=');
    if (eq == std::string::npos || eq == 0) {
      reader.error_file(
          fmt::format("--set '{}' must have the form path=value, e.g. traffic.rate=20/s", o));
      continue;
    }
    const auto parts = split_path(o.substr(0, eq));
    const std::string value = o.substr(eq + 1);
    int hits = 0;
    try {
      hits = apply_at(root, parts, 0, value);
      if (hits == 0 && root["endpoints"]) hits = apply_at(root["endpoints"], parts, 0, value);
    } catch (const YAML::Exception& e) {
      reader.error_file(fmt::format("--set '{}': {}", o, e.msg));
      continue;
    }
    if (hits == 0)
      reader.error_file(
          fmt::format("--set '{}': no key '{}' in the scenario (only keys the file "
                      "already has can be set)",
                      o, o.substr(0, eq)));
  }
}

}  // namespace slsim
