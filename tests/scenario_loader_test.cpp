// Bad input gets a clear error: file:line:column, what is wrong, how to fix it.
#include "slsim/scenario_loader.hpp"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "slsim/calendar.hpp"

using namespace slsim;
namespace fs = std::filesystem;

namespace {

// Writes `text` as a scenario file in a fresh folder and loads it.
LoadResult load_text(const std::string& text, const std::vector<std::string>& overrides = {}) {
  static int counter = 0;
  const fs::path dir =
      fs::temp_directory_path() /
      ("slsim-loader-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  fs::create_directories(dir);
  const fs::path file = dir / "s.yaml";
  std::ofstream(file) << text;
  LoadResult r = load_scenario(file.string(), overrides);
  fs::remove_all(dir);
  return r;
}

std::string all(const LoadResult& r) {
  std::string s;
  for (const auto& e : r.errors) s += e + "\n";
  return s;
}

const char* kValid = R"(name: t
duration: 10min
endpoints:
  - name: a
    memory: 2048MB
    max_concurrency: 2
    traffic:
      - {type: poisson, rate: 1/s}
)";

}  // namespace

TEST_CASE("a valid scenario loads with its values and the default pricing", "[loader]") {
  const LoadResult r = load_text(kValid);
  INFO(all(r));
  REQUIRE(r.ok());
  REQUIRE(r.scenario.duration == Duration::minutes(10));
  REQUIRE(r.scenario.endpoints[0].memory_mb == 2048);
  REQUIRE(r.scenario.endpoints[0].traffic[0].rate == 1.0);
  REQUIRE(r.scenario.pricing.on_demand_inference[1] == Approx(0.000040));
}

TEST_CASE("an unknown key is reported with its position and a suggestion", "[loader]") {
  std::string text = kValid;
  text.replace(text.find("    max_concurrency"), 0, "    idle_timout: 10min\n");
  const LoadResult r = load_text(text);
  REQUIRE(r.errors.size() == 1);
  REQUIRE_THAT(
      r.errors[0],
      Catch::EndsWith(
          ":6:5: unknown key 'idle_timout' in endpoint 'a' (did you mean 'idle_timeout'?)"));
  REQUIRE_THAT(r.errors[0], Catch::StartsWith(fs::temp_directory_path().string()));
}

TEST_CASE("a memory size that SageMaker does not offer is rejected, not rounded", "[loader]") {
  std::string text = kValid;
  text.replace(text.find("2048MB"), 6, "3000MB");
  const LoadResult r = load_text(text);
  REQUIRE(r.errors.size() == 1);
  REQUIRE_THAT(
      r.errors[0],
      Catch::Contains(":5:13: memory 3000 MB is not one of 1024, 2048, 3072, 4096, 5120, 6144 MB"));
}

TEST_CASE("provisioned concurrency above max concurrency is rejected", "[loader]") {
  std::string text = kValid;
  text.replace(text.find("    traffic"), 0, "    provisioned_concurrency: 5\n");
  const LoadResult r = load_text(text);
  REQUIRE(r.errors.size() == 1);
  REQUIRE_THAT(r.errors[0],
               Catch::Contains(":7:30: provisioned_concurrency 5 exceeds max_concurrency 2"));
}

TEST_CASE("values outside the platform's ranges are rejected", "[loader]") {
  std::string text = kValid;
  text.replace(text.find("max_concurrency: 2"), 18, "max_concurrency: 201");
  REQUIRE_THAT(all(load_text(text)),
               Catch::Contains("'max_concurrency' is 201, outside the allowed range 1 to 200"));
  std::string negative = kValid;
  negative.replace(negative.find("    traffic"), 0, "    provisioned_concurrency: -1\n");
  REQUIRE_THAT(
      all(load_text(negative)),
      Catch::Contains("'provisioned_concurrency' must be an integer from 0 (none) to 200"));
}

TEST_CASE("provisioned_concurrency 0 means none, so a sweep can cover 0..N", "[loader]") {
  std::string zero = kValid;
  zero.replace(zero.find("    traffic"), 0, "    provisioned_concurrency: 0\n");
  const LoadResult r = load_text(zero);
  INFO(all(r));
  REQUIRE(r.ok());
  REQUIRE(r.scenario.endpoints[0].provisioned_concurrency == 0);
}

