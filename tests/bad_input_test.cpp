// The bad-input battery: hostile or mistaken input of every kind, through the real command line.
// Each case asserts the exit status, that the error names the file with line and column (or the
// option), what is wrong, and that nothing was written: the --out folder does not appear.
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

const std::string kSlsim = SLSIM_BINARY;

// A valid scenario that each case changes in one place (line numbers in comments).
const std::string kBase =
    "name: t\n"                              // 1
    "duration: 10min\n"                      // 2
    "platform:\n"                            // 3
    "  idle_timeout: 5min\n"                 // 4
    "models:\n"                              // 5
    "  m:\n"                                 // 6
    "    image_size: 1GB\n"                  // 7
    "endpoints:\n"                           // 8
    "  - name: a\n"                          // 9
    "    memory: 2048MB\n"                   // 10
    "    max_concurrency: 2\n"               // 11
    "    model: m\n"                         // 12
    "    traffic:\n"                         // 13
    "      - {type: poisson, rate: 1/s}\n";  // 14

// `s` (default: kBase) with the first `from` replaced by `to`.
std::string with(std::string s, const std::string& from, const std::string& to) {
  const size_t at = s.find(from);
  REQUIRE(at != std::string::npos);
  return s.replace(at, from.size(), to);
}
std::string with(const std::string& from, const std::string& to) { return with(kBase, from, to); }

const std::string kPoisson = "{type: poisson, rate: 1/s}";

struct Case {
  std::string name;
  std::string scenario;           // written to s.yaml
  std::vector<std::string> args;  // after `run s.yaml -q --out out`
  std::string expect;             // a line of stderr starts with "s.yaml:" + expect, or contains it
  int status = 1;
};

struct Outcome {
  int status = -1;
  std::string err;
};

// Runs slsim in `dir` (the scenario is s.yaml there); stderr is captured.
Outcome run_in(const fs::path& dir, const std::string& args) {
  const std::string command =
      "cd '" + dir.string() + "' && " + kSlsim + " " + args + " >/dev/null 2>err.txt";
  const int status = std::system(command.c_str());
  std::ifstream in(dir / "err.txt");
  std::stringstream ss;
  ss << in.rdbuf();
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, ss.str()};
}

std::string quote(const std::string& s) { return "'" + s + "'"; }

fs::path case_dir(const std::string& name) {
  static int counter = 0;
  const fs::path d = fs::temp_directory_path() /
                     ("slsim-bad-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  fs::remove_all(d);
  fs::create_directories(d);
  (void)name;
  return d;
}

void check(const Case& c, const fs::path& dir) {
  std::string args = "run s.yaml -q --out out";
  for (const auto& a : c.args) args += " " + quote(a);
  const Outcome o = run_in(dir, args);
  INFO("case: " << c.name << "\nstderr:\n" << o.err);
  CHECK(o.status == c.status);
  CHECK_THAT(o.err, Catch::Contains(c.expect));
  CHECK_FALSE(fs::exists(dir / "out"));
  // No working folder or temporary of any kind is left beside it.
  for (const auto& e : fs::directory_iterator(dir))
    CHECK_THAT(e.path().filename().string(), !Catch::Contains("slsim-"));
}

std::string laughs() {
  std::string s = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  const std::string names = "abcdefghi";
  for (size_t i = 1; i < names.size(); ++i) {
    s += std::string(1, names[i]) + ": &" + names[i] + " [";
    for (int k = 0; k < 10; ++k) s += std::string(k ? ", *" : "*") + names[i - 1];
    s += "]\n";
  }
  return s + kBase;
}

}  // namespace

