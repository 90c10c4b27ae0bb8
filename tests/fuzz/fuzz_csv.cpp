// The CSV column reader behind empirical distributions and quantile tables: the input is the
// CSV file; the columns read are "value", "p" and the header's first cell.
#include <cmath>

#include "fuzz_support.hpp"
#include "slsim/csv.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = slsim::fuzz::write_input(data, size, "data.csv");
  const std::string text(reinterpret_cast<const char*>(data), size);
  const auto header = slsim::split_csv_line(text.substr(0, text.find('\n')));
  std::vector<std::vector<std::string>> requests = {{"value"}, {"value", "p"}};
  if (!header.empty()) requests.push_back({header.front()});
  for (const auto& names : requests) {
    std::vector<std::vector<double>> columns;
    const std::string problem = slsim::read_csv_columns(path, names, columns);
    if (!problem.empty()) continue;
    for (const auto& column : columns)
      for (const double v : column)
        if (!std::isfinite(v) || v < 0.0) __builtin_trap();  // parse_quantity's contract
  }
  return 0;
}