TEST_CASE("a quantity without a unit is rejected with an example of the right form", "[loader]") {
  std::string text = kValid;
  text.replace(text.find("10min"), 5, "600");
  const LoadResult r = load_text(text);
  REQUIRE(r.errors.size() == 1);
  REQUIRE_THAT(r.errors[0],
               Catch::Contains(":2:11: 'duration': '600' has no unit: write a duration"));
  std::string rate = kValid;
  rate.replace(rate.find("1/s"), 3, "1");
  REQUIRE_THAT(
      all(load_text(rate)),
      Catch::Contains(
          "'rate': '1' has no unit: write a rate with a unit (/s, /min, /h, /d), e.g. 20/s"));
}

TEST_CASE("every error of a file is reported at once", "[loader]") {
  const LoadResult r = load_text(R"(duration: 1h
endpoints:
  - name: a
    memory: 100MB
    max_concurrency: 0
    traffic:
      - {type: poison, rate: 1/s}
)");
  REQUIRE(r.errors.size() == 3);
  REQUIRE_THAT(all(r), Catch::Contains("memory 100 MB is not one of"));
  REQUIRE_THAT(all(r), Catch::Contains("'max_concurrency' is 0"));
  REQUIRE_THAT(all(r), Catch::Contains("unknown traffic type 'poison' (did you mean 'poisson'?)"));
}

TEST_CASE("a YAML syntax error names its line and column", "[loader]") {
  const LoadResult r = load_text("name: t\nendpoints: [\n");
  REQUIRE(r.errors.size() == 1);
  REQUIRE_THAT(r.errors[0], Catch::Contains("YAML syntax error"));
  REQUIRE_THAT(r.errors[0], Catch::Matches(".*s\\.yaml:[0-9]+:[0-9]+: .*"));
}

TEST_CASE("distribution errors say which parameter is wrong", "[loader]") {
  std::string text = kValid;
  text.replace(text.find("    traffic"), 0,
               "    model:\n      inference: {lognormal: {median: 5ms, p99: 1ms}}\n"
               "      load: {gama: {shape: 2, scale: 1s}}\n");
  const std::string errors = all(load_text(text));
  REQUIRE_THAT(errors, Catch::Contains("p99 must be at least the median"));
  REQUIRE_THAT(errors, Catch::Contains("unknown distribution 'gama' (did you mean 'gamma'?)"));
}

TEST_CASE("duplicate endpoint names and a missing file are errors", "[loader]") {
  std::string text = kValid;
  text +=
      "  - name: a\n    memory: 1GB\n    max_concurrency: 1\n    traffic: [{type: poisson, rate: "
      "1/s}]\n";
  REQUIRE_THAT(all(load_text(text)), Catch::Contains("endpoint name 'a' is used twice"));
  const LoadResult missing = load_scenario("/nonexistent/x.yaml");
  REQUIRE_THAT(all(missing), Catch::Contains("/nonexistent/x.yaml: cannot read the scenario file"));
}

TEST_CASE("a --set override changes an existing key anywhere below the endpoints", "[loader]") {
  const LoadResult r = load_text(kValid, {"traffic.rate=20/s", "max_concurrency=7"});
  INFO(all(r));
  REQUIRE(r.ok());
  REQUIRE(r.scenario.endpoints[0].traffic[0].rate == 20.0);
  REQUIRE(r.scenario.endpoints[0].max_concurrency == 7);
  REQUIRE_THAT(all(load_text(kValid, {"traffic.rat=20/s"})),
               Catch::Contains("s.yaml: --set 'traffic.rat=20/s': unknown key 'rat' in endpoint "
                               "'a' traffic 'poisson' (did you mean 'rate'?)"));
  REQUIRE_THAT(all(load_text(kValid, {"traffic.rate=20"})),
               Catch::Contains("s.yaml: --set 'traffic.rate=20': 'rate': '20' has no unit"));
}

TEST_CASE("endpoint names follow SageMaker's rule and may not be 'total'", "[loader]") {
  for (const char* bad : {"a,b", "total", "-a", "has space", "x_y"}) {
    std::string text = kValid;
    text.replace(text.find("name: a"), 7, std::string("name: \"") + bad + "\"");
    INFO(bad);
    REQUIRE_THAT(all(load_text(text)), Catch::Contains("is not allowed: use 1 to 63 letters"));
  }
  std::string ok = kValid;
  ok.replace(ok.find("name: a"), 7, "name: On-Demand-2");
  REQUIRE(load_text(ok).ok());
}