TEST_CASE("bad values of every key type are rejected with their position and a fix",
          "[bad-input]") {
  const std::string model = "    image_size: 1GB\n";
  const std::vector<Case> cases = {
      {"duration without unit",
       with("10min", "600"),
       {},
       "s.yaml:2:11: 'duration': '600' has no unit"},
      {"duration zero", with("10min", "0s"), {}, "s.yaml:2:11: 'duration' must be greater than 0"},
      {"duration negative",
       with("10min", "-1s"),
       {},
       "s.yaml:2:11: 'duration': '-1s' must be a finite, non-negative number"},
      {"duration not a number",
       with("10min", "soon"),
       {},
       "s.yaml:2:11: 'duration': 'soon' is not a duration"},
      {"duration a list",
       with("10min", "[1s, 2s]"),
       {},
       "s.yaml:2:11: 'duration' must be a duration"},
      {"duration beyond 292 years",
       with("10min", "9e9s"),
       {},
       "s.yaml:2:11: 'duration': '9e9s': 9e+09 s is longer than slsim's limit of 10 years"},
      {"duration infinite after its unit",
       with("10min", "1e308d"),
       {},
       "s.yaml:2:11: 'duration': '1e308d' is too large to be a number"},
      {"duration out of double range",
       with("10min", "1e400s"),
       {},
       "s.yaml:2:11: 'duration': '1e400s' is out of the range of numbers"},
      {"unknown unit",
       with("10min", "10 fortnights"),
       {},
       "s.yaml:2:11: 'duration': unknown unit 'fortnights'"},
      {"seed negative",
       with("duration: 10min\n", "duration: 10min\nseed: -1\n"),
       {},
       "s.yaml:3:7: 'seed' is -1, outside the allowed range"},
      {"seed not an integer",
       with("duration: 10min\n", "duration: 10min\nseed: 1e3\n"),
       {},
       "s.yaml:3:7: 'seed' must be an integer"},
      {"seed with a leading zero (yaml-cpp read 010 as octal 8)",
       with("duration: 10min\n", "duration: 10min\nseed: 010\n"),
       {},
       "s.yaml:3:7: 'seed' must be an integer"},
      {"seed in hex",
       with("duration: 10min\n", "duration: 10min\nseed: 0x10\n"),
       {},
       "s.yaml:3:7: 'seed' must be an integer"},
      {"seed beyond int64",
       with("duration: 10min\n", "duration: 10min\nseed: 99999999999999999999\n"),
       {},
       "s.yaml:3:7: 'seed' must be an integer"},
      {"replications zero",
       with("duration: 10min\n", "duration: 10min\nreplications: 0\n"),
       {},
       "s.yaml:3:15: 'replications' is 0, outside the allowed range 1 to 100000"},
      {"start not a date",
       with("duration: 10min\n", "duration: 10min\nstart: 2027-02-30T00:00:00Z\n"),
       {},
       "s.yaml:3:8: 'start': '2027-02-30T00:00:00Z' is not a UTC date-time"},
      {"probability above 1",
       with("  idle_timeout: 5min", "  image_cache_hit_probability: 1.5"),
       {},
       "s.yaml:4:32: 'image_cache_hit_probability' is 1.5, but a probability must be from 0 to 1"},
      {"idle timeout zero",
       with("5min", "0s"),
       {},
       "s.yaml:4:17: 'idle_timeout' must be greater than 0"},
      {"account limit not an integer",
       with("  idle_timeout: 5min", "  account_concurrency_limit: 1e3"),
       {},
       "s.yaml:4:30: 'account_concurrency_limit' must be an integer from 1 to 100000"},
      {"bandwidth zero",
       with("  idle_timeout: 5min", "  image_pull_bandwidth: 0MB/s"),
       {},
       "s.yaml:4:25: 'image_pull_bandwidth' must be greater than 0"},
      {"bandwidth without /s",
       with("  idle_timeout: 5min", "  image_pull_bandwidth: 10MB"),
       {},
       "s.yaml:4:25: 'image_pull_bandwidth': unknown unit 'MB'"},
      {"memory not offered",
       with("2048MB", "3000MB"),
       {},
       "s.yaml:10:13: memory 3000 MB is not one of 1024, 2048"},
      {"memory as a rate",
       with("2048MB", "2048/s"),
       {},
       "s.yaml:10:13: 'memory': unknown unit '/s'"},
      {"max_concurrency too high",
       with("max_concurrency: 2", "max_concurrency: 201"),
       {},
       "s.yaml:11:22: 'max_concurrency' is 201, outside the allowed range 1 to 200"},
      {"max_concurrency fractional",
       with("max_concurrency: 2", "max_concurrency: 1.5"),
       {},
       "s.yaml:11:22: 'max_concurrency' must be an integer from 1 to 200"},
      {"provisioned above max",
       with("    model: m\n", "    model: m\n    provisioned_concurrency: 3\n"),
       {},
       "s.yaml:13:30: provisioned_concurrency 3 exceeds max_concurrency 2"},
      {"threads zero",
       with(model, model + "    threads: 0\n"),
       {},
       "s.yaml:8:14: 'threads' is 0, outside the allowed range 1 to 64"},
      {"unknown key",
       with("    model: m\n", "    modle: m\n"),
       {},
       "s.yaml:12:5: unknown key 'modle' in endpoint 'a' (did you mean 'model'?)"},
      {"unknown model",
       with("model: m", "model: n"),
       {},
       "s.yaml:12:12: unknown model 'n' (did you mean 'm'?); define it under 'models'"},
      {"endpoint name with a comma",
       with("name: a", "name: \"a,b\""),
       {},
       "s.yaml:9:11: endpoint name 'a,b' is not allowed"},
      {"unknown traffic type",
       with("poisson", "poison"),
       {},
       "s.yaml:14:16: unknown traffic type 'poison' (did you mean 'poisson'?)"},
      {"rate without unit", with("1/s", "1"), {}, "s.yaml:14:31: 'rate': '1' has no unit"},
      {"schedule steps out of order",
       with("{type: poisson, rate: 1/s}",
            "{type: schedule, steps: [{at: 0s, rate: 1/s}, {at: 0s, rate: 2/s}]}"),
       {},
       "s.yaml:14:60: schedule steps must start at 0s and have increasing 'at' times"},
  };
  for (const Case& c : cases) {
    const fs::path dir = case_dir(c.name);
    std::ofstream(dir / "s.yaml") << c.scenario;
    check(c, dir);
    fs::remove_all(dir);
  }
}

