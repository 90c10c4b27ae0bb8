#include "slsim/real_time_reader.hpp"

#include <fmt/format.h>

#include "slsim/autoscaling_reader.hpp"

namespace slsim {

void read_real_time(YamlReader& r, const YAML::Node& e, UtcTime start, EndpointConfig& config) {
  RealTimeConfig& rt = config.real_time;
  rt.instance_type = r.string(e, "instance_type", true).value_or(rt.instance_type);
  if (auto v = r.integer(e, "instance_count", 1, 100)) rt.instance_count = static_cast<int>(*v);
  if (auto v = r.integer(e, "workers_per_instance", 1, 256))
    rt.workers_per_instance = static_cast<int>(*v);
  if (auto v = r.distribution(e, "launch_delay", UnitKind::kDuration)) rt.launch_delay = *v;
  if (const YAML::Node a = e["autoscaling"])
    read_autoscaling(r, a, start, static_cast<bool>(e["instance_count"]), config);
}

void resolve_instance_type(YamlReader& r, const YAML::Node& node, const Pricing& pricing,
                           EndpointConfig& config) {
  RealTimeConfig& rt = config.real_time;
  const auto it = pricing.instances.find(rt.instance_type);
  if (it == pricing.instances.end()) {
    std::vector<std::string> known;
    for (const auto& [name, instance] : pricing.instances) known.push_back(name);
    const std::string guess = did_you_mean(rt.instance_type, known);
    r.error(node, fmt::format("instance type '{}' is not in the pricing file{}; known: {}",
                              rt.instance_type,
                              guess.empty() ? "" : fmt::format(" (did you mean '{}'?)", guess),
                              known.empty() ? "none" : fmt::format("{}", fmt::join(known, ", "))));
    return;
  }
  rt.vcpus = it->second.vcpus;
  rt.per_hour = it->second.per_hour;
  // An instance holds at least one copy of the model it serves.
  if (config.model.loaded_size_bytes > it->second.memory_bytes)
    r.error(node, fmt::format("instance type '{}' has {:.3g} GB of memory, less than model '{}' "
                              "loads ({:.3g} GB, {}); choose an instance type with more memory",
                              rt.instance_type, it->second.memory_bytes / (1 << 30),
                              config.model.name, config.model.loaded_size_bytes / (1 << 30),
                              config.model.loaded_size_source));
}

void read_instance_table(YamlReader& r, const YAML::Node& table, Pricing& pricing) {
  if (!r.expect_map(table, "'real_time_instances'")) return;
  for (const auto& item : table) {
    const std::string name = item.first.Scalar();
    const YAML::Node spec = item.second;
    const std::string where = fmt::format("instance type '{}'", name);
    if (!r.expect_map(spec, where)) continue;
    r.check_keys(spec, where, {"vcpus", "memory", "per_hour", "source"});
    Pricing::Instance instance;
    if (auto v = r.integer(spec, "vcpus", 1, 1024, true)) instance.vcpus = static_cast<double>(*v);
    if (auto v = r.quantity(spec, "memory", UnitKind::kSize, true)) instance.memory_bytes = *v;
    if (auto v = r.quantity(spec, "per_hour", UnitKind::kPlain, true)) instance.per_hour = *v;
    instance.source = r.string(spec, "source", true).value_or("");
    pricing.instances[name] = instance;
  }
}

}  // namespace slsim
