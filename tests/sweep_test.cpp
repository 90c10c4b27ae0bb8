// Sweeps (sweep.hpp, grid.hpp): grids, common random numbers across configurations, shards
// merged byte for byte, resuming.
#include "slsim/sweep.hpp"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "files.hpp"
#include "test_support.hpp"

using namespace slsim;
namespace fs = std::filesystem;

using slsim::testing::fresh_path;
using slsim::testing::read;
using slsim::testing::sh;
using slsim::testing::sh_output;

namespace {

const std::string kSlsim = SLSIM_BINARY;
const std::string kScenarios = std::string(SLSIM_SOURCE_DIR) + "/scenarios/";

GridAxis axis(const std::string& text) {
  std::string error;
  const auto a = parse_grid_axis(text, error);
  INFO(error);
  REQUIRE(a.has_value());
  return *a;
}

}  // namespace

TEST_CASE("grid axes: lists, ranges with units and steps, and what is wrong", "[sweep]") {
  REQUIRE(axis("memory=1GB..6GB:1GB").values ==
          std::vector<std::string>{"1GB", "2GB", "3GB", "4GB", "5GB", "6GB"});
  REQUIRE(axis("provisioned_concurrency=0..3").values ==
          std::vector<std::string>{"0", "1", "2", "3"});
  REQUIRE(axis("autoscaling.target_tracking.target=0.4..0.7:0.1").values ==
          std::vector<std::string>{"0.4", "0.5", "0.6", "0.7"});
  REQUIRE(axis("max_concurrency=20,50,200").values == std::vector<std::string>{"20", "50", "200"});
  const Grid grid({axis("a=1,2"), axis("b=x,y,z")});
  REQUIRE(grid.size() == 6);
  REQUIRE(grid.overrides(4) == std::vector<std::string>{"a=2", "b=y"});  // the last varies fastest
  std::string error;
  REQUIRE_FALSE(parse_grid_axis("memory=1GB..6000MB:1GB", error));
  REQUIRE_THAT(error, Catch::Contains("in the same unit"));
  REQUIRE_FALSE(parse_grid_axis("memory", error));
  REQUIRE_THAT(error, Catch::Contains("memory=1GB..6GB:1GB"));
  REQUIRE_FALSE(parse_grid_axis("x=5..1", error));
  REQUIRE_THAT(error, Catch::Contains("low <= high"));
  // A value holding ".." that does not start with a number is a list value, not a range.
  REQUIRE(axis("traffic.0.file=../a.csv,../b.csv").values ==
          std::vector<std::string>{"../a.csv", "../b.csv"});
  // An exponent is not taken for a unit ('e-3GB').
  REQUIRE_FALSE(parse_grid_axis("memory=1GB..6GB:1e-3GB", error));
  REQUIRE_THAT(error, Catch::Contains("without an exponent (0.001, not 1e-3)"));
  REQUIRE_FALSE(parse_grid_axis("x=1E2..1E3", error));
  REQUIRE_THAT(error, Catch::Contains("without an exponent"));
}

TEST_CASE("grids that cannot mean what they say are refused before anything runs", "[sweep][cli]") {
  const std::string sweep = kSlsim + " sweep " + kScenarios + "sweep-day.yaml --dry-run ";
  const auto refused = [&](const std::string& args, int status, const std::string& message) {
    const auto [got, text] = sh_output(sweep + args);
    INFO(args << " → " << text);
    CHECK(got == status);
    CHECK_THAT(text, Catch::Contains(message));
  };
  // Command-line mistakes (exit 2): one of two values would silently win, or the axis is what
  // common random numbers hold fixed.
  refused("--grid memory=1GB,2GB --grid memory=3GB", 2, "--grid names 'memory' twice");
  refused("--grid memory=1GB,2GB --set memory=3GB", 2, "give the same path; drop the --set");
  refused("--grid replications=1,3", 2, "use -r");
  refused("--grid seed=1,2", 2, "use --seed");
  refused("--grid memory", 2, "write path=a,b,c");
  // No valid configuration (exit 1), named as the user wrote it: --grid, not --set.
  refused("--grid memroy=1GB,2GB", 1,
          "no configuration of the grid is valid; the first: " + kScenarios +
              "sweep-day.yaml: --grid 'memroy=1GB': unknown key 'memroy'");
  refused("--grid memory=7GB,8GB", 1, "--grid 'memory=7GB': memory 7168 MB is not one of");
}

