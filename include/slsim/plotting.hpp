// `slsim run --plot`: calls analysis/plot_run.py on the output folder when a Python 3 with
// matplotlib and pandas is available. The run itself never depends on Python.
#pragma once

#include <string>

namespace slsim {

// $SLSIM_PYTHON if set and it imports matplotlib and pandas; else the first of python3 and
// /usr/bin/python3 that does; else "".
std::string find_plot_python();

// Where analysis/plot_run.py is: data_dir()/analysis (data_paths.hpp), or "" when slsim's data
// folder was not found.
std::string analysis_dir();

// Draws the plots and report.html into `out_dir`. Returns false with `message` saying what to
// install or what failed.
bool plot_run(const std::string& out_dir, std::string& message);
// The same for a plan's folder: its Pareto front, cost and p99 heatmaps, report.html.
bool plot_sweep(const std::string& out_dir, std::string& message);

}  // namespace slsim
