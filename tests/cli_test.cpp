// The slsim command as a user runs it: outputs, atomicity, thread-count independence.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "files.hpp"

namespace fs = std::filesystem;

using slsim::testing::fresh_path;
using slsim::testing::read;
using slsim::testing::sh;

namespace {

const std::string kSlsim = SLSIM_BINARY;
const std::string kScenarios = std::string(SLSIM_SOURCE_DIR) + "/scenarios/";

}  // namespace

TEST_CASE("outputs are byte-identical for one and for two threads", "[cli][determinism]") {
  const fs::path a = fresh_path("j1"), b = fresh_path("j2");
  const std::string args =
      " run " + kScenarios + "shared-account-limit.yaml -q -r 4 --requests --out ";
  REQUIRE(sh(kSlsim + args + a.string() + " -j 1") == 0);
  REQUIRE(sh(kSlsim + args + b.string() + " -j 2") == 0);
  for (const char* f : {"summary.json", "metrics.csv", "latency.csv", "requests.csv"}) {
    INFO(f);
    REQUIRE(fs::file_size(a / f) > 100);
    REQUIRE(read(a / f) == read(b / f));
  }
  fs::remove_all(a);
  fs::remove_all(b);
}

TEST_CASE("requests.csv has one row per request, matching the summary", "[cli]") {
  const fs::path d = fresh_path("requests");
  REQUIRE(sh(kSlsim + " run " + kScenarios +
             "seed-provisioned-vs-on-demand.yaml -q --requests --out " + d.string()) == 0);
  std::ifstream in(d / "requests.csv");
  std::string line;
  int rows = -1, cold = 0;
  while (std::getline(in, line)) {
    ++rows;
    if (line.find(",on-demand,") != std::string::npos && line.find(",cold,") != std::string::npos)
      ++cold;
  }
  REQUIRE(rows == 10);
  REQUIRE(cold == 5);
  fs::remove_all(d);
}

TEST_CASE("bad input exits non-zero and leaves an existing output folder untouched", "[cli]") {
  const fs::path d = fresh_path("atomic");
  REQUIRE(sh(kSlsim + " run " + kScenarios + "seed-provisioned-vs-on-demand.yaml -q --out " +
             d.string()) == 0);
  const std::string before = read(d / "summary.json");
  REQUIRE_FALSE(before.empty());
  REQUIRE(sh(kSlsim + " run " + kScenarios +
             "seed-provisioned-vs-on-demand.yaml -q --set memory=3000MB --out " + d.string()) != 0);
  REQUIRE(read(d / "summary.json") == before);
  size_t files = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(d)) ++files;
  REQUIRE(files == 5);  // summary, scenario, metrics, scaling, latency: no temporary left
  const fs::path never = fresh_path("never");
  REQUIRE(sh(kSlsim + " run " + kScenarios +
             "seed-provisioned-vs-on-demand.yaml -q --set traffic.interval=10 --out " +
             never.string()) != 0);
  REQUIRE_FALSE(fs::exists(never));
  fs::remove_all(d);
}

TEST_CASE("validate checks every file and fails if any is invalid", "[cli]") {
  REQUIRE(sh(kSlsim + " validate " + kScenarios + "*.yaml") == 0);
  REQUIRE(sh(kSlsim + " validate " + kScenarios + "steady-poisson.yaml /nonexistent.yaml") != 0);
}

TEST_CASE("run --plot draws the plots and report.html, or says how to install Python's packages",
          "[cli][plot]") {
  const fs::path d = fresh_path("plot");
  REQUIRE(sh(kSlsim + " run " + kScenarios + "seed-provisioned-vs-on-demand.yaml -q --plot --out " +
             d.string()) == 0);
  REQUIRE(fs::file_size(d / "report.html") > 1000);
  REQUIRE(fs::file_size(d / "plots" / "latency_cdf.png") > 10000);
  fs::remove_all(d);

  // Without a usable Python the results are still written and the warning names the packages.
  const fs::path e = fresh_path("noplot");
  const fs::path log = fresh_path("noplot.log");
  const int status = std::system(
      ("SLSIM_PYTHON=/nonexistent/python3 " + kSlsim + " run " + kScenarios +
       "seed-provisioned-vs-on-demand.yaml -q --plot --out " + e.string() + " 2>" + log.string())
          .c_str());
  REQUIRE(WEXITSTATUS(status) == 0);
  REQUIRE(fs::exists(e / "summary.json"));
  REQUIRE_FALSE(fs::exists(e / "report.html"));
  REQUIRE_THAT(read(log), Catch::Contains("apt-get install python3-matplotlib python3-pandas"));
  fs::remove_all(e);
  fs::remove(log);
}