TEST_CASE("a sharded sweep merged equals the unsharded sweep, byte for byte", "[sweep][cli]") {
  const fs::path whole = fresh_path("whole"), merged = fresh_path("merged");
  const std::string sweep = kSlsim + " sweep " + kScenarios +
                            "steady-poisson.yaml -q -r 3 --grid memory=1GB..3GB:1GB "
                            "--grid provisioned_concurrency=0..2 --grid max_concurrency=1,20";
  REQUIRE(sh(sweep + " -j 2 --out " + whole.string()) == 0);
  std::string parts;
  for (int k = 1; k <= 4; ++k) {
    const fs::path part = fresh_path("part" + std::to_string(k));
    REQUIRE(sh(sweep + " -j 1 --shard " + std::to_string(k) + "/4 --out " + part.string()) == 0);
    parts += " " + part.string();
  }
  REQUIRE(sh(kSlsim + " merge" + parts + " --out " + merged.string()) == 0);
  for (const char* f : {"sweep.csv", "jobs.txt", "manifest.txt"}) {
    INFO(f);
    REQUIRE(read(whole / f).size() > 100);
    REQUIRE(read(whole / f) == read(merged / f));
  }
  // 18 configurations and a header.
  const std::string csv = read(whole / "sweep.csv");
  REQUIRE(std::count(csv.begin(), csv.end(), '\n') == 19);
  // An incomplete or mixed set of parts is refused.
  REQUIRE(sh(kSlsim + " merge" + parts.substr(0, parts.rfind(' ')) + " --out " +
             fresh_path("bad").string()) == 1);
  for (int k = 1; k <= 4; ++k) fs::remove_all(fresh_path("part" + std::to_string(k)));
  fs::remove_all(whole);
  fs::remove_all(merged);
}

TEST_CASE("a resumed sweep runs only the missing jobs and ends the same", "[sweep][cli]") {
  const fs::path whole = fresh_path("once"), resumed = fresh_path("resumed");
  const std::string sweep = kSlsim + " sweep " + kScenarios +
                            "steady-poisson.yaml -q -r 2 --grid provisioned_concurrency=0..3";
  REQUIRE(sh(sweep + " --out " + whole.string()) == 0);
  // As if killed: half the jobs written, the last line cut off, no sweep.csv.
  fs::create_directories(resumed);
  fs::copy_file(whole / "manifest.txt", resumed / "manifest.txt");
  const std::string jobs = read(whole / "jobs.txt");
  size_t cut = 0;
  for (int line = 0; line < 4; ++line) cut = jobs.find('\n', cut) + 1;
  std::ofstream(resumed / "jobs.txt", std::ios::binary) << jobs.substr(0, cut + 40);
  REQUIRE(sh(sweep + " --out " + resumed.string()) == 1);  // not without --resume
  REQUIRE(sh(sweep + " --resume --out " + resumed.string()) == 0);
  REQUIRE(read(resumed / "sweep.csv") == read(whole / "sweep.csv"));
  REQUIRE(read(resumed / "jobs.txt") == jobs);
  fs::remove_all(whole);
  fs::remove_all(resumed);
}

