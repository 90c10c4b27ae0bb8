// Shared by the libFuzzer targets (tests/fuzz/README.md): the loaders read files by path, so an
// input is written to a file in a private folder first. That folder also links the bundled
// calibration and CSV data, so relative paths in seed scenarios resolve.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace slsim::fuzz {

inline const std::filesystem::path& work_dir() {
  static const std::filesystem::path dir = [] {
    const auto d =
        std::filesystem::temp_directory_path() / ("slsim-fuzz-" + std::to_string(::getpid()));
    std::filesystem::create_directories(d);
    std::error_code ec;
    const std::filesystem::path scenarios = std::string(SLSIM_SOURCE_DIR) + "/scenarios";
    std::filesystem::create_directory_symlink(scenarios / "calibrations", d / "calibrations", ec);
    std::filesystem::create_directory_symlink(scenarios / "models", d / "models", ec);
    // The default pricing file, wherever the fuzz binary sits.
    ::setenv("SLSIM_DATA_DIR", SLSIM_SOURCE_DIR, 1);
    std::atexit([] {
      std::error_code ignored;
      std::filesystem::remove_all(work_dir(), ignored);
    });
    return d;
  }();
  return dir;
}

// Writes the input to `name` in the work folder and returns its path.
inline std::string write_input(const uint8_t* data, size_t size, const std::string& name) {
  const std::string path = (work_dir() / name).string();
  std::ofstream(path, std::ios::binary | std::ios::trunc)
      .write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  return path;
}

}  // namespace slsim::fuzz
