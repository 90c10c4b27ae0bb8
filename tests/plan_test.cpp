// slsim plan (plan.hpp): it must pick the analytically right configuration where one exists.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "files.hpp"
#include "slsim/slo.hpp"

using namespace slsim;
namespace fs = std::filesystem;

using slsim::testing::fresh_dir;
using slsim::testing::read;

namespace {

const std::string kSlsim = SLSIM_BINARY;

// Runs slsim plan on `scenario` (YAML text) and returns plan.json's recommended description.
std::string recommended(const std::string& scenario, const std::string& args) {
  const fs::path dir = fresh_dir("run");
  std::ofstream(dir / "s.yaml") << scenario;
  const std::string command = kSlsim + " plan " + (dir / "s.yaml").string() + " " + args +
                              " --real-time none -q --out " + (dir / "out").string() +
                              " >/dev/null 2>&1";
  REQUIRE(std::system(command.c_str()) == 0);
  const std::string json = read(dir / "out" / "plan.json");
  fs::remove_all(dir);
  const size_t at = json.find("\"description\": \"", json.find("\"recommended\""));
  REQUIRE(at != std::string::npos);
  const size_t start = at + 16;
  return json.substr(start, json.find('"', start) - start);
}

// Instant cold starts apart from `scheduling`; no overhead.
const char* kPlatform = R"(platform:
  overhead: 0s
  image_cache_hit_probability: 1
  artifact_first_byte: 0s
  container_init: 0s
)";

}  // namespace

TEST_CASE("objectives parse with their units and judge values", "[plan]") {
  std::string error;
  const auto p99 = parse_slo("p99<=1s", error);
  REQUIRE(p99);
  REQUIRE(p99->figure == "latency_s.p99");
  REQUIRE(p99->holds(1.0));
  REQUIRE_FALSE(p99->holds(1.01));
  REQUIRE(p99->margin(0.8) == Approx(0.2));
  const auto throttled = parse_slo("throttled<0.1%", error);
  REQUIRE(throttled->limit == Approx(0.001));
  REQUIRE(throttled->figure == "throttle_rate");
  REQUIRE(parse_slo("cold_p999<20s", error)->figure == "latency_cold_s.p999");
  REQUIRE_FALSE(parse_slo("monthly_cost<=$500", error)->windowed);
  REQUIRE_FALSE(parse_slo("p99<=1", error));
  REQUIRE_THAT(error, Catch::Contains("has no unit"));
  REQUIRE_FALSE(parse_slo("latency<1s", error));
  REQUIRE_THAT(error, Catch::Contains("unknown objective 'latency'"));
  // Spaces around the name and the value are allowed.
  REQUIRE(parse_slo("p99 <= 1s", error)->limit == Approx(1.0));
  REQUIRE(parse_slo(" throttled < 0.1% ", error)->figure == "throttle_rate");
  // A latency or cost limit of 0 can never be met; a rate of 0 can (errors<=0).
  REQUIRE_FALSE(parse_slo("p99<=0s", error));
  REQUIRE_THAT(error, Catch::Contains("a limit of 0 can never be met"));
  REQUIRE_FALSE(parse_slo("cost<=$0", error));
  REQUIRE(parse_slo("errors<=0", error));
}

TEST_CASE("a latency objective is missed when requests arrived and none was served", "[plan]") {
  std::string error;
  const Slo p99 = *parse_slo("p99<=1s", error);
  const Judgement none = judge(p99, NAN, 120, 0);  // every request timed out
  REQUIRE_FALSE(none.holds);
  REQUIRE(none.none_served);
  REQUIRE(none.margin == -INFINITY);
  REQUIRE(judge(p99, NAN, 0, 0).holds);  // no request at all: nothing to violate
  REQUIRE(std::isnan(judge(p99, NAN, 0, 0).margin));
  REQUIRE(judge(p99, 0.5, 120, 3).holds);  // three served, fast
  const Slo cold = *parse_slo("cold<1%", error);
  REQUIRE(judge(cold, NAN, 0, 0).holds);  // rates are undefined only without requests
  const Slo wait = *parse_slo("wait<=1s", error);
  REQUIRE_FALSE(judge(wait, NAN, 10, 0).holds);
}

TEST_CASE("plan never recommends a configuration that serves no request", "[plan]") {
  // A 40 s inference: at 1 GB (0.58 vCPU) it takes 69 s and every request times out at 60 s;
  // at 2 GB it takes 40 s. "p99<=60s" holds for 2 GB only, though 1 GB is cheaper.
  const std::string scenario = std::string(kPlatform) + R"(duration: 10min
endpoints:
  - name: e
    memory: 2GB
    max_concurrency: 50
    model: {inference: 40s, load: 0s, extraction: 0s, first_inference_extra: 0s}
    traffic: [{type: poisson, rate: 0.2/s}]
)";
  REQUIRE(recommended(scenario, "--slo 'p99<=60s' --grid memory=1GB,2GB -r 1") == "memory=2GB");
}

