// Reads an endpoint's `autoscaling:` block (scenarios/README.md) into an AutoscalingConfig,
// checking it against AWS's rules; problems go to the reader with file:line:column.
#pragma once

#include <yaml-cpp/yaml.h>

#include "slsim/autoscaling.hpp"
#include "slsim/calendar.hpp"
#include "slsim/endpoint.hpp"
#include "slsim/yaml_reader.hpp"

namespace slsim {

// REQUIRES: `endpoint` has its kind and max_concurrency read. Sets endpoint.autoscaling, and the
// starting capacity (provisioned_concurrency, or a real-time endpoint's instance_count) to
// min_capacity when `has_provisioned` (the file gives it) is false.
void read_autoscaling(YamlReader& reader, const YAML::Node& node, UtcTime start,
                      bool has_provisioned, EndpointConfig& endpoint);

}  // namespace slsim
