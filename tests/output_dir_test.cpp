// The --out folder changes all at once or not at all: interrupted (SIGINT, SIGTERM), killed
// (SIGKILL) and failing runs leave an earlier result byte-identical and nothing behind.
#include "slsim/output_dir.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "files.hpp"

namespace fs = std::filesystem;

using slsim::testing::fresh_dir;
using slsim::testing::read;
using slsim::testing::sh;

namespace {

const std::string kSlsim = SLSIM_BINARY;
const std::string kSeed =
    std::string(SLSIM_SOURCE_DIR) + "/scenarios/seed-provisioned-vs-on-demand.yaml";

// Every file below `dir` (relative path -> content), hidden ones included.
std::map<std::string, std::string> snapshot(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) files[fs::relative(e.path(), dir).string()] = read(e.path());
  return files;
}

// Names in `dir` that contain "slsim-": working folders and their leftovers.
std::vector<std::string> leftovers(const fs::path& dir) {
  std::vector<std::string> found;
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    if (name.find("slsim-") != std::string::npos) found.push_back(name);
  }
  return found;
}

// A long run (3.6e9 requests: minutes) onto `out`, started in the background with stderr to
// `log`; returns once its working folder exists, i.e. once its signal handlers are in place
// (they are installed before the folder is created).
pid_t start_long_run(const fs::path& parent, const fs::path& out, const fs::path& log) {
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(fd, 2);
    ::execl(kSlsim.c_str(), "slsim", "run", kSeed.c_str(), "-q", "--requests", "--set",
            "duration=1h", "--set",
            "endpoints=[{name: e, memory: 2GB, max_concurrency: 200, traffic: [{type: poisson, "
            "rate: 1e6/s}]}]",
            "--out", out.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  const std::string work = "." + out.filename().string() + ".slsim-tmp-" + std::to_string(pid);
  // Waits for an event, not for a time: the bound only keeps a broken build from hanging.
  for (int i = 0; i < 6000 && !fs::exists(parent / work); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  REQUIRE(fs::exists(parent / work));
  return pid;
}

// Waits for `pid` (at most ~2 minutes, so that a run that ignores the signal fails the test
// instead of hanging it) and returns its exit status, or 128 + the signal that killed it.
int wait_for(pid_t pid) {
  int status = 0;
  for (int i = 0; i < 12000; ++i) {
    if (::waitpid(pid, &status, WNOHANG) == pid)
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ::kill(pid, SIGKILL);
  ::waitpid(pid, &status, 0);
  FAIL("the run did not stop after the signal");
  return -1;
}

}  // namespace

TEST_CASE("SIGINT or SIGTERM during a run leaves an earlier result byte-identical",
          "[output][interrupt]") {
  for (const int signal : {SIGINT, SIGTERM}) {
    const fs::path parent = fresh_dir("signal" + std::to_string(signal));
    const fs::path out = parent / "out", log = parent / "log.txt";
    REQUIRE(sh(kSlsim + " run " + kSeed + " -q --requests --out " + out.string()) == 0);
    const auto before = snapshot(out);
    const pid_t pid = start_long_run(parent, out, log);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));  // let it simulate a while
    ::kill(pid, signal);
    REQUIRE(wait_for(pid) == 128 + signal);
    CHECK(snapshot(out) == before);
    CHECK(leftovers(parent).empty());
    CHECK_THAT(read(log), Catch::Contains(std::string("interrupted by ") +
                                          (signal == SIGINT ? "SIGINT" : "SIGTERM")) &&
                              Catch::Contains("was left as it was, nothing was written"));
    fs::remove_all(parent);
  }
}

TEST_CASE("what a killed run left is named for what it is and removed by the next run",
          "[output][interrupt]") {
  const fs::path parent = fresh_dir("kill");
  const fs::path out = parent / "out", other = parent / "other";
  REQUIRE(sh(kSlsim + " run " + kSeed + " -q --out " + out.string()) == 0);
  const auto before = snapshot(out);
  const pid_t pid = start_long_run(parent, out, parent / "log.txt");
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  ::kill(pid, SIGKILL);
  REQUIRE(wait_for(pid) == 128 + SIGKILL);
  CHECK(snapshot(out) == before);  // a kill cannot mix the folder either
  const std::vector<std::string> left = leftovers(parent);
  REQUIRE(left == std::vector<std::string>{".out.slsim-tmp-" + std::to_string(pid)});
  // Any later run into the same parent folder removes it.
  REQUIRE(sh(kSlsim + " run " + kSeed + " -q --out " + other.string()) == 0);
  CHECK(leftovers(parent).empty());
  CHECK(snapshot(out) == before);
  fs::remove_all(parent);
}