TEST_CASE("common random numbers make a difference's confidence interval narrower", "[sweep]") {
  // Provisioned concurrency 1 vs 2 on the same requests: the per-replication difference of
  // their p99 and of their cost varies far less than between independent runs.
  using namespace slsim::testing;
  Scenario a = one_endpoint(Duration::minutes(30), 4.0, Distribution::exponential(0.2), 20, 1,
                            Duration::seconds(30));
  a.platform = PlatformConfig{};  // real cold starts
  a.pricing.provisioned_concurrency.fill(2e-5);
  a.pricing.on_demand_inference.fill(4e-5);
  Scenario b = a;
  b.endpoints[0].provisioned_concurrency = 2;
  Scenario b_independent = b;
  b_independent.seed = a.seed + 1000;
  const auto names = figure_names(a);
  const auto index = [&](const std::string& name) {
    return static_cast<size_t>(std::find(names.begin(), names.end(), name) - names.begin());
  };
  const auto figures = [&](const Scenario& s, int k) {
    std::vector<double> out;
    for (const auto& [n, v] : total_figures(s, Simulation(s, k).run())) out.push_back(v);
    return out;
  };
  for (const char* name : {"cost_usd.total", "latency_s.p99"}) {
    Figure common{name}, independent{name};
    for (int k = 0; k < 20; ++k) {
      const auto fa = figures(a, k);
      common.add(figures(b, k)[index(name)] - fa[index(name)]);
      independent.add(figures(b_independent, k)[index(name)] - fa[index(name)]);
    }
    INFO(name << ": common " << common.ci95() << " independent " << independent.ci95());
    REQUIRE(common.ci95() < 0.7 * independent.ci95());
  }
}

TEST_CASE("a trace row that cannot be replayed stops sweep and plan; --skip-bad-rows counts it",
          "[sweep][cli][trace]") {
  const std::string scenario = std::string(SLSIM_SOURCE_DIR) + "/tests/traces/malformed.yaml";
  const std::string where = "/tests/traces/malformed.csv:4:1: timestamp '1.5x'";
  const std::string grid = " --grid max_concurrency=1,5 -q";
  const fs::path out = fresh_path("bad-row-sweep");
  // Without the flag: the error at file:line:column, exit 1, and no sweep folder left behind.
  const auto [status, text] =
      sh_output(kSlsim + " sweep " + scenario + grid + " --out " + out.string());
  REQUIRE(status == 1);
  REQUIRE_THAT(text, Catch::Contains(where) && Catch::Contains("nothing was written"));
  REQUIRE_FALSE(fs::exists(out));
  const auto [plan_status, plan_text] =
      sh_output(kSlsim + " plan " + scenario + grid + " --slo 'p99<=1s' --real-time none --out " +
                out.string());
  REQUIRE(plan_status == 1);
  REQUIRE_THAT(plan_text, Catch::Contains(where));
  REQUIRE_FALSE(fs::exists(out));
  // With it: the rows are left out of every job and counted; the other three are replayed.
  const auto [skip_status, skip_text] =
      sh_output(kSlsim + " sweep " + scenario + grid + " --skip-bad-rows --out " + out.string());
  REQUIRE(skip_status == 0);
  REQUIRE_THAT(skip_text,
               Catch::Contains("skipped 2 bad trace rows in each run") && Catch::Contains(where));
  const std::string csv = read(out / "sweep.csv");
  REQUIRE_THAT(csv, Catch::Contains("\n0,1,,,3,") && Catch::Contains("\n1,5,,,3,"));
  fs::remove_all(out);
}

TEST_CASE("an interrupted sweep keeps its finished jobs and resumes to the same result",
          "[sweep][cli]") {
  const fs::path whole = fresh_path("whole"), stopped = fresh_path("stopped");
  // About 2.5 s of work on two cores; SIGINT arrives after 0.5 s.
  const std::string sweep = kSlsim + " sweep " + kScenarios +
                            "sweep-day.yaml -q -j 2 -r 30 --grid provisioned_concurrency=0..1";
  REQUIRE(sh("timeout --preserve-status -s INT 0.5 " + sweep + " --out " + stopped.string()) ==
          130);
  CHECK_FALSE(fs::exists(stopped / "sweep.csv"));
  REQUIRE(fs::exists(stopped / "jobs.txt"));
  REQUIRE(sh(sweep + " --resume --out " + stopped.string()) == 0);
  REQUIRE(sh(sweep + " --out " + whole.string()) == 0);
  REQUIRE(read(stopped / "sweep.csv") == read(whole / "sweep.csv"));
  REQUIRE(read(stopped / "jobs.txt") == read(whole / "jobs.txt"));
  fs::remove_all(whole);
  fs::remove_all(stopped);
}

