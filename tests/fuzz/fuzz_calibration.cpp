// The calibration-file reader, and applying a calibration that reads (at its own size and at a
// size-fitted one), as a scenario's `calibration:` and `trees:` do.
#include "fuzz_support.hpp"
#include "slsim/calibration.hpp"
#include "slsim/limits.hpp"
#include "slsim/yaml_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = slsim::fuzz::write_input(data, size, "calibration.yaml");
  slsim::YamlReader reader(path);
  const auto calibration = slsim::read_calibration(reader);
  if (!calibration) {
    if (reader.errors().empty()) __builtin_trap();
    return 0;
  }
  for (const int64_t trees : {int64_t{0}, int64_t{1}, int64_t{5000}, int64_t{10000000}}) {
    slsim::ModelConfig model;
    for (const bool batch : {false, true})
      if (slsim::apply_calibration(*calibration, trees, batch, model).empty())
        (void)slsim::tail_value(model.load);  // what the loader checks next
  }
  return 0;
}
