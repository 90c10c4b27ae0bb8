// The sweep folder's files (sweep_folder.hpp).
#include "slsim/sweep_folder.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "slsim/random.hpp"

#ifndef SLSIM_VERSION
#define SLSIM_VERSION "unknown"
#endif

namespace slsim {
namespace fs = std::filesystem;
namespace {

constexpr const char* kManifestHeader = "slsim-sweep 2";

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// `text` as a whole number in [low, high], written as std::to_string writes it.
bool whole_number(const std::string& text, int low, int high, int& out) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size() && out >= low && out <= high &&
         text == std::to_string(out);
}

// The FNV-1a 64 hash of the bytes of file `path`, read in pieces (traces may be gigabytes);
// false with `reason` when it cannot be read.
bool hash_file(const std::string& path, uint64_t& hash, std::string& reason) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) {
    reason = std::strerror(errno);
    return false;
  }
  std::vector<char> buffer(1 << 20);
  hash = fnv1a64("");
  for (size_t n; (n = std::fread(buffer.data(), 1, buffer.size(), f)) > 0;)
    hash = fnv1a64(std::string_view(buffer.data(), n), hash);
  const int cause = errno;
  const bool failed = std::ferror(f) != 0;
  std::fclose(f);
  if (failed) reason = std::strerror(cause);
  return !failed;
}

// The files other than the scenario itself that its valid configurations read, each once, in
// byte order: pricing, traces, calibrations, trace durations files.
std::set<std::string> input_files(const SweepSpec& spec,
                                  const std::vector<Configuration>& configs) {
  std::set<std::string> files;
  for (const Configuration& c : configs) {
    if (!c.scenario) continue;
    files.insert(c.scenario->pricing_path);
    for (const TraceConfig& t : c.scenario->traces) files.insert(t.file);
    files.insert(c.scenario->data_files.begin(), c.scenario->data_files.end());
  }
  files.erase(spec.scenario);
  files.erase("");
  return files;
}

// A number of a jobs.txt line, the whole word (fmt writes nan and inf as strtod reads them).
bool parse_number(const std::string& word, double& v) {
  char* end = nullptr;
  v = std::strtod(word.c_str(), &end);
  return !word.empty() && end == word.c_str() + word.size();
}

// One jobs.txt line as job_line writes it; false when it is not one.
bool parse_job_line(const std::string& line, JobValues& job) {
  std::istringstream words(line);
  std::string tag, word;
  size_t figures = 0, windows = 0;
  bool ok = static_cast<bool>(words >> tag >> job.config >> job.replication >> figures) &&
            tag == "job" && figures < 100000;
  double v = 0;
  for (size_t f = 0; ok && f < figures; ++f) {
    ok = words >> word && parse_number(word, v);
    if (ok) job.figures.push_back(v);
  }
  ok = ok && static_cast<bool>(words >> windows) && windows < 100000000;
  for (size_t w = 0; ok && w < windows; ++w) {
    ok = words >> word && parse_number(word, v);
    if (ok) job.windows.push_back(v);
  }
  return ok && !(words >> word);
}

// Checks jobs read back against the sweep they belong to (read_jobs).
class JobChecker {
 public:
  JobChecker(const SweepSpec& spec, const std::vector<Configuration>& configs,
             const std::vector<std::pair<int64_t, int>>& jobs)
      : spec_(spec), configs_(configs), jobs_(jobs) {}

