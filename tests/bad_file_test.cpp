// The bad-input battery, files and options: broken YAML documents, paths that are not files,
// bad pricing, calibration and CSV files, bad --set overrides and command-line mistakes.
// Each case asserts the exit status, the file with line and column (or the option), what is
// wrong, and that nothing was written (bad_input.hpp).
#include <fmt/format.h>

#include <algorithm>

#include "bad_input.hpp"

using namespace slsim::bad_input;

TEST_CASE("broken YAML documents are reported, never half-read", "[bad-input][yaml]") {
  std::string nul = kBase;
  nul[kBase.find("10min") + 2] = '\0';
  const std::vector<Case> cases = {
      {"empty file", "", {}, "s.yaml:1:1: the scenario file is empty (or holds only comments)"},
      {"comments only",
       "# nothing here\n   # really\n",
       {},
       "s.yaml:1:1: the scenario file is empty"},
      {"duplicate top-level key",
       kBase + "name: u\n",
       {},
       "s.yaml:15:1: key 'name' is given twice in this mapping (first at line 1)"},
      {"duplicate key in a flow mapping",
       with(kPoisson, "{type: poisson, rate: 1/s, rate: 2/s}"),
       {},
       "s.yaml:14:36: key 'rate' is given twice"},
      {"a second document",
       kBase + "---\nname: other\n",
       {},
       "s.yaml:15:1: a second YAML document starts here"},
      {"an empty second document",
       kBase + "---\n",
       {},
       "s.yaml:15:1: a second YAML document starts here"},
      {"a NUL byte", nul, {}, "s.yaml:2:13: the scenario file contains a NUL byte"},
      {"a key that is a list",
       "? [a, b]\n: 1\n" + kBase,
       {},
       "s.yaml:1:3: a key must be a plain name or number"},
      {"a syntax error", with("memory: 2048MB", "memory: [2048MB"), {}, "YAML syntax error"},
      {"nesting 10000 deep",
       "x: " + std::string(10000, '[') + std::string(10000, ']') + "\n",
       {},
       "YAML nests deeper than 500 levels here"},
      {"a billion laughs with --set (used to hang)",
       laughs(),
       {"--set", "traffic.rate=2/s"},
       "aliases expand this document to more than"},
      {"a lone comma (found by fuzz_scenario: hung yaml-cpp)",
       ",\n",
       {},
       "s.yaml:1:1: YAML syntax error: the parser cannot go on from here"},
      {"an alias inside itself (a cycle)",
       "a: &a [*a]\n" + kBase,
       {},
       "s.yaml:1:4: an alias refers to a value that contains it"},
      {"a mapping alias inside itself",
       "a: &a {b: *a}\n" + kBase,
       {},
       "an alias refers to a value that contains it"},
      {"a scalar document",
       "just words\n",
       {},
       "s.yaml:1:1: a scenario file must be a mapping of keys to values"},
      {"endpoints a mapping",
       with("endpoints:\n", "endpoints: {a: 1}\nx:\n"),
       {},
       "s.yaml:8:12: 'endpoints' must be a non-empty list"},
  };
  for (const Case& c : cases) {
    const fs::path dir = case_dir(c.name);
    std::ofstream(dir / "s.yaml", std::ios::binary) << c.scenario;
    check(c, dir);
    fs::remove_all(dir);
  }
}

TEST_CASE("a scenario path that is not a readable file says so, naming it", "[bad-input][files]") {
  const fs::path dir = case_dir("paths");
  fs::create_directories(dir / "s.yaml");  // a folder where the scenario should be
  check({"a folder as the scenario",
         "",
         {},
         "s.yaml: cannot read the scenario file: the path is a folder, not a file"},
        dir);
  fs::remove_all(dir / "s.yaml");
  check({"no such file", "", {}, "s.yaml: cannot read the scenario file: the path does not exist"},
        dir);
  fs::remove_all(dir);
}

