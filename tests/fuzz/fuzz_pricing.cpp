// The pricing-file reader (pricing/*.yaml).
#include <cmath>

#include "fuzz_support.hpp"
#include "slsim/scenario_loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = slsim::fuzz::write_input(data, size, "pricing.yaml");
  slsim::Pricing pricing;
  if (slsim::load_pricing(path, pricing).empty()) {
    for (const auto* table : {&pricing.on_demand_inference, &pricing.provisioned_concurrency,
                              &pricing.provisioned_inference})
      for (const double price : *table)
        if (!std::isfinite(price) || price < 0.0) __builtin_trap();
  }
  return 0;
}
