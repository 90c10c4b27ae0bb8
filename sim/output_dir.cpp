#include "slsim/output_dir.hpp"

#include <errno.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <system_error>

namespace slsim {
namespace fs = std::filesystem;
namespace {

constexpr const char* kWorkTag = ".slsim-tmp-";
constexpr const char* kOldTag = ".slsim-old-";

// The process id at the end of a leftover's name `.NAME<tag>PID`, or 0.
pid_t pid_after(const std::string& name, const std::string& tag, std::string* target) {
  if (name.size() < 2 || name[0] != '.') return 0;
  const size_t at = name.rfind(tag);
  if (at == std::string::npos || at < 2) return 0;
  const char* first = name.data() + at + tag.size();
  const char* last = name.data() + name.size();
  long pid = 0;
  const auto [ptr, ec] = std::from_chars(first, last, pid);
  if (ec != std::errc() || ptr != last || first == last || pid <= 0) return 0;
  if (target) *target = name.substr(1, at - 1);
  return static_cast<pid_t>(pid);
}

bool process_gone(pid_t pid) { return pid != ::getpid() && ::kill(pid, 0) == -1 && errno == ESRCH; }

// Whether folder `dir` holds a sweep: a manifest.txt of slsim sweep's (sweep_folder.hpp).
bool holds_sweep(const fs::path& dir) {
  std::FILE* f = std::fopen((dir / "manifest.txt").c_str(), "rb");
  if (!f) return false;
  char start[12] = {};
  const size_t n = std::fread(start, 1, sizeof start, f);
  std::fclose(f);
  return std::string(start, n) == "slsim-sweep ";
}

// An earlier slsim's hidden per-file temporary (`.summary.json.tmp-PID`).
bool is_old_temporary(const std::string& name) { return pid_after(name, ".tmp-", nullptr) != 0; }

// The first entry of folder `dir` that slsim does not write, or "".
std::string foreign_entry(const fs::path& dir, std::error_code& ec);

}  // namespace

bool is_result_entry(const std::string& name) {
  static const char* const kNames[] = {
      "summary.json", "metrics.csv", "latency.csv", "scenario.yaml", "scaling.csv", "requests.csv",
      // slsim plan's
      "plan.txt", "plan.json", "sweep.csv", "real_time.csv", "report.html", "plots"};
  return std::any_of(std::begin(kNames), std::end(kNames),
                     [&](const char* n) { return name == n; }) ||
         is_old_temporary(name);
}

namespace {

std::string foreign_entry(const fs::path& dir, std::error_code& ec) {
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (!is_result_entry(name)) return name;
  }
  return "";
}

}  // namespace

int remove_stale_work_dirs(const fs::path& parent) {
  std::error_code ec;
  int handled = 0;
  std::vector<fs::path> entries;
  for (fs::directory_iterator it(parent, ec), end; !ec && it != end; it.increment(ec))
    entries.push_back(it->path());
  for (const fs::path& p : entries) {
    const std::string name = p.filename().string();
    std::string target;
    if (const pid_t pid = pid_after(name, kWorkTag, nullptr); pid && process_gone(pid)) {
      fs::remove_all(p, ec);
      ++handled;
    } else if (const pid_t old = pid_after(name, kOldTag, &target); old && process_gone(old)) {
      // Killed between moving the earlier result aside and moving the new one in.
      if (!fs::exists(parent / target, ec))
        fs::rename(p, parent / target, ec);
      else
        fs::remove_all(p, ec);
      ++handled;
    }
  }
  return handled;
}

OutputDir::~OutputDir() {
  std::error_code ec;
  if (!committed_ && !work_.empty()) fs::remove_all(work_, ec);
  for (auto it = created_parents_.rbegin(); it != created_parents_.rend(); ++it)
    fs::remove(*it, ec);  // only if still empty
}