namespace {

// A finished sweep over sweep-day (2 configurations × 2 replications) in `dir`.
std::string day_sweep(const fs::path& dir, const std::string& extra = "") {
  const std::string sweep = kSlsim + " sweep " + kScenarios +
                            "sweep-day.yaml --set duration=10min --grid memory=1GB,2GB -r 2 -j 1 "
                            "-q" +
                            extra;
  REQUIRE(sh(sweep + " --out " + dir.string()) == 0);
  return sweep;
}

// `text` with its line `n` (1-based) replaced by `line`.
std::string with_line(const std::string& text, size_t n, const std::string& line) {
  size_t from = 0;
  for (size_t i = 1; i < n; ++i) from = text.find('\n', from) + 1;
  return text.substr(0, from) + line + text.substr(text.find('\n', from));
}

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

}  // namespace

TEST_CASE("sweep --resume and merge refuse a jobs.txt line that is not one of the sweep's jobs",
          "[sweep][cli]") {
  const fs::path whole = fresh_path("jobs-whole"), bad = fresh_path("jobs-bad");
  const std::string sweep = day_sweep(whole);
  const std::string jobs = read(whole / "jobs.txt");
  const std::string line1 = first_line(jobs);
  REQUIRE(line1.rfind("job 0 0 ", 0) == 0);
  const std::string after = line1.substr(8);  // the figure count and values
  // Line 2 with its first figure value replaced by a word.
  const std::string line2 = first_line(jobs.substr(jobs.find('\n') + 1));
  const size_t count_end = line2.find(' ', 8), value_end = line2.find(' ', count_end + 1);
  const std::string first_figures = line2.substr(8, count_end - 8), rest = line2.substr(value_end);
  struct Case {
    std::string jobs, where, what;
  };
  const Case cases[] = {
      {with_line(jobs, 1, "job 99 0 " + after), "jobs.txt:1:", "no configuration 99"},
      {with_line(jobs, 1, "job 0 5 " + after), "jobs.txt:1:", "replications 0..1"},
      {jobs + line1 + "\n", "jobs.txt:5:", "also on line 1"},
      {with_line(jobs, 2, "job 0 1 2 1 2 0"), "jobs.txt:2:", "2 figure values"},
      {with_line(jobs, 2, "job 0 1 " + first_figures + " abc" + rest),
       "jobs.txt:2:", "not a job line"}};
  for (const Case& c : cases) {
    INFO(c.what);
    fs::remove_all(bad);
    fs::copy(whole, bad);
    std::ofstream(bad / "jobs.txt", std::ios::binary) << c.jobs;
    const auto [status, text] = sh_output(sweep + " --resume --out " + bad.string());
    INFO(text);
    REQUIRE(status == 1);
    REQUIRE_THAT(text, Catch::Contains(c.where) && Catch::Contains(c.what) &&
                           Catch::Contains("run the sweep again"));
    REQUIRE(read(bad / "jobs.txt") == c.jobs);  // nothing lost
  }
  // merge checks each part's lines against its shard.
  const fs::path part1 = fresh_path("jobs-part1"), part2 = fresh_path("jobs-part2");
  REQUIRE(sh(sweep + " --shard 1/2 --out " + part1.string()) == 0);
  REQUIRE(sh(sweep + " --shard 2/2 --out " + part2.string()) == 0);
  const std::string part_jobs = read(part1 / "jobs.txt");
  std::ofstream(part1 / "jobs.txt", std::ios::binary)
      << part_jobs + first_line(read(part2 / "jobs.txt")) + "\n";
  const auto [status, text] = sh_output(kSlsim + " merge " + part1.string() + " " + part2.string() +
                                        " --out " + bad.string() + "-merged");
  INFO(text);
  REQUIRE(status == 1);
  REQUIRE_THAT(text, Catch::Contains("jobs.txt:3:") && Catch::Contains("another shard"));
  REQUIRE_FALSE(fs::exists(bad.string() + "-merged"));
  for (const fs::path& p : {whole, bad, part1, part2}) fs::remove_all(p);
}

