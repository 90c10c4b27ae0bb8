#include "slsim/model_size.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>

namespace slsim {
namespace {

// A byte count for messages in binary units, as scenarios write sizes: "1.5 GB", "163.7 KB".
std::string size_text(double bytes) {
  constexpr const char* kUnits[] = {"B", "KB", "MB", "GB", "TB"};
  int unit = 0;
  while (bytes >= 1024.0 && unit + 1 < static_cast<int>(std::size(kUnits))) {
    bytes /= 1024.0;
    ++unit;
  }
  return unit == 0 ? fmt::format("{:.0f} B", bytes) : fmt::format("{:.4g} {}", bytes, kUnits[unit]);
}

}  // namespace

std::string memory_problem(const ModelConfig& model, int memory_mb) {
  const double memory = memory_mb * 1024.0 * 1024.0;
  if (model.loaded_size_bytes <= 0 || model.loaded_size_bytes <= memory) return "";
  const int* fits = std::find_if(std::begin(kMemorySizesMb), std::end(kMemorySizesMb), [&](int m) {
    return m * 1024.0 * 1024.0 >= model.loaded_size_bytes;
  });
  return fmt::format(
      "memory {} MB ({}) is smaller than model '{}', whose loaded size is {} ({:.0f} bytes, {}); "
      "{}",
      memory_mb, size_text(memory), model.name, size_text(model.loaded_size_bytes),
      model.loaded_size_bytes, model.loaded_size_source,
      fits == std::end(kMemorySizesMb)
          ? fmt::format("no serverless memory size holds it (largest {} MB): use a smaller model",
                        std::end(kMemorySizesMb)[-1])
          : fmt::format("use memory: {}MB or more", *fits));
}

std::string extrapolation_warning(const Calibration& c, int64_t trees) {
  if (trees <= 0 || c.measured_trees.empty()) return "";
  const int64_t low = c.measured_trees.front(), high = c.measured_trees.back();
  if (trees >= low && trees <= high) return "";
  const double factor = trees > high ? static_cast<double>(trees) / static_cast<double>(high)
                                     : static_cast<double>(low) / static_cast<double>(trees);
  return fmt::format(
      "trees {} is {:.3g}x {} the {} size its calibration measured ({} trees): load time, "
      "artifact, "
      "extraction, inference and loaded size are extrapolated from its size fit (calibrate with "
      "--sizes including {} to measure it)",
      trees, factor, trees > high ? "beyond" : "below", trees > high ? "largest" : "smallest",
      trees > high ? high : low, trees);
}

}  // namespace slsim