bool OutputDir::prepare(std::string& error) {
  std::error_code ec;
  if (dir_.empty()) {
    error = "--out needs a folder name";
    return false;
  }
  fs::path given = fs::absolute(dir_, ec);
  while (given.filename().empty() && given.has_relative_path())
    given = given.parent_path();  // "out/"
  target_ = fs::weakly_canonical(given, ec);
  if (ec || target_.filename().empty() || target_.filename() == "." || target_.filename() == ".." ||
      target_ == target_.root_path()) {
    error = fmt::format("--out '{}' is not a folder that can be replaced; name a folder", dir_);
    return false;
  }
  const fs::path parent = target_.parent_path();
  const fs::file_status status = fs::symlink_status(target_, ec);
  if (fs::exists(status)) {
    if (!fs::is_directory(status)) {
      error =
          fmt::format("--out '{}' exists and is not a folder; name a new or result folder", dir_);
      return false;
    }
    struct stat self {
    }, above{};
    if (::stat(target_.c_str(), &self) == 0 && ::stat(parent.c_str(), &above) == 0 &&
        self.st_dev != above.st_dev) {
      error = fmt::format(
          "--out '{}' is a mount point, which cannot be replaced; name a folder "
          "inside it",
          dir_);
      return false;
    }
    if (holds_sweep(target_)) {
      error = fmt::format(
          "--out '{}' holds a sweep (manifest.txt) of slsim sweep; this command writes its own "
          "folder and does not replace a sweep's: choose another --out",
          dir_);
      return false;
    }
    if (const std::string name = foreign_entry(target_, ec); !name.empty()) {
      error = fmt::format(
          "--out '{}' holds '{}', which slsim did not write; slsim replaces the whole folder, so "
          "name a new or empty folder or an earlier result folder",
          dir_, name);
      return false;
    }
    if (ec) {
      error = fmt::format("--out '{}' cannot be read: {}", dir_, ec.message());
      return false;
    }
  }
  // Missing parent folders are created, and removed again if the run does not commit.
  std::vector<fs::path> missing;
  for (fs::path p = parent; !p.empty() && !fs::exists(p, ec); p = p.parent_path()) {
    missing.insert(missing.begin(), p);
    if (p == p.root_path()) break;
  }
  for (const fs::path& p : missing) {
    if (!fs::create_directory(p, ec) || ec) {
      error = fmt::format("cannot create the folder '{}' for --out: {}", p.string(),
                          ec ? ec.message() : "it is in the way");
      return false;
    }
    created_parents_.push_back(p);
  }
  if (const int removed = remove_stale_work_dirs(parent); removed > 0)
    fmt::print(stderr,
               "slsim run: removed {} leftover working folder{} of interrupted runs in {}\n",
               removed, removed == 1 ? "" : "s", parent.string());
  const fs::path work =
      parent / fmt::format(".{}{}{}", target_.filename().string(), kWorkTag, ::getpid());
  fs::remove_all(work, ec);
  if (!fs::create_directory(work, ec) || ec) {
    error = fmt::format("cannot write into '{}' for --out: {}", parent.string(),
                        ec ? ec.message() : "a file is in the way");
    return false;
  }
  work_ = work.string();
  return true;
}

std::string OutputDir::stage(const std::string& name) { return work_ + "/" + name; }

std::string OutputDir::scratch(const std::string& name) { return work_ + "/." + name; }

std::FILE* OutputDir::open(const std::string& name, std::string& error) {
  const std::string path = stage(name);
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) error = fmt::format("cannot write '{}': {}", path, std::strerror(errno));
  return f;
}

bool OutputDir::close_file(std::FILE* f, std::string& error) {
  const bool failed = std::ferror(f) != 0;
  if (std::fclose(f) != 0 || failed) {
    error = fmt::format("writing into '{}' failed (disk full?)", work_);
    return false;
  }
  return true;
}

bool OutputDir::write(const std::string& name, const std::string& content, std::string& error) {
  std::FILE* f = open(name, error);
  if (!f) return false;
  std::fwrite(content.data(), 1, content.size(), f);
  return close_file(f, error);
}

bool OutputDir::commit(std::string& error) {
  std::error_code ec;
  std::vector<fs::path> scratch;
  for (fs::directory_iterator it(work_, ec), end; !ec && it != end; it.increment(ec))
    if (it->path().filename().string().front() == '.') scratch.push_back(it->path());
  for (const fs::path& p : scratch) fs::remove_all(p, ec);
  // A new folder appears whole; an existing one is exchanged with the working folder, which
  // then holds the earlier result and is removed.
  if (::rename(work_.c_str(), target_.c_str()) == 0) {
    committed_ = true;
    return true;
  }
  int failure = errno;
  if (failure == EEXIST || failure == ENOTEMPTY) {
    // Checked again: something may have been put there while the simulation ran.
    if (const std::string name = foreign_entry(target_, ec); !name.empty()) {
      error =
          fmt::format("'{}' was given '{}' while slsim ran, which it did not write", dir_, name);
      return false;
    }
    if (::renameat2(AT_FDCWD, work_.c_str(), AT_FDCWD, target_.c_str(), RENAME_EXCHANGE) == 0) {
      committed_ = true;
      fs::remove_all(work_, ec);
      return true;
    }
    failure = errno;
    if (failure == EINVAL || failure == ENOSYS) {
      // A file system without RENAME_EXCHANGE: two renames; a kill between them leaves the
      // earlier result as `.NAME.slsim-old-PID`, which remove_stale_work_dirs() puts back.
      const fs::path old = target_.parent_path() /
                           fmt::format(".{}{}{}", target_.filename().string(), kOldTag, ::getpid());
      if (::rename(target_.c_str(), old.c_str()) != 0) {
        failure = errno;
      } else if (::rename(work_.c_str(), target_.c_str()) == 0) {
        committed_ = true;
        fs::remove_all(old, ec);
        return true;
      } else {
        failure = errno;
        ::rename(old.c_str(), target_.c_str());
      }
    }
  }
  error = fmt::format("cannot move the new results into '{}': {}", dir_, std::strerror(failure));
  return false;
}

}  // namespace slsim
