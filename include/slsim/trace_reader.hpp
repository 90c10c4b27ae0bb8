// Reading traces from a scenario (scenarios/README.md, "Traces"): a trace type in an endpoint's
// `traffic:` list feeds that endpoint; the scenario's `traces:` list maps one trace onto several
// endpoints (by an endpoint column, by function or metric id) or creates one endpoint per
// function from an `endpoint_template`. Errors go to the YamlReader, at the key they concern;
// errors inside trace files name the file, line and column.
#pragma once

#include <yaml-cpp/yaml.h>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "slsim/scenario.hpp"
#include "slsim/yaml_reader.hpp"

namespace slsim {

// The traffic types that are traces: trace_csv, azure_functions_2019, azure_functions_2021,
// azure_llm_2023, cloudwatch.
bool is_trace_type(std::string_view type);
std::vector<std::string> trace_type_names();

// Reads `node`, a `traffic:` item of a trace type on the endpoint being read (it will be
// s.endpoints[s.endpoints.size()], named `endpoint`), into s.traces.
void read_endpoint_trace(YamlReader& r, const YAML::Node& node, const std::string& endpoint,
                         Scenario& s);

// Reads an endpoint template: REQUIRES it to fill every field but the name (and no traffic).
using TemplateReader = std::function<bool(const YAML::Node& node, EndpointConfig& endpoint)>;

// Reads the scenario's `traces:` list after its endpoints: each trace into s.traces, routed to
// the endpoints it names, and the endpoints it creates (appended to s.endpoints).
void read_scenario_traces(YamlReader& r, const YAML::Node& list, Scenario& s,
                          const TemplateReader& read_template);

// Checks the repeat of every trace of `s`, that every per-minute trace replays inside the
// scenario and, with `read_rows`, that every streamed trace opens, has the columns it needs and
// replays at least one row inside the scenario (reading only up to its first replayed row: a bad
// row before it is an error). Pipes are not read.
void check_trace_starts(YamlReader& r, const Scenario& s, bool read_rows);

// slsim validate: reads every trace file of `s` to its end, checking each row, and makes the
// streamed-trace checks check_trace_starts leaves out without `read_rows`. Returns one line per
// trace (rows read, rows replayed, first and last time); errors, at most 10 bad rows per file,
// go to `errors`.
std::vector<std::string> scan_traces(const Scenario& s, std::vector<std::string>& errors);

}  // namespace slsim