namespace {

// The first number after `"key": {"mean": ` in summary.json's `section`.
double summary_mean(const std::string& json, const std::string& section, const std::string& key) {
  const size_t at = json.find("\"" + key + "\": {\"mean\": ", json.find(section));
  REQUIRE(at != std::string::npos);
  return std::stod(json.substr(json.find(": ", json.find("mean", at)) + 2));
}

}  // namespace

TEST_CASE("the same run from another folder finds the same prices and records what ran", "[cli]") {
  const fs::path a = fresh_path("cwd-a"), b = fresh_path("cwd-b"), elsewhere = fresh_path("cwd");
  fs::create_directories(elsewhere);
  const std::string run = " run " + kScenarios +
                          "steady-poisson.yaml -q --set traffic.rate=3/s --set "
                          "platform.idle_timeout=1min --out ";
  REQUIRE(sh(kSlsim + run + a.string()) == 0);
  REQUIRE(sh("cd " + elsewhere.string() + " && " + kSlsim + run + b.string()) == 0);
  const std::string sa = read(a / "summary.json"), sb = read(b / "summary.json");
  REQUIRE(summary_mean(sa, "\"total\"", "total") == summary_mean(sb, "\"total\"", "total"));
  REQUIRE_THAT(sa, Catch::Contains("\"pricing_file\": \"" + std::string(SLSIM_SOURCE_DIR) +
                                   "/pricing/us-east-1.yaml\""));
  REQUIRE_THAT(sa, Catch::Contains("\"pricing_fnv1a64\": \""));
  REQUIRE_THAT(sa, Catch::Contains("\"overrides\": [\"traffic.rate=3/s\""));
  REQUIRE_THAT(sa, Catch::Contains("\"slsim_version\": \""));
  // scenario.yaml is the effective scenario: it runs again to the same summary.
  const std::string effective = read(a / "scenario.yaml");
  REQUIRE_THAT(effective, Catch::Contains("rate: 3/s"));
  REQUIRE_THAT(effective, Catch::Contains("idle_timeout: 1min"));
  const fs::path again = fresh_path("again");
  REQUIRE(sh("cd " + elsewhere.string() + " && " + kSlsim + " run " +
             (a / "scenario.yaml").string() + " -q --out " + again.string()) == 0);
  REQUIRE(summary_mean(read(again / "summary.json"), "\"total\"", "total") ==
          summary_mean(sa, "\"total\"", "total"));
  for (const auto& d : {a, b, elsewhere, again}) fs::remove_all(d);
}

TEST_CASE("metrics.csv's per-minute CostUSD and Invocations add up to summary.json", "[cli]") {
  const fs::path d = fresh_path("sums");
  REQUIRE(sh(kSlsim + " run " + kScenarios + "bursty-provisioned-spillover.yaml -q -r 2 --out " +
             d.string()) == 0);
  std::ifstream in(d / "metrics.csv");
  std::string line;
  std::getline(in, line);  // header: CostUSD last, Invocations 6th
  double cost = 0.0, invocations = 0.0;
  int rows = 0;
  while (std::getline(in, line)) {
    cost += std::stod(line.substr(line.rfind(',') + 1));
    size_t at = 0;
    for (int column = 0; column < 5; ++column) at = line.find(',', at) + 1;
    invocations += std::stod(line.substr(at));
    ++rows;
  }
  const std::string summary = read(d / "summary.json");
  // Means over the 2 replications, so the sums over both are twice them. CostUSD has 9 decimals.
  REQUIRE(rows > 200);
  REQUIRE(cost / 2 == Approx(summary_mean(summary, "\"scoring\"", "total")).margin(rows * 1e-9));
  REQUIRE(invocations / 2 == summary_mean(summary, "\"scoring\"", "requests"));
  fs::remove_all(d);
}