TEST_CASE("plan checks its real-time values, and an instance must hold the model", "[plan]") {
  const fs::path dir = fresh_dir("real-time-values");
  std::ofstream(dir / "s.yaml") << std::string(kPlatform) + R"(duration: 10min
models:
  big: {inference: 100ms, load: 0s, extraction: 0s, first_inference_extra: 0s, loaded_size: 5GB}
endpoints:
  - name: e
    memory: 6GB
    max_concurrency: 20
    model: big
    traffic: [{type: poisson, rate: 1/s}]
)";
  const std::string plan = kSlsim + " plan " + (dir / "s.yaml").string() + " --slo 'p99<=1s' -q ";
  for (const char* bad :
       {"--real-time ml.m5.large:1..1,ml.t3.medium", "--real-time ml.m5.large:1..4x",
        "--real-time ml.m5.large --real-time none", "--real-time ml.x9.huge"}) {
    const auto [status, text] = slsim::testing::sh_output(plan + bad);
    INFO(bad << " → " << text);
    CHECK(status == 2);
  }
  // ml.t3.medium has 4 GB: its rows are invalid, with the reason; ml.m5.xlarge (16 GB) is run.
  const auto [status, text] = slsim::testing::sh_output(
      plan + "--real-time ml.t3.medium:1..2 --real-time ml.m5.xlarge:1..1 --out " +
      (dir / "out").string());
  REQUIRE(status == 0);
  const std::string csv = read(dir / "out" / "real_time.csv");
  REQUIRE_THAT(csv, Catch::Contains("ml.t3.medium has 4 GB of memory, less than model 'big' of "
                                    "endpoint 'e' loads (5 GB)"));
  REQUIRE_THAT(text, Catch::Contains("ml.m5.xlarge × 1") && !Catch::Contains("ml.t3.medium ×"));
  fs::remove_all(dir);
}

TEST_CASE("plan refuses --plot without --out and windows too many to hold", "[plan]") {
  const std::string plan = kSlsim + " plan " + std::string(SLSIM_SOURCE_DIR) +
                           "/scenarios/steady-poisson.yaml --slo 'p99<=10s' --real-time none -q ";
  const auto [plot_status, plot_text] = slsim::testing::sh_output(plan + "--plot");
  CHECK(plot_status == 2);
  CHECK_THAT(plot_text, Catch::Contains("--plot needs --out DIR"));
  const auto [window_status, window_text] =
      slsim::testing::sh_output(plan + "--set duration=31d --slo-window 1min");
  CHECK(window_status == 2);
  CHECK_THAT(window_text,
             Catch::Contains("makes 44640 windows of a 31.0d scenario; at most 10000"));
  // Each configuration's cost is for its own duration when a grid varies it.
  const auto [status, text] =
      slsim::testing::sh_output(plan + "--set traffic.rate=1/s --grid duration=30min,10min");
  REQUIRE(status == 0);
  CHECK_THAT(text, Catch::Contains("for the 10.0min simulated"));
}

TEST_CASE("plan says when its pick throttles requests no objective bounds", "[plan]") {
  const std::string plan = kSlsim + " plan " + std::string(SLSIM_SOURCE_DIR) +
                           "/scenarios/steady-poisson.yaml --set duration=10min --grid "
                           "max_concurrency=1,20 --real-time none -q --slo 'p99<=1s' ";
  const auto [status, text] = slsim::testing::sh_output(plan);
  REQUIRE(status == 0);
  CHECK_THAT(text, Catch::Contains("max_concurrency=1\n") &&
                       Catch::Contains("throttled or failed") &&
                       Catch::Contains("latency objectives judge served requests only"));
  const auto [bounded_status, bounded] = slsim::testing::sh_output(plan + "--slo 'throttled<0.1%'");
  REQUIRE(bounded_status == 0);
  CHECK_THAT(bounded,
             Catch::Contains("max_concurrency=20\n") && !Catch::Contains("throttled or failed"));
}

