// Reading the simple CSV files slsim takes as input (empirical distributions, calibration data
// sets): comma-separated, a header line, no quoting.
#pragma once

#include <string>
#include <vector>

namespace slsim {

// The cells of one line (a trailing '\r' is dropped from each).
std::vector<std::string> split_csv_line(const std::string& line);

// Reads the named columns of a CSV file with a header as numbers. Returns "" or what is wrong
// (with file and line).
std::string read_csv_columns(const std::string& path, const std::vector<std::string>& names,
                             std::vector<std::vector<double>>& columns);

}  // namespace slsim