TEST_CASE("a --set may add any key the format defines, and still validates it", "[loader]") {
  // No platform block and no provisioned concurrency in the file.
  const LoadResult r =
      load_text(kValid, {"platform.idle_timeout=10min", "provisioned_concurrency=2", "a.memory=4GB",
                         "start=2027-03-22T10:00:00Z"});
  INFO(all(r));
  REQUIRE(r.ok());
  REQUIRE(r.scenario.platform.idle_timeout == Duration::minutes(10));
  REQUIRE(r.scenario.endpoints[0].provisioned_concurrency == 2);
  REQUIRE(r.scenario.endpoints[0].memory_mb == 4096);
  REQUIRE(format_utc(r.scenario.start) == "2027-03-22T10:00:00Z");
  REQUIRE_THAT(all(load_text(kValid, {"platform.idle_timout=10min"})),
               Catch::Contains("unknown key 'idle_timout' in 'platform' (did you mean "
                               "'idle_timeout'?)"));
  REQUIRE_THAT(all(load_text(kValid, {"provisioned_concurrency=3"})),
               Catch::Contains("provisioned_concurrency 3 exceeds max_concurrency 2"));
  REQUIRE_THAT(all(load_text(kValid, {"endpoints.99999999999999999999999.memory=1GB"})),
               Catch::Contains("--set 'endpoints.99999999999999999999999.memory=1GB': index "
                               "99999999999999999999999 is past the end of a list of 1"));
  REQUIRE_THAT(all(load_text(kValid, {"endpoints.3.memory=1GB"})),
               Catch::Contains("index 3 is past the end of a list of 1"));
}

TEST_CASE("start is an ISO-8601 UTC instant; a bad one says the form to write", "[loader]") {
  REQUIRE(format_utc(load_text(kValid).scenario.start) == "2027-01-04T00:00:00Z");
  const LoadResult bad = load_text(std::string(kValid) + "start: 2027-02-30T00:00:00Z\n");
  REQUIRE_THAT(all(bad), Catch::Contains(":9:8: 'start': '2027-02-30T00:00:00Z' is not a UTC "
                                         "date-time (no such date)"));
}

TEST_CASE("traffic profiles may be named; names are unique within an endpoint", "[loader]") {
  std::string text = kValid;
  text.replace(text.find("{type: poisson, rate: 1/s}"), 26,
               "{type: poisson, name: base, rate: 1/s}\n      - {type: poisson, name: base, rate: "
               "2/s}");
  REQUIRE_THAT(all(load_text(text)), Catch::Contains("traffic name 'base' is used twice"));
}

TEST_CASE("an endpoint without idle_timeout follows the platform's, set or default", "[loader]") {
  const LoadResult r = load_text(kValid, {"platform.idle_timeout=7min"});
  REQUIRE_FALSE(r.scenario.endpoints[0].idle_timeout.has_value());
  REQUIRE(r.scenario.endpoints[0].effective_idle_timeout(r.scenario.platform) ==
          Duration::minutes(7));
  EndpointConfig built;  // built in code: the same default as a loaded scenario
  REQUIRE(built.effective_idle_timeout(PlatformConfig{}) == Duration::minutes(5));
}