  // What is wrong with `job`, read from line `line`, or "".
  std::string problem(const JobValues& job, size_t line) {
    const std::string name = fmt::format("job {} {}", job.config, job.replication);
    if (job.config < 0 || job.config >= static_cast<int64_t>(configs_.size()))
      return fmt::format("{}: the sweep has no configuration {} (it has 0 to {})", name, job.config,
                         configs_.size() - 1);
    const Configuration& c = configs_[static_cast<size_t>(job.config)];
    if (!c.scenario)
      return fmt::format("{}: configuration {} of the sweep is invalid, so it has no jobs ({})",
                         name, job.config, c.error);
    if (job.replication < 0 || job.replication >= spec_.replications)
      return fmt::format("{}: the sweep has replications 0..{}", name, spec_.replications - 1);
    const std::pair<int64_t, int> key(job.config, job.replication);
    if (!std::binary_search(jobs_.begin(), jobs_.end(), key))
      return fmt::format("{} belongs to another shard than this folder's", name);
    if (const auto [it, added] = lines_.emplace(key, line); !added)
      return fmt::format("{} is also on line {}", name, it->second);
    const size_t figures = figure_count(job.config);
    if (job.figures.size() != figures)
      return fmt::format("{} has {} figure values; the sweep's jobs have {}", name,
                         job.figures.size(), figures);
    const size_t per_window = spec_.window_figures.size();
    if (per_window == 0 ? !job.windows.empty() : job.windows.size() % per_window != 0)
      return fmt::format("{} has {} window values; the sweep's jobs have a multiple of {}", name,
                         job.windows.size(), per_window);
    return "";
  }

 private:
  size_t figure_count(int64_t config) {
    const auto [it, added] = figures_.emplace(config, 0);
    if (added) it->second = figure_names(*configs_[static_cast<size_t>(config)].scenario).size();
    return it->second;
  }

  const SweepSpec& spec_;
  const std::vector<Configuration>& configs_;
  const std::vector<std::pair<int64_t, int>>& jobs_;  // sorted (job_list)
  std::map<std::pair<int64_t, int>, size_t> lines_;   // the jobs read, and their lines
  std::map<int64_t, size_t> figures_;                 // figure_names().size() per configuration
};

// Whether slsim sweep writes `name` into its --out folder (or a temporary of write_atomically's
// that a kill left there).
bool is_sweep_entry(const std::string& name) {
  for (const char* file : {"manifest.txt", "jobs.txt", "sweep.csv", "runs"}) {
    const std::string temporary = std::string(file) + ".tmp-";
    if (name == file ||
        (name.rfind(temporary, 0) == 0 && name.size() > temporary.size() &&
         name.find_first_not_of("0123456789", temporary.size()) == std::string::npos))
      return true;
  }
  return false;
}

}  // namespace

std::string manifest_text(const SweepSpec& spec, const std::vector<Configuration>& configs,
                          int64_t jobs, const std::string& shard) {
  uint64_t scenario_hash = 0;
  std::string unused;
  hash_file(spec.scenario, scenario_hash, unused);  // just loaded, so readable
  std::string out = fmt::format("{}\n", kManifestHeader);
  out += fmt::format("version={}\n", SLSIM_VERSION);
  out += fmt::format("scenario={}\n", spec.scenario);
  out += fmt::format("scenario_fnv1a64={:016x}\n", scenario_hash);
  for (const std::string& file : input_files(spec, configs)) {
    uint64_t hash = 0;
    hash_file(file, hash, unused);  // read by the loader
    out += fmt::format("input_fnv1a64={:016x} {}\n", hash, file);
  }
  for (const std::string& s : spec.sets) out += "set=" + s + "\n";
  for (const GridAxis& a : spec.axes)
    out += fmt::format("grid={}={}\n", a.path, fmt::join(a.values, ","));
  out += fmt::format("replications={}\n", spec.replications);
  if (spec.windows)
    out += fmt::format("windows={}\n",
                       spec.windows->hour_of_week
                           ? std::string("hour-of-week")
                           : fmt::format("{}s", spec.windows->length.ns() / 1000000000));
  for (const std::string& f : spec.window_figures) out += "window_figure=" + f + "\n";
  out += fmt::format("configurations={}\njobs={}\nshard={}\n", configs.size(), jobs, shard);
  return out;
}

