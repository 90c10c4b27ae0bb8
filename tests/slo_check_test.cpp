// `slsim run --slo` (slo_check.hpp): objectives checked against the finished run, in total and
// per endpoint, printed and recorded in summary.json.
#include "slsim/slo_check.hpp"

#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "files.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using namespace slsim;

using slsim::testing::read;
using slsim::testing::sh;

namespace {

// Two endpoints, service exactly 1 s and no overhead, so every served request takes 1 s (within
// the histogram's 0.78 %). "pc" holds one provisioned container and may not spill over
// (max concurrency 1): it throttles instead and never cold-starts; "od" runs on demand.
Scenario two_endpoints() {
  Scenario s = testing::one_endpoint(Duration::hours(2), 0.2, Distribution::constant(1.0), 1, 1);
  s.endpoints[0].name = "pc";
  EndpointConfig od = s.endpoints[0];
  od.name = "od";
  od.provisioned_concurrency = 0;
  od.max_concurrency = 10;
  s.endpoints.push_back(od);
  return s;
}

std::vector<Slo> parsed(std::vector<std::string> texts) {
  std::vector<Slo> slos;
  std::vector<std::string> errors;
  REQUIRE(parse_slos(texts, slos, errors));
  return slos;
}

const SloVerdict& find(const std::vector<SloVerdict>& verdicts, const std::string& objective,
                       const std::string& endpoint) {
  for (const auto& v : verdicts)
    if (v.objective == objective && v.endpoint == endpoint) return v;
  FAIL("no verdict for " << objective << " on " << endpoint);
  throw;
}

}  // namespace

TEST_CASE("objectives are checked in total and for each endpoint, with value and margin", "[slo]") {
  const Report report = testing::run_report(two_endpoints());
  const auto slos = parsed({"p99<=2s", "max<500ms", "cold_p50<10s", "throttled<=100%"});
  const auto verdicts = check_slos(slos, report);
  REQUIRE(verdicts.size() == 4 * 3);  // total, pc, od for each
  CHECK(verdicts[0].endpoint == "total");
  CHECK(verdicts[1].endpoint == "pc");
  CHECK(verdicts[2].endpoint == "od");

  // Every served request takes 1 s: p99 <= 2 s holds with half the limit to spare.
  for (const char* e : {"total", "pc", "od"}) {
    const SloVerdict& v = find(verdicts, "p99<=2s", e);
    CHECK(v.figure == "latency_s.p99");
    CHECK(v.value == Approx(1.0).epsilon(0.008));
    CHECK(v.limit == 2.0);
    CHECK(v.holds);
    CHECK(v.margin == Approx(0.5).epsilon(0.008));
    const SloVerdict& m = find(verdicts, "max<500ms", e);
    CHECK_FALSE(m.holds);
    CHECK(m.margin == Approx(-1.0).epsilon(0.016));  // (0.5 − 1) ÷ 0.5
  }
  // "pc" never cold-starts: its cold latency is undefined, which violates nothing.
  const SloVerdict& cold_pc = find(verdicts, "cold_p50<10s", "pc");
  CHECK(std::isnan(cold_pc.value));
  CHECK(std::isnan(cold_pc.margin));
  CHECK(cold_pc.holds);
  CHECK(find(verdicts, "cold_p50<10s", "od").value > 0.9);
  // The verdict's value is the report's own figure.
  CHECK(find(verdicts, "throttled<=100%", "pc").value ==
        report.find(report.endpoints[0], "throttle_rate")->mean());
  CHECK(find(verdicts, "throttled<=100%", "pc").value > 0.0);
}

TEST_CASE("bad objectives are all reported before anything runs", "[slo][cli]") {
  std::vector<Slo> slos;
  std::vector<std::string> errors;
  CHECK_FALSE(parse_slos({"p99<=1s", "p99<=1x", "latency<1s"}, slos, errors));
  REQUIRE(errors.size() == 2);
  CHECK(errors[0].find("'p99<=1x'") != std::string::npos);
  CHECK(errors[1].find("unknown objective 'latency'") != std::string::npos);

  const fs::path d = fs::temp_directory_path() / ("slsim-slo-bad-" + std::to_string(::getpid()));
  fs::remove_all(d);
  CHECK(sh(std::string(SLSIM_BINARY) + " run " + SLSIM_SOURCE_DIR +
           "/scenarios/seed-provisioned-vs-on-demand.yaml -q --slo 'p99<1y' --out " + d.string()) ==
        2);  // a malformed argument (exit_codes.hpp)
  CHECK_FALSE(fs::exists(d / "summary.json"));
}

TEST_CASE("summary.json has an slo list only when run with --slo", "[slo][cli]") {
  const fs::path d = fs::temp_directory_path() / ("slsim-slo-" + std::to_string(::getpid()));
  fs::remove_all(d);
  const std::string run = std::string(SLSIM_BINARY) + " run " + SLSIM_SOURCE_DIR +
                          "/scenarios/seed-provisioned-vs-on-demand.yaml -q --out " + d.string();
  REQUIRE(sh(run) == 0);
  CHECK_FALSE(YAML::LoadFile((d / "summary.json").string())["slo"]);

  // A missed objective does not fail the run; -q keeps the verdicts, not the table.
  const std::string with_slo = run + " --slo 'p99<=1s' --slo 'monthly_cost<=$100' >" +
                               (d.string() + ".stdout") + " 2>/dev/null";
  REQUIRE(std::system(with_slo.c_str()) == 0);
  const YAML::Node slo = YAML::LoadFile((d / "summary.json").string())["slo"];
  REQUIRE(slo.IsSequence());
  REQUIRE(slo.size() == 2 * 3);  // total, provisioned, on-demand
  // p99 ≤ 1 s: the provisioned endpoint's ≈ 0.3 s holds; on demand (≈ 6 s cold starts) misses.
  CHECK(slo[0]["endpoint"].as<std::string>() == "total");
  CHECK(slo[1]["endpoint"].as<std::string>() == "provisioned");
  CHECK(slo[1]["figure"].as<std::string>() == "latency_s.p99");
  CHECK(slo[1]["holds"].as<bool>());
  CHECK(slo[1]["margin"].as<double>() > 0.5);
  CHECK_FALSE(slo[2]["holds"].as<bool>());
  CHECK(slo[2]["value"].as<double>() > 3.0);
  CHECK(slo[2]["limit"].as<double>() == 1.0);
  // A month of provisioned concurrency costs more than $100; on demand far less.
  CHECK(slo[3]["objective"].as<std::string>() == "monthly_cost<=$100");
  CHECK_FALSE(slo[4]["holds"].as<bool>());
  CHECK(slo[5]["holds"].as<bool>());
  const std::string out = read(d.string() + ".stdout");
  CHECK(out.find("service-level objectives") != std::string::npos);
  CHECK(out.find("MISSED") != std::string::npos);
  CHECK(out.find("end-to-end latency") == std::string::npos);
  fs::remove_all(d);
  fs::remove(d.string() + ".stdout");
}