TEST_CASE("autoscaling blocks are checked against AWS's rules", "[loader][autoscaling]") {
  const std::string base = R"(duration: 1h
endpoints:
  - name: a
    memory: 2GB
    max_concurrency: 20
    traffic: [{type: poisson, rate: 1/s}]
    autoscaling:
)";
  const auto load = [&](const std::string& block) { return load_text(base + block); };
  const LoadResult ok = load(R"yaml(      min_capacity: 2
      max_capacity: 10
      target_tracking: {target: 0.7, statistic: Maximum, scale_in_alarm: {datapoints: 5, periods: 8, threshold: 0.8}}
      scheduled_actions:
        - {schedule: "cron(0 9 ? * MON-FRI *)", timezone: Europe/Berlin, min_capacity: 6}
)yaml");
  INFO(all(ok));
  REQUIRE(ok.ok());
  const EndpointConfig& e = ok.scenario.endpoints[0];
  REQUIRE(e.provisioned_concurrency == 2);  // starts at min_capacity
  REQUIRE(e.autoscaling->target_tracking->target == 0.7);
  REQUIRE(e.autoscaling->target_tracking->scale_in_periods == 8);
  REQUIRE(e.autoscaling->scheduled_actions[0].name == "cron(0 9 ? * MON-FRI *)");

  REQUIRE_THAT(all(load("      min_capacity: 5\n      max_capacity: 30\n      target_tracking: "
                        "{target: 0.5}\n")),
               Catch::Contains("'max_capacity' is 30, outside the allowed range 0 to 20"));
  REQUIRE_THAT(all(load("      min_capacity: 1\n      max_capacity: 4\n")),
               Catch::Contains("give target_tracking, scheduled_actions or both"));
  REQUIRE_THAT(all(load("      min_capacity: 1\n      max_capacity: 4\n      target_tracking: "
                        "{target: 50}\n")),
               Catch::Contains("more than 0, at most 1, e.g. 0.5"));
  REQUIRE_THAT(all(load("      min_capacity: 1\n      max_capacity: 4\n      target_tracking: "
                        "{target: 0.5, metric: SageMakerVariantInvocationsPerInstance}\n")),
               Catch::Contains("use SageMakerVariantProvisionedConcurrencyUtilization"));
  // The column points into the expression: the Day-of-month field of line 10.
  REQUIRE_THAT(all(load("      min_capacity: 1\n      max_capacity: 4\n      scheduled_actions:\n"
                        "        - schedule: cron(0 9 32 * ? *)\n          min_capacity: 2\n")),
               Catch::Contains(":11:30: 'schedule': 32 is outside 1-31 in '32'"));
  REQUIRE_THAT(all(load("      min_capacity: 1\n      max_capacity: 4\n      scheduled_actions:\n"
                        "        - {schedule: 'rate(1 hour)', timezone: Europe/Berln, "
                        "min_capacity: 2}\n")),
               Catch::Contains("unknown time zone 'Europe/Berln'"));
  std::string outside = base +
                        "      min_capacity: 3\n      max_capacity: 4\n      "
                        "target_tracking: {target: 0.5}\n";
  outside.replace(outside.find("    traffic"), 0, "    provisioned_concurrency: 8\n");
  REQUIRE_THAT(all(load_text(outside)),
               Catch::Contains("provisioned_concurrency 8 (the starting capacity) is outside "
                               "[min_capacity 3, max_capacity 4]"));
}

TEST_CASE("scheduled actions, cooldowns and statistics take only what AWS accepts",
          "[loader][autoscaling]") {
  const auto load = [](const std::string& endpoint, const std::string& block, int low = 1) {
    return all(load_text(
        "duration: 1h\nstart: 2027-01-04T00:00:00Z\nendpoints:\n  - name: a\n" + endpoint +
        "    traffic: [{type: poisson, rate: 1/s}]\n    autoscaling:\n" +
        "      min_capacity: " + std::to_string(low) + "\n      max_capacity: 10\n" + block));
  };
  const std::string serverless = "    memory: 2GB\n    max_concurrency: 20\n";
  const std::string real_time = "    kind: real_time\n    instance_type: ml.m5.large\n";
  const auto action = [](const std::string& fields) {
    return "      scheduled_actions:\n        - {" + fields + "}\n";
  };
  // A minimum above the policy's maximum needs a maximum in the same action (AWS), and the
  // reverse; with both it is fine.
  CHECK_THAT(load(serverless, action("schedule: 'cron(0 9 * * ? *)', min_capacity: 15")),
             Catch::Contains("min_capacity 15 is above the policy's max_capacity 10: give this "
                             "action a max_capacity too"));
  CHECK_THAT(load(serverless, action("schedule: 'cron(0 9 * * ? *)', max_capacity: 2"), 3),
             Catch::Contains("max_capacity 2 is below the policy's min_capacity 3: give this "
                             "action a min_capacity too"));
  CHECK(load(serverless, action("schedule: 'cron(0 9 * * ? *)', min_capacity: 15, "
                                "max_capacity: 20")) == "");
  // A real-time endpoint keeps an instance through scheduled actions too.
  CHECK_THAT(
      load(real_time, action("schedule: 'at(2027-01-04T00:02:00)', min_capacity: 0, "
                             "max_capacity: 0")),
      Catch::Contains("a real-time endpoint keeps at least one instance: min_capacity >= 1"));
  // An at() before the start would never run.
  CHECK_THAT(load(serverless, action("schedule: 'at(2027-01-03T23:00:00)', min_capacity: 2")),
             Catch::Contains("is before the scenario's start (2027-01-04T00:00:00Z): it would "
                             "never run"));
  // Time zones: not empty, and not on rate(), which counts from the start.
  CHECK_THAT(load(serverless, action("schedule: 'cron(0 9 * * ? *)', timezone: '', "
                                     "min_capacity: 2")),
             Catch::Contains("'timezone' is empty"));
  CHECK_THAT(load(serverless, action("schedule: 'rate(1 day)', timezone: EST, min_capacity: 2")),
             Catch::Contains("'timezone' applies to cron() and at() only"));
  // Cooldowns are whole seconds; the statistic is the serverless metric's.
  CHECK_THAT(load(serverless, "      target_tracking: {target: 0.5, scale_out_cooldown: 500ms}\n"),
             Catch::Contains("'scale_out_cooldown' is a whole number of seconds (AWS "
                             "ScaleOutCooldown)"));
  CHECK_THAT(load(real_time, "      target_tracking: {target: 600, statistic: Maximum}\n"),
             Catch::Contains("'statistic' applies to "
                             "SageMakerVariantProvisionedConcurrencyUtilization"));
  // A wrong datapoints count is reported once, not compared with a default the user never wrote.
  const std::string alarm =
      load(serverless,
           "      target_tracking: {target: 0.5, scale_out_alarm: {datapoints: 0, "
           "periods: 1}}\n");
  CHECK_THAT(alarm, Catch::Contains("'datapoints' is 0, outside the allowed range 1 to 100"));
  CHECK_THAT(alarm, !Catch::Contains("cannot exceed periods"));
}