TEST_CASE("values the nanosecond clock cannot hold are rejected at load time, not wrapped",
          "[bad-input][limits]") {
  const std::string model = "    image_size: 1GB\n";
  const std::string inference = model + "    inference: ";  // line 8, column 16
  const std::vector<Case> cases = {
      {"overhead 1e10 s",
       with("  idle_timeout: 5min", "  overhead: 1e10s"),
       {},
       "s.yaml:4:13: 'overhead': '1e10s': 1e+10 s is longer than slsim's limit of 10 years"},
      {"scheduling 1e10 s",
       with("  idle_timeout: 5min", "  scheduling: 1e10s"),
       {},
       "s.yaml:4:15: 'scheduling': '1e10s': 1e+10 s is longer"},
      {"inference 1e10 s",
       with(model, inference + "1e10s\n"),
       {},
       "s.yaml:8:16: 'inference': '1e10s': 1e+10 s is longer"},
      {"lognormal p99 1000 days",
       with("  idle_timeout: 5min", "  overhead: {lognormal: {median: 190ms, p99: 1000d}}"),
       {},
       "s.yaml:4:13: 'overhead': its draws would reach"},
      {"lognormal sd huge",
       with(model, inference + "{lognormal: {mean: 1s, sd: 1e8s}}\n"),
       {},
       "s.yaml:8:16: 'inference': its draws would reach"},
      {"weibull tiny shape",
       with(model, inference + "{weibull: {shape: 0.001, scale: 1s}}\n"),
       {},
       "s.yaml:8:16: 'inference': its "},
      {"gamma with a long tail",
       with(model, inference + "{gamma: {shape: 0.5, scale: 1e8s}}\n"),
       {},
       "s.yaml:8:16: 'inference': its draws would reach"},
      {"empirical sample beyond the limit",
       with(model, inference + "{empirical: {samples: [1ms, 1e10s]}}\n"),
       {},
       "s.yaml:8:44: 'inference' (empirical) sample: '1e10s': 1e+10 s is longer"},
      {"transfer that takes centuries",
       with(model, inference + "{transfer: {size: 1000000GB, bandwidth: 1B/s}}\n"),
       {},
       "s.yaml:8:16: 'inference': its largest value is 1.074e+15 s"},
      {"image_size 1e300 GB",
       with("1GB", "1e300GB"),
       {},
       "s.yaml:7:17: 'image_size': '1e300GB' is too large to be a number"},
      {"image_size beyond 1 PB",
       with("1GB", "2000000GB"),
       {},
       "s.yaml:7:17: 'image_size': '2000000GB': 2.147e+15 bytes is larger than slsim's limit of 1 "
       "PB"},
      {"image pull that overflows",
       with("  idle_timeout: 5min", "  image_pull_bandwidth: 1B/s"),
       {},
       "s.yaml:12:12: endpoint 'a': pulling the model's image (1.074e+09 bytes at 1 B/s): "
       "1.074e+09 s is longer"},
      {"memory_per_vcpu 1e300 GB",
       with("  idle_timeout: 5min", "  memory_per_vcpu: 1e300GB"),
       {},
       "s.yaml:4:20: 'memory_per_vcpu': '1e300GB' is too large to be a number"},
      {"CPU slowdown that overflows",
       with(with("  idle_timeout: 5min", "  memory_per_vcpu: 1000000GB"), "    image_size",
            "    load: 1000d\n    image_size"),
       {},
       "endpoint 'a': the model's 'load': its largest value after the endpoint's CPU slowdown"},
      {"rate of 1e12/s",
       with("1/s", "1e12/s"),
       {},
       "s.yaml:14:31: 'rate': '1e12/s': a rate of 1e+12/s has a mean gap of 0.001 ns, below "
       "slsim's 1 ns clock"},
      {"rate 1e12/s for 1 us (used to hang)",
       with(with("1/s", "1e12/s"), "10min", "1us"),
       {},
       "a rate of 1e+12/s has a mean gap"},
      {"requests beyond 1e11",
       with(with("1/s", "1e8/s"), "10min", "1h"),
       {},
       "s.yaml:14:9: this run would simulate about 3.6e+11 requests"},
      {"interval of 1 ns over a day",
       with(with("10min", "1d"), kPoisson, "{type: fixed_interval, interval: 1ns}"),
       {},
       "this run would simulate about 8.64e+13 requests"},
      {"duration 9e9 s with interval 5e9 s",
       with(with("10min", "9e9s"), kPoisson, "{type: fixed_interval, interval: 5e9s}"),
       {},
       "s.yaml:14:42: 'interval': '5e9s': 5e+09 s is longer"},
      {"start too close to the end of calendar time",
       with("duration: 10min\n", "duration: 10min\nstart: 2250-01-01T00:00:00Z\n"),
       {},
       "s.yaml:3:8: 'start' plus 'duration' ends too close to 2262"},
      {"a million closed-loop clients and more",
       with(kPoisson, "{type: closed_loop, clients: 100000, think_time: 1h}").append([] {
         std::string more;
         for (int i = 0; i < 10; ++i)
           more += "      - {type: closed_loop, name: c" + std::to_string(i) +
                   ", clients: 100000, think_time: 1h}\n";
         return more;
       }()),
       {},
       "s.yaml:9:3: 11 traffic profiles with 1100000 closed-loop clients are more than slsim's "
       "limits"},
      {"bursts that never advance",
       with("{type: poisson, rate: 1/s}", "{type: bursts, rate: 1/s, on: 0s, off: 0s}"),
       {},
       "s.yaml:14:9: a traffic profile would loop without advancing time"},
      {"closed loop with no think time nor latency",
       with(with("  idle_timeout: 5min", "  overhead: 0s"), kPoisson,
            "{type: closed_loop, clients: 100000, think_time: 0s}"),
       {},
       "this run would simulate about"},
  };
  for (const Case& c : cases) {
    const fs::path dir = case_dir(c.name);
    std::ofstream(dir / "s.yaml") << c.scenario;
    check(c, dir);
    fs::remove_all(dir);
  }
}

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
        "c.yaml:217:31: size_fit 'model_load_s': 'coefficient' must be a number from"},
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
        "c.yaml:3:1: key 'slsim_calibration' is given twice in this mapping (first at line 1)"},
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
