// `slsim sweep` and `slsim merge` (sweep.hpp has the model of a sweep folder).
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "slsim/commands.hpp"
#include "slsim/exit_codes.hpp"
#include "slsim/interrupt.hpp"
#include "slsim/progress.hpp"
#include "slsim/scenario_loader.hpp"
#include "slsim/sweep.hpp"
#include "slsim/units.hpp"

namespace slsim {
namespace fs = std::filesystem;
namespace {

constexpr int64_t kMaxConfigurations = 100000;

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Writes `text` to `path` through a temporary and a rename: a reader never sees half a file.
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

// The manifest without its shard line: what the parts of one sweep share.
std::string without_shard(const std::string& manifest) {
  const size_t at = manifest.find("\nshard=");
  return at == std::string::npos ? manifest : manifest.substr(0, at + 1);
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

// Checks that `out` is missing or a folder holding only what slsim sweep writes; prints the
// problem after `command` and returns false otherwise.
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

// A changed input file, as a clause.
std::string describe(const ChangedInput& changed) {
  return changed.unreadable.empty()
             ? fmt::format("{} changed since the sweep ran (its bytes differ)", changed.path)
             : fmt::format("{}, which cannot be read ({})", changed.path, changed.unreadable);
}

}  // namespace

void report_skipped_rows(const char* command, const JobsOutcome& outcome) {
  if (outcome.skipped_rows > 0)
    fmt::print(
        stderr, "{}: skipped {} bad trace row{} in each run (--skip-bad-rows); the first: {}\n",
        command, outcome.skipped_rows, outcome.skipped_rows == 1 ? "" : "s", outcome.first_skipped);
}

// The problem with a grid axis on `path`, or "": the same path twice, a path --set also gives
// (one of the two would silently win), or what -r and --seed set.
std::string axis_conflict(const std::string& path, const std::vector<GridAxis>& earlier,
                          const std::vector<std::string>& sets) {
  for (const GridAxis& a : earlier)
    if (a.path == path)
      return fmt::format("--grid names '{}' twice; list all its values in one --grid", path);
  for (const std::string& s : sets)
    if (s.rfind(path + "=", 0) == 0)
      return fmt::format("--grid '{}' and --set '{}' give the same path; drop the --set", path, s);
  if (path == "replications" || path == "seed")
    return fmt::format(
        "--grid '{}': every configuration is run on the same replications and seed (common "
        "random numbers); use {}",
        path, path == "seed" ? "--seed" : "-r");
  return "";
}

int prepare_sweep(const SweepCommand& o, SweepSpec& spec, std::vector<Configuration>& configs) {
  spec.scenario = fs::absolute(o.scenario).lexically_normal().string();
  spec.sets = o.sets;
  if (o.skip_bad_rows) spec.sets.push_back("skip_bad_rows=true");

  if (o.seed) spec.sets.push_back(fmt::format("seed={}", *o.seed));
  for (const std::string& g : o.grid) {
    std::string error;
    auto axis = parse_grid_axis(g, error);
    if (axis) error = axis_conflict(axis->path, spec.axes, o.sets);
    if (!error.empty()) {
      fmt::print(stderr, "slsim: {}\n", error);
      return kExitUsage;
    }
    spec.axes.push_back(std::move(*axis));
  }
  const LoadResult base = load_scenario(spec.scenario, spec.sets);
  if (!base.ok()) {
    for (const auto& e : base.errors) fmt::print(stderr, "{}\n", e);
    fmt::print(stderr, "slsim: the scenario itself is invalid; nothing was run\n");
    return kExitInputError;
  }
  spec.replications = o.replications.value_or(base.scenario.replications);
  const int64_t n = Grid(spec.axes).size();
  if (n > kMaxConfigurations) {
    fmt::print(stderr, "slsim: the grid has {} configurations; at most {}\n", n,
               kMaxConfigurations);
    return kExitUsage;
  }
  configs = load_configurations(spec);
  if (!configs.empty() && std::none_of(configs.begin(), configs.end(),
                                       [](const Configuration& c) { return c.scenario; })) {
    fmt::print(stderr, "slsim: no configuration of the grid is valid; the first: {}\n",
               configs.front().error);
    return kExitInputError;
  }
  return kExitOk;
}

int sweep_command(const SweepCommand& o) {
  if (o.keep_runs && !o.shard.empty()) {
    fmt::print(stderr,
               "slsim sweep: --keep-runs does not go with --shard (a part runs only some jobs of "
               "each configuration): run the sweep without --shard, or after slsim merge run the "
               "sweep's command with --keep-runs --resume --out <the merged folder>, which runs "
               "no job again\n");
    return kExitUsage;
  }
  SweepSpec spec;
  std::vector<Configuration> configs;
  if (const int status = prepare_sweep(o, spec, configs); status != kExitOk) return status;
  const int64_t valid = std::count_if(configs.begin(), configs.end(), [](const Configuration& c) {
    return c.scenario.has_value();
  });
  if (o.dry_run) {
    for (const Configuration& c : configs) {
      std::string values;
      for (size_t a = 0; a < spec.axes.size(); ++a)
        values += fmt::format("{}{}={}", a ? " " : "", spec.axes[a].path, c.values[a]);
      fmt::print("{:>5}  {}  {}\n", c.index, values.empty() ? "(the scenario)" : values,
                 c.scenario ? "ok" : "invalid: " + c.error);
    }
    fmt::print("{} configurations ({} valid) × {} replications = {} jobs\n", configs.size(), valid,
               spec.replications, valid * spec.replications);
    return kExitOk;
  }
  if (o.out.empty()) {
    fmt::print(stderr, "slsim sweep: --out DIR is needed (where sweep.csv goes)\n");
    return kExitUsage;
  }
  int shard = 1, shards = 1;
  if (!o.shard.empty() && !parse_shard(o.shard, shard, shards)) {
    fmt::print(stderr, "slsim sweep: --shard '{}' must be K/N with 1 <= K <= N, e.g. 3/16\n",
               o.shard);
    return kExitUsage;
  }
  const auto jobs = job_list(configs, spec.replications, shard, shards);
  const std::string shard_text = o.shard.empty() ? "all" : o.shard;
  const std::string manifest = manifest_text(spec, configs, valid * spec.replications, shard_text);
  if (!check_sweep_out("slsim sweep", o.out)) return kExitInputError;
  const fs::path dir = o.out;
  std::error_code ec;
  const bool created = fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir)) {
    fmt::print(stderr, "slsim sweep: cannot create --out folder '{}': {}\n", o.out,
               ec ? ec.message() : "it is not a folder");
    return kExitInputError;
  }
  std::vector<JobValues> finished;
  std::string error;
  if (fs::exists(dir / "manifest.txt")) {
    if (!o.resume) {
      fmt::print(stderr,
                 "slsim sweep: {} already holds a sweep; add --resume to finish it, or choose "
                 "another --out\n",
                 o.out);
      return kExitInputError;
    }
    if (const std::string recorded = read_text(dir / "manifest.txt"); recorded != manifest) {
      if (const auto changed = changed_input(recorded))
        fmt::print(stderr,
                   "slsim sweep: --resume: {}; {} holds jobs run on the bytes the sweep read: "
                   "put the file back as it was, or run the sweep into another --out\n",
                   describe(*changed), o.out);
      else
        fmt::print(
            stderr,
            "slsim sweep: --resume: {} holds a different sweep: {}; run that sweep's own "
            "command, or choose another --out\n",
            o.out,
            manifest_change(recorded, (dir / "manifest.txt").string(), manifest, "this command's"));
      return kExitInputError;
    }
    if (fs::exists(dir / "jobs.txt") &&
        !read_jobs((dir / "jobs.txt").string(), spec, configs, jobs, finished, error)) {
      fmt::print(stderr,
                 "slsim sweep: --resume: {}; jobs.txt was changed by other than slsim sweep: "
                 "delete that line to run its job again, or remove {} and run the sweep again\n",
                 error, o.out);
      return kExitInputError;
    }
  } else if (!write_atomically(dir / "manifest.txt", manifest, error)) {
    fmt::print(stderr, "slsim sweep: {}\n", error);
    return kExitInputError;
  }
  std::set<std::pair<int64_t, int>> done;
  for (const JobValues& j : finished) done.emplace(j.config, j.replication);
  std::vector<std::pair<int64_t, int>> todo;
  for (const auto& job : jobs)
    if (!done.count(job)) todo.push_back(job);

