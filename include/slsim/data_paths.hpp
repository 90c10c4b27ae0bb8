// Where slsim finds what it ships (pricing files, plotting scripts, bundled scenarios, the
// calibration helper): relative to its own executable, never through the current directory, so
// the same scenario costs the same wherever it is run from, and a moved or packaged install keeps
// working.
//
// Layouts (CMakeLists.txt installs the second; the relative parts come from GNUInstallDirs):
//   build tree   build/slsim, build/slsim-calibrate; data = the source tree it was built from
//   installed    P/bin/slsim, P/libexec/slsim/slsim-calibrate, data = P/share/slsim
#pragma once

#include <string>

namespace slsim {

// The folder of the running executable (from /proc/self/exe, so symlinks are resolved), or "".
std::string executable_dir();

// The folder holding `pricing/`, `analysis/` and `scenarios/`, the first of:
//   1. `<executable's folder>/../share/slsim` (an installed slsim, wherever its prefix was moved);
//   2. the source tree the executable was built from, when it still sits in its build tree;
//   3. $SLSIM_DATA_DIR, for a binary copied somewhere on its own.
// What ships with the binary wins over the variable, so a stale SLSIM_DATA_DIR left in a shell
// cannot make one install price runs with another version's tables. Returns "" when none holds a
// `pricing/` folder.
std::string data_dir();

// The pricing file used when a scenario names none: `<data_dir>/pricing/us-east-1.yaml`, or "".
std::string default_pricing_path();

// A helper program slsim runs (e.g. "slsim-calibrate"): next to the executable (build tree), else
// in `<executable's folder>/../libexec/slsim/` (installed). Returns "" when neither exists.
std::string helper_program(const std::string& name);

}  // namespace slsim
