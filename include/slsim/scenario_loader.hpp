// Reads a scenario YAML file (and its pricing file) into a Scenario, checking every value
// against the platform's rules. Errors are collected, never clamped: a load either yields a
// valid Scenario or a list of `file:line:column: message` lines.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "slsim/scenario.hpp"

namespace slsim {

struct LoadResult {
  Scenario scenario;
  // The scenario as it was read: the file with every --set applied, file paths made absolute
  // and the pricing file named, so that it runs the same again from any folder.
  std::string effective_yaml;
  std::vector<std::string> errors;    // empty = scenario is valid
  std::vector<std::string> warnings;  // valid but noteworthy, e.g. an extrapolated model size
  bool ok() const { return errors.empty(); }
};

// What the load reads of each streamed trace's rows (check_trace_starts, trace_reader.hpp).
enum class TraceRows : uint8_t {
  kUpToFirstReplayed,  // up to its first replayed row: a bad row before it is a load error
  kScannedByCaller,    // none: the caller reads and reports every row (scan_traces: validate)
};

// `overrides` are `path=value` strings (`--set`), applied first (overrides.hpp).
LoadResult load_scenario(const std::string& path, const std::vector<std::string>& overrides = {},
                         TraceRows trace_rows = TraceRows::kUpToFirstReplayed);

// Parses a pricing file (pricing/*.yaml).
std::vector<std::string> load_pricing(const std::string& path, Pricing& pricing);

}  // namespace slsim