TEST_CASE("bad pricing, calibration and CSV files are reported with their own positions",
          "[bad-input][files]") {
  const std::string valid_pricing =
      "region: r\n"
      "on_demand_inference_per_second: {1024MB: 1, 2048MB: 1, 3072MB: 1, 4096MB: 1, 5120MB: 1, "
      "6144MB: 1}\n"
      "provisioned_concurrency_per_second: {1024MB: 1, 2048MB: 1, 3072MB: 1, 4096MB: 1, 5120MB: "
      "1, 6144MB: 1}\n"
      "provisioned_inference_per_second: {1024MB: 1, 2048MB: 1, 3072MB: 1, 4096MB: 1, 5120MB: 1, "
      "6144MB: 1}\n"
      "data_processing_per_gb: 0.016\n";
  const std::string cal =
      std::string(SLSIM_SOURCE_DIR) + "/scenarios/calibrations/abalone-xgb.yaml";
  std::ifstream cal_in(cal);
  std::stringstream cal_text;
  cal_text << cal_in.rdbuf();
  const std::string calibration = cal_text.str();
  // "line:column" of `needle` in the calibration file, shifted by `lines` and `columns`: the
  // positions follow the bundled file rather than being written in.
  const auto position = [&](const std::string& needle, int lines, size_t columns) {
    const size_t at = calibration.find(needle);
    REQUIRE(at != std::string::npos);
    const size_t line_start = calibration.rfind('\n', at) + 1;  // npos + 1 == 0
    const auto line = std::count(calibration.begin(), calibration.begin() + at, '\n') + 1 + lines;
    return fmt::format("{}:{}", line, at - line_start + 1 + columns);
  };
  const std::string with_pricing = with("name: t\n", "name: t\npricing: p.yaml\n");
  const std::string with_calibration = with(
      "    image_size: 1GB\n", "    image_size: 1GB\n    calibration: c.yaml\n    trees: 2000\n");
  const std::string with_csv = with(
      "    image_size: 1GB\n", "    inference: {empirical: {file: d.csv, column: v, unit: ms}}\n");
  struct FileCase {
    Case c;
    std::string file, content;
  };
  const std::vector<FileCase> cases = {
      {{"pricing key that is a list (used to abort)",
        with_pricing,
        {},
        "p.yaml:1:3: a key must be a plain name"},
       "p.yaml",
       "? [1024MB]\n: 1\n" + valid_pricing},
      {{"pricing price that is a mapping (used to abort)",
        with_pricing,
        {},
        "p.yaml:2:53: 'on_demand_inference_per_second' for 2048MB must be a price in dollars"},
       "p.yaml",
       with(valid_pricing, "2048MB: 1,", "2048MB: {a: 1},")},
      {{"pricing price infinite",
        with_pricing,
        {},
        "p.yaml:2:53: 'on_demand_inference_per_second' for 2048MB: '.inf' is not a number"},
       "p.yaml",
       with(valid_pricing, "2048MB: 1,", "2048MB: .inf,")},
      {{"pricing memory given twice",
        with_pricing,
        {},
        "p.yaml:2:45: 'on_demand_inference_per_second' prices 1024 MB twice"},
       "p.yaml",
       with(valid_pricing, "2048MB: 1,", "1GB: 1, 2048MB: 1,")},
      {{"pricing empty", with_pricing, {}, "p.yaml:1:1: the pricing file is empty"}, "p.yaml", ""},
      {{"pricing a folder",
        with_pricing,
        {},
        "p.yaml: cannot read the pricing file: the path is a folder"},
       "p.yaml/",
       ""},
      {{"calibration a folder (used to abort)",
        with_calibration,
        {},
        "c.yaml: cannot read the calibration file: the path is a folder"},
       "c.yaml/",
       ""},
      {{"calibration fit NaN",
        with_calibration,
        {},
        "c.yaml:" + position("coefficient: 3.58555e-05", 0, 13) +
            ": size_fit 'model_load_s': 'coefficient' must be a number from"},
       "c.yaml",
       with(calibration, "coefficient: 3.58555e-05", "coefficient: .nan")},
      {{"calibration fit negative", with_calibration, {}, "'coefficient' must be a number from"},
       "c.yaml",
       with(calibration, "coefficient: 3.58555e-05", "coefficient: -1")},
      {{"calibration fit 1e300", with_calibration, {}, "'coefficient' must be a number from"},
       "c.yaml",
       with(calibration, "coefficient: 3.58555e-05", "coefficient: 1e300")},
      {{"calibration fit that predicts centuries",
        with_calibration,
        {},
        "its size fit predicts a model load time of"},
       "c.yaml",
       with(calibration, "exponent: 1.05864", "exponent: 9")},
      {{"calibration duplicate key",
        with_calibration,
        {},
        "c.yaml:" + position("slsim_calibration:", 1, 0) +
            ": key 'slsim_calibration' is given twice in this mapping (first at line 1)"},
       "c.yaml",
       "slsim_calibration: 1\n" + calibration},
      {{"CSV sample of 1e300",
        with_csv,
        {},
        "s.yaml:7:16: 'inference': its largest value is 1e+297 s"},
       "d.csv",
       "v\n1\n1e300\n"},
      {{"CSV cell NaN", with_csv, {}, "d.csv:3:1: 'nan' is not a number"}, "d.csv", "v\n1\nnan\n"},
      {{"CSV short row", with_csv, {}, "d.csv:2:2: the row has 1 cells, but column 'v' is cell 2"},
       "d.csv",
       "u,v\n1\n"},
      {{"CSV without the column", with_csv, {}, "d.csv:1:1: no column 'v' in the header"},
       "d.csv",
       "x\n1\n"},
      {{"CSV a folder", with_csv, {}, "d.csv': it is a folder, not a CSV file"}, "d.csv/", ""},
  };
  for (const FileCase& f : cases) {
    const fs::path dir = case_dir(f.c.name);
    std::ofstream(dir / "s.yaml") << f.c.scenario;
    if (f.file.back() == '/')
      fs::create_directories(dir / f.file);
    else
      std::ofstream(dir / f.file, std::ios::binary) << f.content;
    check(f.c, dir);
    fs::remove_all(dir);
  }
}