  // Rewrite the finished jobs (dropping a line a kill cut off), then append as jobs finish.
  if (!write_atomically(dir / "jobs.txt", jobs_text(finished), error)) {
    fmt::print(stderr, "slsim sweep: {}\n", error);
    return kExitInputError;
  }
  std::FILE* log = std::fopen((dir / "jobs.txt").c_str(), "ab");
  if (!log) {
    fmt::print(stderr, "slsim sweep: cannot append to {}\n", (dir / "jobs.txt").string());
    return kExitInputError;
  }
  const int threads =
      o.threads > 0 ? o.threads : static_cast<int>(std::thread::hardware_concurrency());
  std::atomic<int64_t> completed{0};
  const auto started = std::chrono::steady_clock::now();
  // SIGINT/SIGTERM stop the sweep between jobs' events; jobs.txt keeps every finished job.
  InterruptGuard interrupt;
  JobsOutcome outcome;
  {
    std::unique_ptr<StatusLine> line;
    if (!o.quiet && (o.progress || ::isatty(2)))
      line = std::make_unique<StatusLine>([&](double elapsed) {
        const double fraction = todo.empty() ? 1.0 : double(completed) / double(todo.size());
        return fmt::format("sweep: {} of {} jobs ({:.1f}/s), {}", completed.load(), todo.size(),
                           completed / std::max(elapsed, 1e-9), eta(fraction, elapsed));
      });
    outcome = run_jobs(
        spec, configs, todo, threads,
        [&](JobValues&& job) {
          const std::string text = job_line(job);
          std::fwrite(text.data(), 1, text.size(), log);
          std::fflush(log);
          finished.push_back(std::move(job));
          ++completed;
        },
        interrupt.flag());
  }
  const bool write_failed = std::ferror(log) != 0;
  std::fclose(log);
  if (write_failed) {
    fmt::print(stderr, "slsim sweep: writing {} failed (disk full?)\n",
               (dir / "jobs.txt").string());
    return kExitInputError;
  }
  if (!outcome.input_error.empty()) {
    // Every job reads the same traces, so none can finish: leave --out as it was.
    fmt::print(stderr, "slsim sweep: {}\n", outcome.input_error);
    if (o.resume) {
      fmt::print(stderr, "slsim sweep: {}/jobs.txt keeps the {} jobs done before\n", o.out,
                 finished.size());
    } else {
      fs::remove(dir / "jobs.txt", ec);
      fs::remove(dir / "manifest.txt", ec);
      if (created) fs::remove(dir, ec);
      fmt::print(stderr, "slsim sweep: nothing was written\n");
    }
    return kExitInputError;
  }
  report_skipped_rows("slsim sweep", outcome);
  if (interrupt.interrupted()) {
    fmt::print(stderr,
               "slsim sweep: interrupted by {}; {} of {} jobs are done and kept in {}/jobs.txt: "
               "run the same command with --resume to finish\n",
               interrupt.signal_name(), finished.size(), jobs.size(), o.out);
    return interrupt.exit_code();
  }
  sort_jobs(finished);
  if (!write_atomically(dir / "jobs.txt", jobs_text(finished), error)) {
    fmt::print(stderr, "slsim sweep: {}\n", error);
    return kExitInputError;
  }
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  fmt::print(stderr,
             "slsim sweep: {} jobs in {:.1f} s ({} configurations, {} valid, {} "
             "replications{})\n",
             todo.size(), wall, configs.size(), valid, spec.replications,
             shard_text == "all" ? "" : ", shard " + shard_text);
  if (shard_text != "all") {
    fmt::print(stderr, "wrote {}/manifest.txt and jobs.txt; combine the parts with slsim merge\n",
               o.out);
    return kExitOk;
  }
  const Configuration* first = nullptr;
  for (const Configuration& c : configs)
    if (c.scenario && !first) first = &c;
  const auto names = first ? figure_names(*first->scenario) : std::vector<std::string>{};
  const auto summaries = aggregate(spec, configs, names, finished);
  if (!write_atomically(dir / "sweep.csv", sweep_csv(spec, configs, summaries), error)) {
    fmt::print(stderr, "slsim sweep: {}\n", error);
    return kExitInputError;
  }
  fmt::print(stderr, "wrote {}/sweep.csv ({} rows)\n", o.out, configs.size());
  if (o.keep_runs) {
    for (const Configuration& c : configs) {
      if (!c.scenario) continue;
      RunCommand run;
      run.scenario = spec.scenario;
      run.sets = spec.sets;
      for (const std::string& s : Grid(spec.axes).overrides(c.index)) run.sets.push_back(s);
      run.replications = spec.replications;
      run.threads = threads;
      run.quiet = true;
      run.out = (dir / "runs" / fmt::format("{:05d}", c.index)).string();
      if (run_command(run) != 0) return kExitInputError;
    }
    fmt::print(stderr, "wrote every configuration's results to {}/runs/\n", o.out);
  }
  return kExitOk;
}