TEST_CASE("plan judges every endpoint alone, as run --slo does", "[plan]") {
  // Two endpoints; only `slow` has a 2 s inference. Its p99 misses 1 s at every memory size
  // while the total p99 (dominated by the busy fast endpoint) meets it: nothing meets.
  const std::string scenario = std::string(kPlatform) + R"(duration: 30min
endpoints:
  - name: fast
    memory: 2GB
    max_concurrency: 50
    provisioned_concurrency: 2
    model: {inference: 50ms, load: 0s, extraction: 0s, first_inference_extra: 0s}
    traffic: [{type: poisson, rate: 10/s}]
  - name: slow
    memory: 2GB
    max_concurrency: 50
    model: {inference: 2s, load: 0s, extraction: 0s, first_inference_extra: 0s}
    traffic: [{type: poisson, rate: 0.05/s}]
)";
  const fs::path dir = fresh_dir("per-endpoint");
  std::ofstream(dir / "s.yaml") << scenario;
  const auto [status, text] = slsim::testing::sh_output(
      kSlsim + " plan " + (dir / "s.yaml").string() +
      " --slo 'p99<=1s' --grid memory=2GB,3GB -r 1 --real-time none -q --out " +
      (dir / "out").string());
  REQUIRE(status == 0);
  REQUIRE_THAT(
      text, Catch::Contains("0 meet every objective") && Catch::Contains("worst endpoint slow ("));
  const std::string json = read(dir / "out" / "plan.json");
  REQUIRE_THAT(json, Catch::Contains("\"recommended\": null"));
  fs::remove_all(dir);
}

TEST_CASE("plan picks the smallest provisioned concurrency whose Erlang B spillover is low enough",
          "[plan][oracle]") {
  // λ = 30/s, S = 0.1 s exponential: a = 3. Every spilled request is cold (idle timeout 1 µs),
  // so the cold-start rate is the Erlang B spillover B(P, 3): B(6, 3) = 0.0522, B(7, 3) = 0.0219.
  // Provisioned concurrency costs by the second, so the cheapest P with cold < 3 % is 7 (P = 0
  // is all cold).
  const std::string scenario = std::string(kPlatform) + R"(  idle_timeout: 1us
duration: 6h
seed: 4
endpoints:
  - name: e
    memory: 2GB
    max_concurrency: 200
    model: {inference: {exponential: {mean: 100ms}}, load: 0s, extraction: 0s, first_inference_extra: 0s}
    traffic: [{type: poisson, rate: 30/s}]
)";
  REQUIRE(recommended(scenario, "--slo 'cold<3%' --grid provisioned_concurrency=0..10 -r 2") ==
          "provisioned_concurrency=7");
}

TEST_CASE("plan picks the cheapest memory when more CPU no longer helps", "[plan][oracle]") {
  // A single-threaded 0.5 s inference at one vCPU: 1 GB (0.58 vCPU) takes 0.86 s, 2 GB and up
  // (at least one vCPU) 0.5 s. With p99 <= 0.7 s, 2 GB is the cheapest that meets it.
  const std::string scenario = std::string(kPlatform) + R"(duration: 2h
endpoints:
  - name: e
    memory: 1GB
    max_concurrency: 50
    model: {inference: 500ms, load: 0s, extraction: 0s, first_inference_extra: 0s}
    traffic: [{type: poisson, rate: 2/s}]
)";
  REQUIRE(recommended(scenario, "--slo 'p99<=700ms' --grid memory=1GB..6GB:1GB -r 2") ==
          "memory=2GB");
}

TEST_CASE("plan's folder is replaced whole, and a folder of other files is refused",
          "[plan][cli]") {
  const fs::path dir = fresh_dir("folder");
  const std::string plan = kSlsim + " plan " + std::string(SLSIM_SOURCE_DIR) +
                           "/scenarios/steady-poisson.yaml --slo 'p99<=10s' --grid "
                           "provisioned_concurrency=0..1 --real-time none -q --out ";
  const auto status = [](const std::string& command) {
    const int s = std::system((command + " >/dev/null 2>&1").c_str());
    return WIFEXITED(s) ? WEXITSTATUS(s) : -1;
  };
  // Someone's notes in the folder: refused before anything runs, left as they were.
  fs::create_directories(dir / "notes");
  std::ofstream(dir / "notes" / "todo.txt") << "mine";
  REQUIRE(status(plan + (dir / "notes").string()) == 1);
  CHECK(read(dir / "notes" / "todo.txt") == "mine");
  CHECK_FALSE(fs::exists(dir / "notes" / "plan.json"));
  // An earlier plan is replaced whole: a file the new one does not write goes.
  REQUIRE(status(plan + (dir / "out").string()) == 0);
  std::ofstream(dir / "out" / "report.html") << "stale";
  REQUIRE(status(plan + (dir / "out").string()) == 0);
  CHECK_FALSE(fs::exists(dir / "out" / "report.html"));
  CHECK(fs::exists(dir / "out" / "plan.json"));
  fs::remove_all(dir);
}
