// A model's size: rejected when it does not fit its endpoint's memory (typed in, measured by a
// calibration, or fitted for another size), and a warning when `trees:` leaves the sizes the
// calibration measured.
#include "slsim/model_size.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "slsim/scenario_loader.hpp"

using namespace slsim;
namespace fs = std::filesystem;

namespace {

const std::string kCalibration =
    std::string(SLSIM_SOURCE_DIR) + "/scenarios/calibrations/abalone-xgb.yaml";

// Writes a scenario with one endpoint of `memory` serving model `model_yaml` (the lines under
// `models: m:`) and loads it. Line 5 of the file is the first model line; line 8 is `memory:`.
LoadResult load_model(const std::string& model_yaml, const std::string& memory) {
  static int counter = 0;
  const fs::path dir =
      fs::temp_directory_path() /
      ("slsim-model-size-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  fs::create_directories(dir);
  const fs::path file = dir / "s.yaml";
  std::ofstream(file) << "duration: 10min\n"
                         "models:\n"
                         "  m:\n"
                         "    image_size: 1GB\n"
                      << model_yaml
                      << "endpoints:\n"
                         "  - name: a\n"
                         "    memory: "
                      << memory
                      << "\n"
                         "    max_concurrency: 1\n"
                         "    model: m\n"
                         "    traffic: [{type: poisson, rate: 1/s}]\n";
  LoadResult r = load_scenario(file.string());
  fs::remove_all(dir);
  return r;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string s;
  for (const auto& l : lines) s += l + "\n";
  return s;
}

}  // namespace

TEST_CASE("a model whose loaded size exceeds the endpoint's memory is rejected with both sizes",
          "[model_size][loader]") {
  const LoadResult r = load_model("    loaded_size: 1.5GB\n", "1024MB");
  REQUIRE(r.errors.size() == 1);
  REQUIRE_THAT(r.errors[0],
               Catch::Contains("s.yaml:8:13: memory 1024 MB (1 GB) is smaller than model 'm', "
                               "whose loaded size is 1.5 GB (1610612736 bytes, typed in as "
                               "loaded_size); use memory: 2048MB or more"));
}

TEST_CASE("a model that fits exactly, or whose loaded size is unknown, is accepted",
          "[model_size][loader]") {
  const LoadResult exact = load_model("    loaded_size: 1GB\n", "1024MB");
  INFO(joined(exact.errors));
  REQUIRE(exact.ok());
  REQUIRE(exact.scenario.endpoints[0].model.loaded_size_bytes == 1024.0 * 1024 * 1024);
  REQUIRE(load_model("", "1024MB").ok());
}

TEST_CASE("a model larger than every serverless memory size says that none holds it",
          "[model_size]") {
  ModelConfig m;
  m.name = "huge";
  m.loaded_size_bytes = 7.0 * 1024 * 1024 * 1024;
  m.loaded_size_source = "typed in as loaded_size";
  REQUIRE_THAT(memory_problem(m, 6144),
               Catch::Contains("no serverless memory size holds it (largest 6144 MB)"));
  REQUIRE(memory_problem(m, 6144).find("memory 6144 MB (6 GB)") == 0);
}

TEST_CASE("a calibrated model gets the loaded size its calibration measured", "[model_size]") {
  const LoadResult r = load_model("    calibration: " + kCalibration + "\n", "1024MB");
  INFO(joined(r.errors));
  REQUIRE(r.ok());
  REQUIRE(r.warnings.empty());
  // scenarios/calibrations/abalone-xgb.yaml: model.loaded_bytes of the 100-tree model.
  REQUIRE(r.scenario.endpoints[0].model.loaded_size_bytes == 167600);
}

TEST_CASE("a fitted model size too large for its memory is rejected as fitted by the calibration",
          "[model_size][loader]") {
  // loaded_bytes fit: 1056.72 × trees^1.07942, so 5e6 trees ≈ 1.8e10 bytes ≈ 17 GB.
  const LoadResult r =
      load_model("    calibration: " + kCalibration + "\n    trees: 5000000\n", "6144MB");
  REQUIRE(r.errors.size() == 1);
  REQUIRE_THAT(r.errors[0], Catch::Contains("s.yaml:9:13: memory 6144 MB (6 GB) is smaller"));
  REQUIRE_THAT(r.errors[0], Catch::Contains("fitted by "));
  REQUIRE_THAT(r.errors[0], Catch::Contains("for 5000000 trees); no serverless memory size"));
}

TEST_CASE("trees beyond the measured sizes warn with the extrapolation factor, not an error",
          "[model_size][loader]") {
  const LoadResult r =
      load_model("    calibration: " + kCalibration + "\n    trees: 50000\n", "1024MB");
  INFO(joined(r.errors));
  REQUIRE(r.ok());
  REQUIRE(r.warnings.size() == 1);
  // The calibration measured 10, 100, 1000 and 5000 trees: 50000 / 5000 = 10.
  REQUIRE_THAT(r.warnings[0], Catch::Contains("s.yaml:6:12: warning: trees 50000 is 10x beyond "
                                              "the largest size"));
  REQUIRE_THAT(r.warnings[0], Catch::Contains("measured (5000 trees)"));
}

TEST_CASE("trees within the measured sizes give no warning, and below them a factor too",
          "[model_size]") {
  Calibration c;
  c.path = "cal.yaml";
  c.measured_trees = {10, 100, 1000, 5000};
  REQUIRE(extrapolation_warning(c, 0).empty());
  REQUIRE(extrapolation_warning(c, 10).empty());
  REQUIRE(extrapolation_warning(c, 2500).empty());
  REQUIRE(extrapolation_warning(c, 5000).empty());
  REQUIRE_THAT(extrapolation_warning(c, 4),
               Catch::Contains("trees 4 is 2.5x below the smallest size its calibration measured"));
  REQUIRE_THAT(extrapolation_warning(c, 7500), Catch::Contains("trees 7500 is 1.5x beyond"));
  c.measured_trees.clear();  // a calibration without a size fit: nothing to compare with
  REQUIRE(extrapolation_warning(c, 7500).empty());
}

TEST_CASE("slsim validate prints the extrapolation warning on stderr and still succeeds",
          "[model_size][cli]") {
  const fs::path log =
      fs::temp_directory_path() / ("slsim-model-size-" + std::to_string(::getpid()) + ".log");
  const int status =
      std::system((std::string(SLSIM_BINARY) + " validate " + SLSIM_SOURCE_DIR +
                   "/scenarios/calibrated-model-sizes.yaml >/dev/null 2>" + log.string())
                      .c_str());
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
  std::stringstream text;
  text << std::ifstream(log).rdbuf();
  REQUIRE_THAT(text.str(), Catch::Contains("calibrated-model-sizes.yaml:17:12: warning: trees "
                                           "50000 is 10x beyond the largest size"));
  fs::remove(log);
}
