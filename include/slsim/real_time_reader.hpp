// Reading real-time endpoints (for comparison) and the instance table of a pricing file.
#pragma once

#include <yaml-cpp/yaml.h>

#include "slsim/calendar.hpp"
#include "slsim/cost.hpp"
#include "slsim/endpoint.hpp"
#include "slsim/yaml_reader.hpp"

namespace slsim {

// An endpoint with `kind: real_time`: instance_count, workers_per_instance, launch_delay and
// autoscaling (of the instance count). The instance type is looked up later.
void read_real_time(YamlReader& reader, const YAML::Node& endpoint, UtcTime start,
                    EndpointConfig& config);

// Fills the endpoint's vCPUs and hourly price from `pricing`'s instance table; an unknown type
// is an error at `type_node` (the scenario's `instance_type`, or the endpoint when absent).
void resolve_instance_type(YamlReader& reader, const YAML::Node& type_node, const Pricing& pricing,
                           EndpointConfig& config);

// A pricing file's `real_time_instances: {ml.m5.large: {vcpus, memory, per_hour, source}}`.
void read_instance_table(YamlReader& reader, const YAML::Node& table, Pricing& pricing);

}  // namespace slsim
