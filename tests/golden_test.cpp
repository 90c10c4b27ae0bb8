// Golden summaries of every bundled scenario (SimGrid .tesh / OMNeT++ fingerprint style): any
// change of behaviour shows up as a diff. After an intended change, regenerate with
//   SLSIM_UPDATE_GOLDEN=1 ./build/slsim_tests "[golden]"
// and explain the diff in the commit.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "files.hpp"
#include "slsim/replication.hpp"
#include "slsim/report.hpp"
#include "slsim/scenario_loader.hpp"
#include "test_support.hpp"

using namespace slsim;
namespace fs = std::filesystem;

using slsim::testing::read;

namespace {

// Scenarios too large for a readable golden run on a part: the Azure sample's 1,350 endpoints
// on 20 functions drawn at random (trace_test.cpp replays all of them).
std::vector<std::string> golden_overrides(const fs::path& scenario) {
  if (scenario.stem() == "azure-2019-sample")
    return {"traces.0.functions.sample=20", "traces.0.functions.seed=1"};
  return {};
}

Report run(const std::string& path, int replications = 0, int threads = 2) {
  LoadResult loaded = load_scenario(path, golden_overrides(path));
  INFO(loaded.errors.size() << " errors, first: " << (loaded.ok() ? "" : loaded.errors[0]));
  REQUIRE(loaded.ok());
  if (replications) loaded.scenario.replications = replications;
  return slsim::testing::run_report(loaded.scenario, threads);
}

}  // namespace

TEST_CASE("every bundled scenario reproduces its golden summary", "[golden]") {
  const fs::path root = SLSIM_SOURCE_DIR;
  const bool update = std::getenv("SLSIM_UPDATE_GOLDEN") != nullptr;
  int checked = 0;
  for (const auto& entry : fs::directory_iterator(root / "scenarios")) {
    if (entry.path().extension() != ".yaml") continue;
    const fs::path golden =
        root / "tests" / "golden" / (entry.path().stem().string() + ".summary.json");
    const std::string actual = summary_json(run(entry.path().string()));
    if (update) {
      fs::create_directories(golden.parent_path());
      std::ofstream(golden, std::ios::binary) << actual;
    }
    INFO("scenario " << entry.path() << " vs " << golden);
    REQUIRE(fs::exists(golden));
    REQUIRE(actual == read(golden));
    ++checked;
  }
  REQUIRE(checked >= 6);
}

TEST_CASE("on every bundled scenario the minute records add up to the summary", "[golden]") {
  // Invocations, cold starts and cost summed over metrics minutes equal the summary's: both come
  // from the same records, and cost from the same function (MinuteRecord::usage, compute_cost).
  const fs::path root = SLSIM_SOURCE_DIR;
  for (const auto& entry : fs::directory_iterator(root / "scenarios")) {
    if (entry.path().extension() != ".yaml") continue;
    INFO("scenario " << entry.path());
    const LoadResult loaded = load_scenario(entry.path().string(), golden_overrides(entry.path()));
    REQUIRE(loaded.ok());
    const Scenario& s = loaded.scenario;
    MemoryRecorder memory;
    const ReplicationResult r = Simulation(s, 0, Recorders{nullptr, nullptr, &memory}).run();
    for (size_t e = 0; e < s.endpoints.size(); ++e) {
      int64_t invocations = 0, cold = 0;
      double cost = 0.0;
      for (const MinuteRecord& m : memory.minutes)
        if (m.endpoint == e) {
          invocations += m.invocations;
          cold += m.cold_starts;
          cost += compute_cost(s.pricing, s.endpoints[e].memory_mb, m.usage()).total();
        }
      const EndpointStats& stats = r.endpoints[e];
      REQUIRE(invocations == stats.requests);
      REQUIRE(cold == stats.cold_starts);
      REQUIRE(cost == Approx(compute_cost(s.pricing, s.endpoints[e].memory_mb, stats.usage).total())
                          .epsilon(1e-9));
    }
  }
}

TEST_CASE("the seed scenario reproduces ≈ 0.2 s provisioned and ≈ 6 s on-demand, all cold",
          "[golden][seed]") {
  // seeds/001: "approximately 200 milliseconds end to end as opposed to nearly 6 seconds".
  // Averaged over 40 replications of the five-request protocol.
  const Report r =
      run(std::string(SLSIM_SOURCE_DIR) + "/scenarios/seed-provisioned-vs-on-demand.yaml", 40);
  const auto& provisioned = r.endpoints.at(0);
  const auto& on_demand = r.endpoints.at(1);
  REQUIRE(r.find(provisioned, "latency_s.mean")->mean() == Approx(0.2).margin(0.03));
  REQUIRE(r.find(on_demand, "latency_s.mean")->mean() == Approx(6.0).margin(0.5));
  REQUIRE(r.find(on_demand, "cold_start_rate")->mean() == 1.0);
  REQUIRE(r.find(provisioned, "cold_start_rate")->mean() == 0.0);
}