TEST_CASE("merge names a part's malformed manifest.txt line instead of failing inside",
          "[sweep][cli]") {
  const fs::path part1 = fresh_path("manifest-part1"), part2 = fresh_path("manifest-part2"),
                 merged = fresh_path("manifest-merged");
  const std::string sweep = kSlsim + " sweep " + kScenarios +
                            "steady-poisson.yaml -q -r 2 --grid provisioned_concurrency=0..1";
  REQUIRE(sh(sweep + " --shard 1/2 --out " + part1.string()) == 0);
  REQUIRE(sh(sweep + " --shard 2/2 --out " + part2.string()) == 0);
  const std::string manifest = read(part2 / "manifest.txt");
  const size_t at = manifest.find("replications=2\n");
  REQUIRE(at != std::string::npos);
  const auto line = std::count(manifest.begin(), manifest.begin() + at, '\n') + 1;
  const std::string where = (part2 / "manifest.txt").string() + ":" + std::to_string(line) + ":";
  for (const std::string replications : {"three", "0", "2x", "-1"}) {
    INFO(replications);
    std::ofstream(part2 / "manifest.txt", std::ios::binary)
        << manifest.substr(0, at) + "replications=" + replications +
               manifest.substr(at + std::string("replications=2").size());
    const auto [status, text] = sh_output(kSlsim + " merge " + part1.string() + " " +
                                          part2.string() + " --out " + merged.string());
    INFO(text);
    REQUIRE(status == 1);
    REQUIRE_THAT(text, Catch::Contains(where) && Catch::Contains("replications") &&
                           !Catch::Contains("internal error") && !Catch::Contains("changed"));
    REQUIRE_FALSE(fs::exists(merged));
  }
  // A shard line that is not K/N with 1 <= K <= N.
  std::ofstream(part2 / "manifest.txt", std::ios::binary)
      << manifest.substr(0, manifest.find("shard=")) + "shard=3/2\n";
  const auto [status, text] = sh_output(kSlsim + " merge " + part1.string() + " " + part2.string() +
                                        " --out " + merged.string());
  INFO(text);
  REQUIRE(status == 1);
  REQUIRE_THAT(text, Catch::Contains("manifest.txt:") && Catch::Contains("shard"));
  for (const fs::path& p : {part1, part2, merged}) fs::remove_all(p);
}

