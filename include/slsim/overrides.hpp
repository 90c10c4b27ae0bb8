// `--set path=value`: command-line overrides of a scenario, applied to the YAML document before
// it is read, so an overridden value is checked exactly like one written in the file.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "slsim/yaml_reader.hpp"

namespace slsim {

// The dotted path walks the document; a list is entered by index, by an element's `name`, or
// else at every element; a first segment that is not a top-level key is tried under every
// endpoint (so `traffic.rate=20/s` sets every traffic profile's rate). Only keys the file
// already has can be set. A value starting with `{` or `[` is parsed as YAML. Problems are
// recorded in `reader`.
void apply_overrides(YAML::Node& root, const std::vector<std::string>& overrides,
                     YamlReader& reader);

}  // namespace slsim
