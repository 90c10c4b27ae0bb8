// `slsim merge`: the --shard parts of one sweep into the folder the unsharded sweep writes
// (sweep_folder.hpp has the folders' files).
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <set>

#include "slsim/commands.hpp"
#include "slsim/exit_codes.hpp"
#include "slsim/sweep.hpp"
#include "slsim/sweep_folder.hpp"

namespace slsim {
namespace fs = std::filesystem;
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