bool parse_shard(const std::string& text, int& shard, int& shards) {
  const size_t slash = text.find('/');
  return slash != std::string::npos && whole_number(text.substr(0, slash), 1, 1 << 30, shard) &&
         whole_number(text.substr(slash + 1), shard, 1 << 30, shards);
}

bool parse_manifest(const std::string& text, const std::string& path, Manifest& out,
                    std::string& error) {
  const std::vector<std::string> lines = split_lines(text);
  const auto fail = [&](size_t i, const std::string& what) {
    error = fmt::format("{}:{}: {}", path, i + 1, what);
    return false;
  };
  if (lines.empty() || lines[0] != kManifestHeader)
    return fail(0, fmt::format("not a manifest of this slsim's sweeps: it begins '{}', not '{}'",
                               lines.empty() ? "" : lines[0], kManifestHeader));
  static const char* const kOtherKeys[] = {"version", "scenario_fnv1a64", "input_fnv1a64",
                                           "windows", "window_figure",    "configurations",
                                           "jobs"};
  bool has_shard = false;
  for (size_t i = 1; i < lines.size(); ++i) {
    const size_t eq = lines[i].find('=');
    const std::string key = lines[i].substr(0, eq);
    const std::string value = eq == std::string::npos ? "" : lines[i].substr(eq + 1);
    if (key == "scenario" && !value.empty()) {
      out.scenario = value;
    } else if (key == "set") {
      out.sets.push_back(value);
    } else if (key == "grid") {
      out.grid.push_back(value);
    } else if (key == "replications") {
      if (!whole_number(value, 1, 100000, out.replications))
        return fail(i,
                    fmt::format("replications '{}' is not a whole number from 1 to 100000", value));
    } else if (key == "shard") {
      has_shard = true;
      if (value == "all")
        out.shard = out.shards = 0;
      else if (!parse_shard(value, out.shard, out.shards))
        return fail(i, fmt::format("shard '{}' is not 'all' or K/N with 1 <= K <= N", value));
    } else if (eq == std::string::npos || std::none_of(std::begin(kOtherKeys), std::end(kOtherKeys),
                                                       [&](const char* k) { return key == k; })) {
      return fail(i, fmt::format("'{}' is not a line slsim sweep writes", lines[i]));
    }
  }
  if (out.scenario.empty()) return fail(lines.size() - 1, "no 'scenario=' line");
  if (!has_shard) return fail(lines.size() - 1, "no 'shard=' line (a manifest cut off?)");
  return true;
}

std::optional<ChangedInput> changed_input(const std::string& manifest) {
  std::string scenario;
  for (const std::string& line : split_lines(manifest)) {
    std::string path, recorded;
    if (line.rfind("scenario=", 0) == 0) {
      scenario = line.substr(9);
    } else if (line.rfind("scenario_fnv1a64=", 0) == 0) {
      path = scenario;
      recorded = line.substr(17);
    } else if (line.rfind("input_fnv1a64=", 0) == 0 && line.size() > 31 && line[30] == ' ') {
      path = line.substr(31);
      recorded = line.substr(14, 16);
    }
    if (path.empty()) continue;
    uint64_t hash = 0;
    std::string reason;
    if (!hash_file(path, hash, reason)) return ChangedInput{path, reason};
    if (fmt::format("{:016x}", hash) != recorded) return ChangedInput{path, ""};
  }
  return std::nullopt;
}

std::string manifest_change(const std::string& recorded, const std::string& recorded_name,
                            const std::string& now, const std::string& now_name) {
  const std::vector<std::string> was = split_lines(recorded), is = split_lines(now);
  const auto quoted = [](const std::vector<std::string>& lines, size_t i) {
    return i < lines.size() ? "'" + lines[i] + "'" : std::string("nothing");
  };
  for (size_t i = 0; i < std::max(was.size(), is.size()); ++i)
    if (i >= was.size() || i >= is.size() || was[i] != is[i])
      return fmt::format("line {} is {} in {} and {} in {}", i + 1, quoted(was, i), recorded_name,
                         quoted(is, i), now_name);
  return "";
}