namespace {

// One --shard part given to merge.
struct Part {
  std::string dir;
  std::string manifest;  // its text
  Manifest parsed;
};

// Reads every part's manifest.txt and checks that they are the N different parts of one sweep;
// prints the problem otherwise.
bool read_parts(const std::vector<std::string>& dirs, std::vector<Part>& parts) {
  std::set<int> seen;
  for (const std::string& dir : dirs) {
    Part part{dir, read_text(fs::path(dir) / "manifest.txt"), {}};
    const std::string path = (fs::path(dir) / "manifest.txt").string();
    std::string error;
    if (!fs::exists(path)) {
      fmt::print(stderr, "slsim merge: {} has no manifest.txt: not a sweep part\n", dir);
      return false;
    }
    if (!parse_manifest(part.manifest, path, part.parsed, error)) {
      fmt::print(stderr,
                 "slsim merge: {}; the part is damaged or from another slsim: run its shard "
                 "again into a new folder\n",
                 error);
      return false;
    }
    if (part.parsed.shards == 0) {
      fmt::print(stderr, "slsim merge: {} is a whole sweep, not a --shard part\n", dir);
      return false;
    }
    if (!parts.empty() && (without_shard(part.manifest) != without_shard(parts[0].manifest) ||
                           part.parsed.shards != parts[0].parsed.shards)) {
      fmt::print(stderr, "slsim merge: {} is from another sweep than {}: {}\n", dir, parts[0].dir,
                 manifest_change(part.manifest, path, parts[0].manifest,
                                 (fs::path(parts[0].dir) / "manifest.txt").string()));
      return false;
    }
    if (!seen.insert(part.parsed.shard).second) {
      fmt::print(stderr, "slsim merge: shard {}/{} is given twice ({})\n", part.parsed.shard,
                 part.parsed.shards, dir);
      return false;
    }
    parts.push_back(std::move(part));
  }
  const int shards = parts.empty() ? 0 : parts[0].parsed.shards;
  if (static_cast<int>(seen.size()) == shards) return true;
  std::string missing;
  for (int k = 1; k <= shards; ++k)
    if (!seen.count(k)) missing += fmt::format(" {}/{}", k, shards);
  fmt::print(stderr, "slsim merge: missing parts:{}\n", missing);
  return false;
}

// Checks that merge may write the sweep of `manifest` into `out`: not a part, and missing, empty
// or holding this same whole sweep; prints the problem otherwise.
bool check_merge_out(const std::string& out, const std::vector<Part>& parts,
                     const std::string& manifest) {
  std::error_code ec;
  for (const Part& part : parts) {
    if (!fs::equivalent(out, part.dir, ec)) continue;
    fmt::print(stderr,
               "slsim merge: --out '{}' is one of the parts; write the merged sweep into a new "
               "folder, e.g. beside the parts; nothing was written\n",
               out);
    return false;
  }
  if (!check_sweep_out("slsim merge", out)) return false;
  const fs::path there = fs::path(out) / "manifest.txt";
  if (!fs::exists(there, ec)) return true;
  const std::string recorded = read_text(there);
  if (recorded == manifest) return true;  // merged before: written again, the same
  Manifest parsed;
  std::string error;
  if (parse_manifest(recorded, there.string(), parsed, error) && parsed.shards > 0)
    fmt::print(stderr,
               "slsim merge: --out '{}' holds a shard's manifest.txt (shard {}/{}): it is a part "
               "of a sweep, not a place for the merged one; name a new folder; nothing was "
               "written\n",
               out, parsed.shard, parsed.shards);
  else
    fmt::print(stderr,
               "slsim merge: --out '{}' holds another sweep: {}; name a new folder; nothing was "
               "written\n",
               out, manifest_change(recorded, there.string(), manifest, "the merged sweep's"));
  return false;
}

// The sweep the parts are of, loaded again from the scenario their manifest names; false (with
// the problem printed) when an input file changed or this slsim makes another sweep of it.
bool rebuild_sweep(const Part& first, SweepSpec& spec, std::vector<Configuration>& configs,
                   std::string& manifest) {
  if (const auto changed = changed_input(first.manifest)) {
    if (changed->unreadable.empty())
      fmt::print(stderr,
                 "slsim merge: {}; the parts hold jobs run on the bytes the sweep read: put the "
                 "file back as it was, or run the shards again\n",
                 describe(*changed));
    else
      fmt::print(stderr,
                 "slsim merge: {}/manifest.txt names {}; merge needs it at that path (it loads "
                 "the sweep's scenario again): put it back there unchanged\n",
                 first.dir, describe(*changed));
    return false;
  }
  SweepCommand o;
  o.scenario = first.parsed.scenario;
  o.sets = first.parsed.sets;
  o.grid = first.parsed.grid;
  o.replications = first.parsed.replications;
  if (prepare_sweep(o, spec, configs) != kExitOk) return false;
  const int64_t valid = std::count_if(configs.begin(), configs.end(), [](const Configuration& c) {
    return c.scenario.has_value();
  });
  manifest = manifest_text(spec, configs, valid * spec.replications, "all");
  if (without_shard(manifest) == without_shard(first.manifest)) return true;
  fmt::print(stderr,
             "slsim merge: this slsim makes another sweep of {}/manifest.txt: {}; merge with the "
             "slsim that ran the shards\n",
             first.dir,
             manifest_change(first.manifest, (fs::path(first.dir) / "manifest.txt").string(),
                             manifest, "this slsim's"));
  return false;
}

}  // namespace