TEST_CASE("a new result replaces the whole folder: no stale file survives beside it", "[output]") {
  const fs::path parent = fresh_dir("stale");
  const fs::path out = parent / "out";
  REQUIRE(sh(kSlsim + " run " + kSeed + " -q --requests --out " + out.string()) == 0);
  REQUIRE(fs::exists(out / "requests.csv"));
  // An earlier slsim's per-file temporary is recognised as a result folder's and goes too.
  std::ofstream(out / ".summary.json.tmp-999999") << "partial";
  REQUIRE(sh(kSlsim + " run " + kSeed + " -q --seed 2 --out " + out.string()) == 0);
  CHECK_FALSE(fs::exists(out / "requests.csv"));
  CHECK_FALSE(fs::exists(out / ".summary.json.tmp-999999"));
  CHECK_THAT(read(out / "summary.json"), Catch::Contains("\"seed\": 2"));
  CHECK(leftovers(parent).empty());
  // A trailing slash names the same folder; a symbolic link's target is replaced, not the link.
  REQUIRE(sh(kSlsim + " run " + kSeed + " -q --seed 3 --out " + out.string() + "/") == 0);
  CHECK_THAT(read(out / "summary.json"), Catch::Contains("\"seed\": 3"));
  fs::create_directory_symlink(out, parent / "link");
  REQUIRE(sh(kSlsim + " run " + kSeed + " -q --seed 4 --out " + (parent / "link").string()) == 0);
  CHECK(fs::is_symlink(parent / "link"));
  CHECK_THAT(read(out / "summary.json"), Catch::Contains("\"seed\": 4"));
  CHECK(leftovers(parent).empty());
  fs::remove_all(parent);
}

TEST_CASE("an --out that cannot take a result is reported before anything is simulated",
          "[output]") {
  const fs::path parent = fresh_dir("refuse");
  std::ofstream(parent / "file") << "x";
  fs::create_directories(parent / "mine");
  std::ofstream(parent / "mine" / "notes.txt") << "my notes";
  const auto run = [&](const std::string& out) {
    const int status = std::system((kSlsim + " run " + kSeed + " -q --out " + out + " 2>" +
                                    (parent / "err.txt").string() + " >/dev/null")
                                       .c_str());
    return std::pair{WIFEXITED(status) ? WEXITSTATUS(status) : -1, read(parent / "err.txt")};
  };
  const auto [file_status, file_err] = run((parent / "file").string());
  CHECK(file_status == 1);
  CHECK_THAT(file_err, Catch::Contains("exists and is not a folder"));
  const auto [under_status, under_err] = run((parent / "file" / "out").string());
  CHECK(under_status == 1);
  CHECK_THAT(under_err, Catch::Contains("Not a directory"));
  const auto [proc_status, proc_err] = run("/proc/slsim-no/out");
  CHECK(proc_status == 1);
  const auto [mine_status, mine_err] = run((parent / "mine").string());
  CHECK(mine_status == 1);
  CHECK_THAT(mine_err, Catch::Contains("holds 'notes.txt', which slsim did not write"));
  CHECK(read(parent / "mine" / "notes.txt") == "my notes");
  for (const std::string& err : {file_err, under_err, proc_err, mine_err}) {
    CHECK_THAT(err, Catch::Contains("nothing was run or written"));
    CHECK_THAT(err, !Catch::Contains("events in"));  // the simulation never started
  }
  CHECK(leftovers(parent).empty());
  fs::remove_all(parent);
}

TEST_CASE("leftovers of dead processes are removed; an aside result is put back", "[output]") {
  const fs::path parent = fresh_dir("leftovers");
  const pid_t dead = ::fork();
  if (dead == 0) ::_exit(0);
  ::waitpid(dead, nullptr, 0);
  const std::string d = std::to_string(dead);
  fs::create_directories(parent / (".gone.slsim-tmp-" + d) / "x");
  fs::create_directories(parent / (".res.slsim-old-" + d));
  std::ofstream(parent / (".res.slsim-old-" + d) / "summary.json") << "old";
  const std::string live = ".live.slsim-tmp-" + std::to_string(::getppid());
  fs::create_directories(parent / live);
  fs::create_directories(parent / ".unrelated.slsim-tmp-abc");
  CHECK(slsim::remove_stale_work_dirs(parent) == 2);
  CHECK_FALSE(fs::exists(parent / (".gone.slsim-tmp-" + d)));
  CHECK(read(parent / "res" / "summary.json") == "old");  // killed between the two renames
  CHECK(fs::exists(parent / live));                       // its process still runs
  CHECK(fs::exists(parent / ".unrelated.slsim-tmp-abc"));
  fs::remove_all(parent);
}
