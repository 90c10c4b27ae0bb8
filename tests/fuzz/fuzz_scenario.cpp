// The path `slsim validate` and `slsim run` take before simulating: a scenario file (with its
// calibration and CSV files), --set overrides and the workload estimate. Lines of the input
// that start with "#set " (YAML comments) become --set overrides.
#include <sstream>

#include "fuzz_support.hpp"
#include "slsim/scenario_loader.hpp"
#include "slsim/traffic_estimate.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = slsim::fuzz::write_input(data, size, "scenario.yaml");
  std::vector<std::string> overrides;
  std::istringstream lines(std::string(reinterpret_cast<const char*>(data), size));
  for (std::string line; std::getline(lines, line);)
    if (line.rfind("#set ", 0) == 0) overrides.push_back(line.substr(5));
  const slsim::LoadResult loaded = slsim::load_scenario(path, overrides);
  if (loaded.ok()) {
    // A scenario that loads must be one the simulator can hold: a finite, bounded workload.
    const double work = slsim::expected_work(loaded.scenario);
    if (!(work >= 0.0 && work <= 1e11)) __builtin_trap();
  } else if (loaded.errors.empty()) {
    __builtin_trap();
  }
  return 0;
}