int merge_command(const std::vector<std::string>& dirs, const std::string& out) {
  if (out.empty()) {
    fmt::print(stderr, "slsim merge: --out needs a folder name (where sweep.csv goes)\n");
    return kExitUsage;
  }
  std::vector<Part> parts;
  if (!read_parts(dirs, parts)) return kExitInputError;
  SweepSpec spec;
  std::vector<Configuration> configs;
  std::string manifest, error;
  if (!rebuild_sweep(parts[0], spec, configs, manifest)) return kExitInputError;
  if (!check_merge_out(out, parts, manifest)) return kExitInputError;
  std::vector<JobValues> jobs;
  for (const Part& part : parts) {
    if (!fs::exists(fs::path(part.dir) / "jobs.txt")) {
      fmt::print(stderr,
                 "slsim merge: {} has no jobs.txt: finish the part with slsim sweep ... --shard "
                 "{}/{} --resume --out {}\n",
                 part.dir, part.parsed.shard, part.parsed.shards, part.dir);
      return kExitInputError;
    }
    const auto expected =
        job_list(configs, spec.replications, part.parsed.shard, part.parsed.shards);
    if (!read_jobs((fs::path(part.dir) / "jobs.txt").string(), spec, configs, expected, jobs,
                   error)) {
      fmt::print(stderr,
                 "slsim merge: {}; the part is damaged: delete that line and finish the part with "
                 "slsim sweep ... --shard {}/{} --resume, or remove it and run the shard again\n",
                 error, part.parsed.shard, part.parsed.shards);
      return kExitInputError;
    }
  }
  sort_jobs(jobs);
  const auto expected = job_list(configs, spec.replications);
  bool complete = jobs.size() == expected.size();
  for (size_t i = 0; complete && i < jobs.size(); ++i)
    complete = std::pair(jobs[i].config, jobs[i].replication) == expected[i];
  if (!complete) {
    fmt::print(stderr,
               "slsim merge: the parts hold {} jobs of {} (some shards did not finish); finish "
               "them with slsim sweep ... --shard K/N --resume\n",
               jobs.size(), expected.size());
    return kExitInputError;
  }
  const auto first = std::find_if(configs.begin(), configs.end(),
                                  [](const Configuration& c) { return c.scenario.has_value(); });
  if (first == configs.end()) {
    fmt::print(stderr, "slsim merge: no configuration of the sweep is valid\n");
    return kExitInputError;
  }
  const fs::path dir = out;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    fmt::print(stderr, "slsim merge: cannot create --out folder '{}': {}\n", out, ec.message());
    return kExitInputError;
  }
  const auto summaries = aggregate(spec, configs, figure_names(*first->scenario), jobs);
  if (!write_atomically(dir / "manifest.txt", manifest, error) ||
      !write_atomically(dir / "jobs.txt", jobs_text(jobs), error) ||
      !write_atomically(dir / "sweep.csv", sweep_csv(spec, configs, summaries), error)) {
    fmt::print(stderr, "slsim merge: {}\n", error);
    return kExitInputError;
  }
  fmt::print(stderr, "merged {} parts ({} jobs) into {}/sweep.csv\n", parts.size(), jobs.size(),
             out);
  return kExitOk;
}

}  // namespace slsim
