#include "slsim/overrides.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <optional>

#include "slsim/yaml_document.hpp"

namespace slsim {
namespace {

// The scenario format's top-level keys (scenario_loader.cpp): a path starting with one of them
// is created from the document's root; any other path is an endpoint's.
constexpr const char* kTopLevelKeys[] = {"name",   "description",  "duration", "start",
                                         "seed",   "replications", "pricing",  "platform",
                                         "models", "endpoints",    "traces",   "skip_bad_rows"};

// Nodes visited per override, at most: an alias-expanded document (a "billion laughs" file)
// must not make one --set walk without end.
constexpr int kVisitBudget = 1'000'000;

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (;;) {
    const size_t dot = path.find('.', start);
    parts.push_back(path.substr(start, dot - start));
    if (dot == std::string::npos) return parts;
    start = dot + 1;
  }
}

// A value starting with '{' or '[' is YAML, read like a file (yaml_document.hpp); anything else
// is the scalar itself. Throws YAML::Exception with what is wrong in the value.
YAML::Node override_value(const std::string& text, const YamlReader& reader) {
  if (text.empty() || (text.front() != '{' && text.front() != '[')) return YAML::Node(text);
  YamlReader check(reader.file());
  YAML::Node node;
  if (!load_yaml_text(check, text, "--set value", node))
    throw YAML::Exception(
        YAML::Mark::null_mark(),
        "in the value, " + check.errors().front().substr(reader.file().size() + 1));
  return node;
}

// A list index written as digits (SIZE_MAX when too large for one); nullopt for anything else
// (names, wildcards).
std::optional<size_t> index_of(const std::string& s) {
  if (s.empty() || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  size_t k = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), k);
  return ec == std::errc() ? k : SIZE_MAX;
}

struct Walk {
  Walk(const std::vector<std::string>& p, const std::string& v, bool c, YamlReader& r,
       const std::string& o)
      : parts(p), value(v), create(c), reader(r), option(o) {}
  const std::vector<std::string>& parts;
  const std::string& value;
  bool create;  // create missing keys (maps) along the path
  YamlReader& reader;
  const std::string& option;  // "--set 'path=value'", for errors about what it set
  int visits = 0;
  std::string problem;  // set when the walk must stop with an error

  // Sets parts[i..] below `node`; returns how many places were set.
  int at(YAML::Node node, size_t i) {
    if (++visits > kVisitBudget) {
      problem = "the path reaches too many places (a document with deeply shared aliases?)";
      return 0;
    }
    const std::string& key = parts[i];
    const bool last = i + 1 == parts.size();
    if (node.IsSequence()) {
      if (const auto k = index_of(key)) {
        if (*k >= node.size()) {
          problem = fmt::format("index {} is past the end of a list of {} (indexes start at 0)",
                                key, node.size());
          return 0;
        }
        if (last) {
          node[*k] = override_value(value, reader);
          reader.note_override(node[*k], option);
          return 1;
        }
        return at(node[*k], i + 1);
      }
      for (size_t k = 0; k < node.size(); ++k) {
        const YAML::Node element = node[k];
        if (element.IsMap() && element["name"] && element["name"].IsScalar() &&
            element["name"].Scalar() == key)
          return last ? 0 : at(element, i + 1);
      }
      int hits = 0;
      for (size_t k = 0; k < node.size() && problem.empty(); ++k) hits += at(node[k], i);
      return hits;
    }
    if (!node.IsMap() && !(create && node.IsNull())) return 0;
    if (!node[key]) {
      if (!create) return 0;
      if (!last) {
        node[key] = YAML::Node(YAML::NodeType::Map);
        reader.note_override(node[key], option);
      }
    }
    if (last) {
      node[key] = override_value(value, reader);
      reader.note_override(node[key], option);
      return 1;
    }
    return at(node[key], i + 1);
  }
};

bool top_level(const std::string& key) {
  return std::any_of(std::begin(kTopLevelKeys), std::end(kTopLevelKeys),
                     [&](const char* k) { return key == k; });
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
    if (std::any_of(parts.begin(), parts.end(), [](const std::string& p) { return p.empty(); })) {
      reader.error_file(fmt::format("--set '{}': the path has an empty part", o));
      continue;
    }
    const std::string value = o.substr(eq + 1);
    const std::string option = fmt::format("--set '{}'", o);
    int hits = 0;
    std::string problem;
    try {
      if (!root.IsMap()) {
        problem = "the scenario is not a mapping of keys to values";
      } else if (top_level(parts[0])) {
        // Set where the path exists, else create it from the root.
        Walk set{parts, value, false, reader, option};
        hits = set.at(root, 0);
        problem = set.problem;
        if (hits == 0 && problem.empty()) {
          Walk make{parts, value, true, reader, option};
          hits = make.at(root, 0);
          problem = make.problem;
        }
      } else if (root["endpoints"] && root["endpoints"].IsSequence()) {
        // An endpoint's key: a one-part path is set (or added) in every endpoint; a longer one is
        // set where it exists and created only where it exists nowhere.
        Walk set{parts, value, parts.size() == 1, reader, option};
        hits = set.at(root["endpoints"], 0);
        problem = set.problem;
        if (hits == 0 && problem.empty()) {
          Walk make{parts, value, true, reader, option};
          hits = make.at(root["endpoints"], 0);
          problem = make.problem;
        }
      }
    } catch (const YAML::Exception& e) {
      problem = e.msg;
    }
    if (!problem.empty())
      reader.error_file(fmt::format("--set '{}': {}", o, problem));
    else if (hits == 0)
      reader.error_file(fmt::format(
          "--set '{}': no place for '{}' in the scenario (a path is a top-level key such as "
          "platform.idle_timeout, or an endpoint's key such as traffic.rate or NAME.memory)",
          o, o.substr(0, eq)));
  }
}

}  // namespace slsim