TEST_CASE("sweep --resume and merge refuse when a trace or the pricing file has changed",
          "[sweep][cli][trace]") {
  const fs::path dir = fresh_path("changed-inputs");
  fs::create_directories(dir);
  fs::copy_file(std::string(SLSIM_SOURCE_DIR) + "/tests/traces/requests.csv", dir / "requests.csv");
  fs::copy_file(std::string(SLSIM_SOURCE_DIR) + "/pricing/us-east-1.yaml", dir / "pricing.yaml");
  std::ofstream(dir / "trace.yaml") << R"(name: trace-sweep
duration: 1min
pricing: pricing.yaml
endpoints:
  - name: api
    memory: 2048MB
    max_concurrency: 5
    traffic:
      - {type: trace_csv, file: requests.csv, timestamp_unit: s,
         ignore_columns: [model, bytes, service_ms, status]}
)";
  const std::string sweep =
      kSlsim + " sweep " + (dir / "trace.yaml").string() + " -q -r 2 --grid max_concurrency=1,5";
  const fs::path whole = dir / "whole", part1 = dir / "part1", part2 = dir / "part2";
  REQUIRE(sh(sweep + " --out " + whole.string()) == 0);
  REQUIRE(sh(sweep + " --shard 1/2 --out " + part1.string()) == 0);
  REQUIRE(sh(sweep + " --shard 2/2 --out " + part2.string()) == 0);
  REQUIRE(sh(sweep + " --resume --out " + whole.string()) == 0);  // nothing changed
  const std::string merge = kSlsim + " merge " + part1.string() + " " + part2.string() + " --out ";
  for (const char* file : {"requests.csv", "pricing.yaml"}) {
    INFO(file);
    const std::string before = read(dir / file);
    std::ofstream(dir / file, std::ios::app) << (file[0] == 'r' ? "30,fraud,1,1,200\n" : "#\n");
    const std::string manifest = read(whole / "manifest.txt");
    const auto [status, text] = sh_output(sweep + " --resume --out " + whole.string());
    INFO(text);
    REQUIRE(status == 1);
    REQUIRE_THAT(text, Catch::Contains((dir / file).string() + " changed since the sweep ran"));
    REQUIRE(read(whole / "manifest.txt") == manifest);
    const auto [merge_status, merge_text] = sh_output(merge + (dir / "merged").string());
    INFO(merge_text);
    REQUIRE(merge_status == 1);
    REQUIRE_THAT(merge_text,
                 Catch::Contains((dir / file).string() + " changed since the sweep ran"));
    REQUIRE_FALSE(fs::exists(dir / "merged"));
    std::ofstream(dir / file, std::ios::binary) << before;
  }
  REQUIRE(sh(merge + (dir / "merged").string()) == 0);
  REQUIRE(read(dir / "merged" / "sweep.csv") == read(whole / "sweep.csv"));
  fs::remove_all(dir);
}

TEST_CASE("sweep and merge refuse an --out holding what they did not write; nothing is written",
          "[sweep][cli]") {
  const fs::path dir = fresh_path("sweep-out");
  const fs::path plan = dir / "plan", file = dir / "file", part1 = dir / "part1",
                 part2 = dir / "part2", merged = dir / "merged";
  fs::create_directories(plan);
  std::ofstream(plan / "plan.txt") << "a plan\n";
  std::ofstream(plan / "sweep.csv") << "the plan's sweep\n";
  std::ofstream(file) << "a file\n";
  const std::string sweep = kSlsim + " sweep " + kScenarios +
                            "steady-poisson.yaml -q -r 2 --grid provisioned_concurrency=0..1";
  const auto refused = [](const std::string& command, const std::string& what) {
    const auto [status, text] = sh_output(command);
    INFO(command << "\n" << text);
    REQUIRE(status == 1);
    REQUIRE_THAT(text, Catch::Contains(what));
  };
  refused(sweep + " --out " + plan.string(), "holds 'plan.txt', which slsim sweep does not write");
  REQUIRE(read(plan / "sweep.csv") == "the plan's sweep\n");
  REQUIRE_FALSE(fs::exists(plan / "manifest.txt"));
  REQUIRE_FALSE(fs::exists(plan / "jobs.txt"));
  refused(sweep + " --out " + file.string(), "cannot create --out folder");
  refused(sweep + " --out " + file.string(), "exists and is not a folder");
  REQUIRE(read(file) == "a file\n");

  REQUIRE(sh(sweep + " --shard 1/2 --out " + part1.string()) == 0);
  REQUIRE(sh(sweep + " --shard 2/2 --out " + part2.string()) == 0);
  const std::string part_manifest = read(part1 / "manifest.txt");
  const std::string merge = kSlsim + " merge " + part1.string() + " " + part2.string() + " --out ";
  refused(merge + part1.string(), "is one of the parts");
  REQUIRE(read(part1 / "manifest.txt") == part_manifest);
  REQUIRE_FALSE(fs::exists(part1 / "sweep.csv"));
  fs::copy(part2, dir / "other-part");
  refused(merge + (dir / "other-part").string(), "holds a shard's manifest.txt");
  refused(merge + plan.string(), "holds 'plan.txt'");
  REQUIRE_FALSE(fs::exists(plan / "manifest.txt"));
  // A whole sweep of other configurations is not replaced; the same sweep merged again is.
  REQUIRE(sh(kSlsim + " sweep " + kScenarios + "steady-poisson.yaml -q -r 1 --out " +
             merged.string()) == 0);
  const std::string other = read(merged / "manifest.txt");
  refused(merge + merged.string(), "holds another sweep");
  REQUIRE(read(merged / "manifest.txt") == other);
  fs::remove_all(merged);
  REQUIRE(sh(merge + merged.string()) == 0);
  REQUIRE(sh(merge + merged.string()) == 0);
  fs::remove_all(dir);
}