TEST_CASE("a real-time instance must hold the model it serves", "[loader]") {
  const auto load = [](const char* type) {
    return all(load_text(std::string("duration: 1h\nendpoints:\n  - name: rt\n    kind: real_time\n"
                                     "    instance_type: ") +
                         type +
                         "\n    model: {loaded_size: 5GB}\n"
                         "    traffic: [{type: poisson, rate: 1/s}]\n"));
  };
  CHECK_THAT(load("ml.t3.medium"),
             Catch::Contains(":5:20: instance type 'ml.t3.medium' has 4 GB of memory, less than "
                             "model"));
  CHECK(load("ml.m5.xlarge").empty());
}

TEST_CASE("a traffic profile may start and end at UTC date-times", "[loader]") {
  std::string text = std::string(kValid) + "start: 2027-03-01T00:00:00Z\n";
  text.replace(text.find("{type: poisson, rate: 1/s}"), 26,
               "{type: poisson, rate: 1/s, start: 2027-03-01T00:05:00Z, end: 8min}");
  const LoadResult r = load_text(text);
  INFO(all(r));
  REQUIRE(r.ok());
  REQUIRE(r.scenario.endpoints[0].traffic[0].start == Duration::minutes(5));
  REQUIRE(r.scenario.endpoints[0].traffic[0].end == Duration::minutes(8));
  std::string early = std::string(kValid) + "start: 2027-03-01T00:00:00Z\n";
  early.replace(early.find("{type: poisson, rate: 1/s}"), 26,
                "{type: poisson, rate: 1/s, start: 2027-02-28T00:00:00Z}");
  REQUIRE_THAT(all(load_text(early)), Catch::Contains("is before the scenario's start"));
}

TEST_CASE("reading a scenario leaves its document as written", "[loader]") {
  // The second profile has more work than the first: remembering it as the largest must not
  // overwrite the first (yaml-cpp nodes alias), here or in an endpoint that reuses the list.
  const LoadResult r = load_text(R"(name: t
duration: 1h
models: {m: {artifact_size: 10MB, load: 1s, inference: 10ms}}
endpoints:
  - name: a
    memory: 2GB
    max_concurrency: 5
    model: m
    traffic: &t
      - {type: poisson, name: small, rate: 1/s}
      - {type: poisson, name: big, rate: 20/s}
  - name: b
    memory: 2GB
    max_concurrency: 5
    model: m
    traffic: *t
)");
  INFO(all(r));
  REQUIRE(r.ok());
  REQUIRE(r.scenario.endpoints[1].traffic[0].name == "small");
  REQUIRE_THAT(r.effective_yaml, Catch::Contains("small") && Catch::Contains("big"));
}
