// `--set path=value`: command-line overrides of a scenario, applied to the YAML document before
// it is read, so an overridden value is checked exactly like one written in the file.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "slsim/yaml_reader.hpp"

namespace slsim {

// The dotted path walks the document; a list is entered by index, by an element's `name`, or
// else at every element. A path whose first part is a top-level key (`platform.idle_timeout`)
// is set from the root, and created if the file lacks it; any other path is an endpoint's:
// `provisioned_concurrency=2` is set or added in every endpoint, `NAME.memory=4GB` in one,
// `traffic.rate=20/s` wherever a traffic profile has a rate. A created key is validated like
// any other, so a misspelt path fails as an unknown key. A value starting with `{` or `[` is
// parsed as YAML. Problems are recorded in `reader`.
void apply_overrides(YAML::Node& root, const std::vector<std::string>& overrides,
                     YamlReader& reader);

}  // namespace slsim
