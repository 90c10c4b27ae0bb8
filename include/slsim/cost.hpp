// Prices as data (pricing/*.yaml; DESIGN.md §2) and the cost of a run.
#pragma once

#include <array>
#include <map>
#include <string>

namespace slsim {

// Per-second rates indexed by memory size: index 0 = 1024 MB ... 5 = 6144 MB.
using RateByMemory = std::array<double, 6>;

struct Pricing {
  std::string region;
  std::string source;                      // where the numbers come from
  RateByMemory on_demand_inference{};      // $ per second of on-demand inference, billed per ms
  RateByMemory provisioned_concurrency{};  // $ per second per provisioned container
  RateByMemory provisioned_inference{};    // $ per second of inference on provisioned containers
  double data_processing_per_gb = 0.0;     // $ per GB in and out
  // Real-time endpoint instance types (for comparison): hardware and hourly price, with sources.
  struct Instance {
    double vcpus = 0.0;
    double memory_bytes = 0.0;
    double per_hour = 0.0;  // $ per instance-hour, billed whether busy or not
    std::string source;
  };
  std::map<std::string, Instance> instances;
};

// What a run consumed, in billing units.
struct Usage {
  double on_demand_billed_seconds = 0.0;    // inference time, each request rounded up to 1 ms
  double provisioned_billed_seconds = 0.0;  // same, on provisioned containers
  // Provisioned containers held, integrated over time (∫ capacity dt), within the scenario.
  double provisioned_container_seconds = 0.0;
  double data_bytes = 0.0;        // request + response bodies
  double instance_seconds = 0.0;  // real-time instances held, within the scenario
  Usage& operator+=(const Usage& o) {
    instance_seconds += o.instance_seconds;
    on_demand_billed_seconds += o.on_demand_billed_seconds;
    provisioned_billed_seconds += o.provisioned_billed_seconds;
    provisioned_container_seconds += o.provisioned_container_seconds;
    data_bytes += o.data_bytes;
    return *this;
  }
};

struct Cost {
  double on_demand_inference = 0.0;
  double provisioned_concurrency = 0.0;
  double provisioned_inference = 0.0;
  double data_processing = 0.0;
  double instances = 0.0;  // real-time instance-hours
  double total() const {
    return on_demand_inference + provisioned_concurrency + provisioned_inference + data_processing +
           instances;
  }
  Cost& operator+=(const Cost& o) {
    on_demand_inference += o.on_demand_inference;
    provisioned_concurrency += o.provisioned_concurrency;
    provisioned_inference += o.provisioned_inference;
    data_processing += o.data_processing;
    instances += o.instances;
    return *this;
  }
};

inline size_t memory_index(int memory_mb) { return static_cast<size_t>(memory_mb / 1024 - 1); }

// REQUIRES: memory_mb is one of kMemorySizesMb. `instance_per_hour`: the real-time instance
// price of the endpoint (0 for a serverless one).
inline Cost compute_cost(const Pricing& p, int memory_mb, const Usage& u,
                         double instance_per_hour = 0.0) {
  const size_t i = memory_index(memory_mb);
  constexpr double kGB = 1024.0 * 1024.0 * 1024.0;
  Cost c;
  c.on_demand_inference = u.on_demand_billed_seconds * p.on_demand_inference[i];
  c.provisioned_concurrency = u.provisioned_container_seconds * p.provisioned_concurrency[i];
  c.provisioned_inference = u.provisioned_billed_seconds * p.provisioned_inference[i];
  c.data_processing = u.data_bytes / kGB * p.data_processing_per_gb;
  c.instances = u.instance_seconds / 3600.0 * instance_per_hour;
  return c;
}

}  // namespace slsim
