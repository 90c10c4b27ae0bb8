// Typed reading of YAML nodes with error collection. Every problem becomes one message
// `file:line:column: what is wrong (how to fix it)`; reading goes on so that a user sees all
// errors of a file at once (ninja-style diagnostics, STYLE.md).
#pragma once

#include <yaml-cpp/yaml.h>

#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "slsim/distribution.hpp"
#include "slsim/time.hpp"
#include "slsim/units.hpp"

namespace slsim {

class YamlReader {
 public:
  explicit YamlReader(std::string file) : file_(std::move(file)) {}

  const std::string& file() const { return file_; }
  const std::vector<std::string>& errors() const { return errors_; }
  bool ok() const { return errors_.empty(); }

  // Records an error at `node`'s position; a node that came from `--set` (note_override) is
  // named by its option instead, and a node without a position by the file alone.
  void error(const YAML::Node& node, const std::string& message);
  void error_at(const YAML::Mark& mark, const std::string& message);
  void error_file(const std::string& message) { errors_.push_back(file_ + ": " + message); }
  // Records a warning at `node`'s position: something valid but worth a user's attention
  // (`file:line:column: warning: ...`); warnings never make a file invalid.
  void warning(const YAML::Node& node, const std::string& message);
  const std::vector<std::string>& warnings() const { return warnings_; }
  // Marks `node` and everything below it as set by the command-line option `option` (e.g.
  // "--set 'traffic.rate=20/s'"), so errors about it name the option, not a line of the file.
  void note_override(const YAML::Node& node, const std::string& option);
  // Takes over another reader's errors and warnings (e.g. of a file this one refers to).
  void absorb(const YamlReader& other) {
    errors_.insert(errors_.end(), other.errors_.begin(), other.errors_.end());
    warnings_.insert(warnings_.end(), other.warnings_.begin(), other.warnings_.end());
  }

  // Reports every key of map `node` not in `known`, with a did-you-mean suggestion.
  void check_keys(const YAML::Node& node, const std::string& where,
                  std::initializer_list<const char*> known);
  // True if `node` is a map; otherwise records "`what` must be a mapping".
  bool expect_map(const YAML::Node& node, const std::string& what);

  // Each reader returns nullopt (and records an error) when the key is present but invalid,
  // and nullopt silently when it is absent (the caller keeps its default) unless `required`.
  std::optional<std::string> string(const YAML::Node& map, const char* key, bool required = false);
  std::optional<double> quantity(const YAML::Node& map, const char* key, UnitKind kind,
                                 bool required = false);
  std::optional<Duration> duration(const YAML::Node& map, const char* key, bool required = false);
  // An integer in [low, high].
  std::optional<int64_t> integer(const YAML::Node& map, const char* key, int64_t low, int64_t high,
                                 bool required = false);
  std::optional<double> probability(const YAML::Node& map, const char* key);
  // A distribution of durations (kDuration) or sizes (kSize); see distribution.hpp for forms.
  std::optional<Distribution> distribution(const YAML::Node& map, const char* key, UnitKind unit,
                                           bool required = false);
  // Also checks that the distribution's values stay within slsim's limits (limits.hpp).
  std::optional<Distribution> distribution_node(const YAML::Node& node, const std::string& what,
                                                UnitKind unit);
  // Directory of the file being read, for resolving relative paths.
  std::string base_dir() const;
  // The path in scalar `node`, made absolute against base_dir(); the node is rewritten to it, so
  // that the document, written out again, still names the same file from anywhere.
  std::string resolve_path(YAML::Node node);

 private:
  std::string located(const YAML::Mark& mark, const std::string& message) const;
  std::optional<double> scalar_quantity(const YAML::Node& node, const std::string& what,
                                        UnitKind kind);
  std::optional<Distribution> distribution_form(const YAML::Node& node, const std::string& what,
                                                UnitKind unit);
  std::optional<Distribution> empirical(const YAML::Node& node, const std::string& what,
                                        UnitKind unit);
  // Checks that probabilities increase within [0, 1] and values do not decrease.
  std::optional<Distribution> quantile_table(const YAML::Node& node, const std::string& where,
                                             std::vector<double> probabilities,
                                             std::vector<double> values);
  std::string file_;
  std::vector<std::string> errors_;
  std::vector<std::string> warnings_;
  std::vector<std::pair<YAML::Node, std::string>> overrides_;  // (node, option), note_override
};

// A plain decimal integer (`-3`, `42`; not `010`, `0x10`, `+5`, `1e3`), or nullopt.
std::optional<int64_t> decimal_integer(const YAML::Node& node);

// The closest of `candidates` to `word` within a small edit distance, or "".
std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace slsim
