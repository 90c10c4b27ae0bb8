#include "slsim/csv.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "slsim/units.hpp"
#include "slsim/yaml_document.hpp"
#include "slsim/yaml_reader.hpp"

namespace slsim {

std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> cells;
  std::stringstream ss(line);
  std::string cell;
  while (std::getline(ss, cell, ',')) {
    if (!cell.empty() && cell.back() == '\r') cell.pop_back();
    cells.push_back(cell);
  }
  return cells;
}

std::string read_csv_columns(const std::string& path, const std::vector<std::string>& names,
                             std::vector<std::vector<double>>& columns) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status))
    return fmt::format("cannot open '{}': it does not exist (check the path)", path);
  if (!std::filesystem::is_regular_file(status))
    return fmt::format("cannot open '{}': it is {}, not a CSV file", path,
                       std::filesystem::is_directory(status) ? "a folder" : "not a regular file");
  if (std::filesystem::file_size(path, ec) > kMaxInputFileBytes || ec)
    return fmt::format("cannot open '{}': it is larger than {} bytes", path, kMaxInputFileBytes);
  std::ifstream in(path, std::ios::binary);
  if (!in) return fmt::format("cannot open '{}' (check its permissions)", path);
  std::string line;
  std::getline(in, line);
  const auto header = split_csv_line(line);
  std::vector<size_t> index;
  for (const auto& name : names) {
    const auto it = std::find(header.begin(), header.end(), name);
    if (it == header.end()) {
      const std::string guess = did_you_mean(name, header);
      return fmt::format("{}:1:1: no column '{}' in the header{}", path, name,
                         guess.empty() ? "" : fmt::format(" (did you mean '{}'?)", guess));
    }
    index.push_back(static_cast<size_t>(it - header.begin()));
  }
  columns.assign(names.size(), {});
  size_t line_number = 1;
  while (std::getline(in, line)) {
    ++line_number;
    if (line.empty() || line == "\r") continue;
    const auto cells = split_csv_line(line);
    for (size_t k = 0; k < index.size(); ++k) {
      if (index[k] >= cells.size())
        return fmt::format("{}:{}:{}: the row has {} cells, but column '{}' is cell {}", path,
                           line_number, line.size() + 1, cells.size(), names[k], index[k] + 1);
      const Quantity q = parse_quantity(cells[index[k]], UnitKind::kPlain);
      if (!q.ok()) {
        size_t column = 1;  // of the cell's first character
        for (size_t j = 0; j < index[k]; ++j) column += cells[j].size() + 1;
        return fmt::format("{}:{}:{}: {}", path, line_number, column, q.error);
      }
      columns[k].push_back(q.value);
    }
  }
  if (columns[0].empty())
    return fmt::format("{}:{}:1: no data rows after the header", path, line_number + 1);
  return "";
}

}  // namespace slsim
