// `slsim sweep` (sweep.hpp runs and aggregates the jobs; sweep_folder.hpp has the --out folder's
// files).
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <set>
#include <thread>

#include "slsim/commands.hpp"
#include "slsim/exit_codes.hpp"
#include "slsim/interrupt.hpp"
#include "slsim/progress.hpp"
#include "slsim/scenario_loader.hpp"
#include "slsim/sweep.hpp"
#include "slsim/sweep_folder.hpp"
#include "slsim/units.hpp"

namespace slsim {
namespace fs = std::filesystem;
namespace {

constexpr int64_t kMaxConfigurations = 100000;

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

}  // namespace slsim