TEST_CASE("bad --set overrides name the option", "[bad-input][overrides]") {
  const std::vector<Case> cases = {
      {"no '='",
       kBase,
       {"--set", "traffic.rate"},
       "s.yaml: --set 'traffic.rate' must have the form path=value"},
      {"empty path part",
       kBase,
       {"--set", "traffic..rate=1/s"},
       "s.yaml: --set 'traffic..rate=1/s': the path has an empty part"},
      {"index beyond size_t (used to abort)",
       kBase,
       {"--set", "endpoints.99999999999999999999999.memory=1GB"},
       "s.yaml: --set 'endpoints.99999999999999999999999.memory=1GB': index "
       "99999999999999999999999 is past the end"},
      {"a bad value",
       kBase,
       {"--set", "traffic.rate=1e12/s"},
       "s.yaml: --set 'traffic.rate=1e12/s': 'rate': '1e12/s': a rate of 1e+12/s"},
      {"an unknown key",
       kBase,
       {"--set", "platform.idle_timout=1s"},
       "s.yaml: --set 'platform.idle_timout=1s': unknown key 'idle_timout'"},
      {"YAML with a duplicate key",
       kBase,
       {"--set", "platform={overhead: 1s, overhead: 2s}"},
       "key 'overhead' is given twice"},
      {"YAML syntax error",
       kBase,
       {"--set", "platform={overhead: [1s}"},
       "s.yaml: --set 'platform={overhead: [1s}'"},
      {"YAML value that hangs the YAML parser",
       kBase,
       {"--set", "platform=[,"},
       "s.yaml: --set 'platform=[,': in the value, "},
      {"no place for it",
       kBase,
       {"--set", "nowhere.x=1"},
       "s.yaml: --set 'nowhere.x=1': unknown key 'nowhere' in endpoint 'a'"},
  };
  for (const Case& c : cases) {
    const fs::path dir = case_dir(c.name);
    std::ofstream(dir / "s.yaml") << c.scenario;
    check(c, dir);
    fs::remove_all(dir);
  }
}

TEST_CASE("command-line mistakes exit 2 and name the option; nothing is written",
          "[bad-input][cli]") {
  const std::vector<Case> cases = {
      {"--seed -1 (was clamped)",
       kBase,
       {"--seed", "-1"},
       "--seed: '-1' is not a seed: write a whole number from 0 to 18446744073709551615",
       2},
      {"--seed 2^64 (was clamped)",
       kBase,
       {"--seed", "18446744073709551616"},
       "--seed: '18446744073709551616' is not a seed",
       2},
      {"--seed not a number", kBase, {"--seed", "0x10"}, "--seed: '0x10' is not a seed", 2},
      {"--replications 0", kBase, {"--replications", "0"}, "--replications", 2},
      {"--threads -1", kBase, {"--threads", "-1"}, "--threads", 2},
      {"an unknown option", kBase, {"--sedd", "1"}, "--sedd", 2},
      {"--replications beyond the workload limit",
       with("10min", "1d").append("replications: 1\n"),
       {"--replications", "100000", "--set", "traffic.rate=20/s"},
       "slsim run: --replications 100000: this run would simulate about 1.73e+11 requests",
       1},
  };
  for (const Case& c : cases) {
    const fs::path dir = case_dir(c.name);
    std::ofstream(dir / "s.yaml") << c.scenario;
    check(c, dir);
    fs::remove_all(dir);
  }
  const fs::path dir = case_dir("usage");
  CHECK(run_in(dir, "run").status == 2);
  CHECK(run_in(dir, "").status == 2);
  CHECK(run_in(dir, "frobnicate").status == 2);
  CHECK(run_in(dir, "--help").status == 0);
  CHECK(run_in(dir, "run --help").status == 0);
  CHECK(run_in(dir, "--version").status == 0);
  fs::remove_all(dir);
}