std::string job_line(const JobValues& job) {
  std::string out = fmt::format("job {} {} {}", job.config, job.replication, job.figures.size());
  for (const double v : job.figures) out += fmt::format(" {}", v);  // shortest exact form
  out += fmt::format(" {}", job.windows.size());
  for (const double v : job.windows) out += fmt::format(" {}", v);
  return out + "\n";
}

bool read_jobs(const std::string& path, const SweepSpec& spec,
               const std::vector<Configuration>& configs,
               const std::vector<std::pair<int64_t, int>>& jobs, std::vector<JobValues>& out,
               std::string& error) {
  std::ifstream in(path);
  if (!in) {
    error = fmt::format("cannot read {}", path);
    return false;
  }
  std::string line;
  std::vector<std::string> lines;
  while (std::getline(in, line)) lines.push_back(line);

  JobChecker checker(spec, configs, jobs);
  for (size_t i = 0; i < lines.size(); ++i) {
    JobValues job;
    if (!parse_job_line(lines[i], job)) {
      if (i + 1 == lines.size()) break;  // cut off by a kill: the job runs again
      error = fmt::format("{}:{}: not a job line of slsim sweep", path, i + 1);
      return false;
    }
    if (const std::string problem = checker.problem(job, i + 1); !problem.empty()) {
      error = fmt::format("{}:{}: {}", path, i + 1, problem);
      return false;
    }
    out.push_back(std::move(job));
  }
  return true;
}

std::string without_shard(const std::string& manifest) {
  const size_t at = manifest.find("\nshard=");
  return at == std::string::npos ? manifest : manifest.substr(0, at + 1);
}

std::string describe(const ChangedInput& changed) {
  return changed.unreadable.empty()
             ? fmt::format("{} changed since the sweep ran (its bytes differ)", changed.path)
             : fmt::format("{}, which cannot be read ({})", changed.path, changed.unreadable);
}

void sort_jobs(std::vector<JobValues>& jobs) {
  std::sort(jobs.begin(), jobs.end(), [](const JobValues& a, const JobValues& b) {
    return std::pair(a.config, a.replication) < std::pair(b.config, b.replication);
  });
}

std::string jobs_text(const std::vector<JobValues>& jobs) {
  std::string out;
  for (const JobValues& j : jobs) out += job_line(j);
  return out;
}

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool write_atomically(const fs::path& path, const std::string& text, std::string& error) {
  const fs::path tmp = path.string() + fmt::format(".tmp-{}", ::getpid());
  {
    std::ofstream out(tmp, std::ios::binary);
    out << text;
    if (!out.flush()) {
      error = fmt::format("cannot write {}", tmp.string());
      return false;
    }
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) error = fmt::format("cannot move {} into place: {}", path.string(), ec.message());
  return !ec;
}

bool check_sweep_out(const char* command, const std::string& out) {
  std::error_code ec;
  const fs::file_status status = fs::status(out, ec);
  if (!fs::exists(status)) return true;
  if (!fs::is_directory(status)) {
    fmt::print(stderr,
               "{}: cannot create --out folder '{}': it exists and is not a folder; name a new "
               "folder or a sweep's folder; nothing was written\n",
               command, out);
    return false;
  }
  for (fs::directory_iterator it(out, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (is_sweep_entry(name)) continue;
    fmt::print(stderr,
               "{}: --out '{}' holds '{}', which slsim sweep does not write (a sweep folder holds "
               "manifest.txt, jobs.txt, sweep.csv and runs/); name a new or empty folder, or a "
               "sweep's folder; nothing was written\n",
               command, out, name);
    return false;
  }
  if (ec) fmt::print(stderr, "{}: --out '{}' cannot be read: {}\n", command, out, ec.message());
  return !ec;
}

}  // namespace slsim
