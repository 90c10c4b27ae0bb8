// Where slsim finds the data it ships (pricing files, plotting scripts, bundled scenarios):
// relative to its own executable, never through the current directory, so the same scenario
// costs the same wherever it is run from.
#pragma once

#include <string>

namespace slsim {

// The folder holding `pricing/`, `analysis/` and `scenarios/`, tried in this order:
// $SLSIM_DATA_DIR; `<executable's folder>/../share/slsim` (an installed slsim); the source tree
// the executable was built from, when the executable still sits in its build tree.
// Returns "" when none exists.
std::string data_dir();

// The pricing file used when a scenario names none: `<data_dir>/pricing/us-east-1.yaml`.
std::string default_pricing_path();

}  // namespace slsim