TEST_CASE("plan --out a sweep folder says it holds a sweep", "[sweep][cli]") {
  const fs::path out = fresh_path("plan-into-sweep");
  const std::string scenario = kScenarios + "steady-poisson.yaml -q -r 1";
  REQUIRE(sh(kSlsim + " sweep " + scenario + " --out " + out.string()) == 0);
  const std::string manifest = read(out / "manifest.txt");
  const auto [status, text] = sh_output(kSlsim + " plan " + scenario +
                                        " --slo 'p99<=1s' --real-time none --out " + out.string());
  INFO(text);
  REQUIRE(status == 1);
  REQUIRE_THAT(text, Catch::Contains("holds a sweep (manifest.txt)") &&
                         Catch::Contains("choose another --out") &&
                         !Catch::Contains("did not write"));
  REQUIRE(read(out / "manifest.txt") == manifest);
  fs::remove_all(out);
}

TEST_CASE("merge says where it needs the scenario when the scenario file has moved",
          "[sweep][cli]") {
  const fs::path dir = fresh_path("moved-scenario");
  fs::create_directories(dir);
  fs::copy_file(kScenarios + "steady-poisson.yaml", dir / "s.yaml");
  const std::string sweep = kSlsim + " sweep " + (dir / "s.yaml").string() + " -q -r 2";
  REQUIRE(sh(sweep + " --shard 1/2 --out " + (dir / "p1").string()) == 0);
  REQUIRE(sh(sweep + " --shard 2/2 --out " + (dir / "p2").string()) == 0);
  fs::rename(dir / "s.yaml", dir / "moved.yaml");
  const auto [status, text] = sh_output(kSlsim + " merge " + (dir / "p1").string() + " " +
                                        (dir / "p2").string() + " --out " + (dir / "all").string());
  INFO(text);
  REQUIRE(status == 1);
  REQUIRE_THAT(text, Catch::Contains((dir / "s.yaml").string() + ", which cannot be read") &&
                         Catch::Contains("merge needs it at that path") &&
                         !Catch::Contains("the scenario itself is invalid"));
  REQUIRE_FALSE(fs::exists(dir / "all"));
  fs::remove_all(dir);
}

TEST_CASE("sweep --keep-runs with --shard is a command-line mistake", "[sweep][cli]") {
  const fs::path out = fresh_path("keep-shard");
  const auto [status, text] = sh_output(kSlsim + " sweep " + kScenarios +
                                        "steady-poisson.yaml -q -r 1 --keep-runs --shard 1/2 "
                                        "--out " +
                                        out.string());
  INFO(text);
  REQUIRE(status == 2);
  REQUIRE_THAT(text, Catch::Contains("--keep-runs") && Catch::Contains("without --shard") &&
                         Catch::Contains("merged"));
  REQUIRE_FALSE(fs::exists(out));
}
