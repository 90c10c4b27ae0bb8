#include "slsim/plotting.hpp"

#include <fmt/format.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <vector>

#include "slsim/data_paths.hpp"

namespace slsim {
namespace {

// Single-quotes `s` for /bin/sh.
std::string quote(const std::string& s) {
  std::string out = "'";
  for (const char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

int shell(const std::string& command) {
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

std::string find_plot_python() {
  std::vector<std::string> candidates;
  if (const char* env = std::getenv("SLSIM_PYTHON")) {
    candidates.emplace_back(env);  // the user's choice, and only that
  } else {
    candidates.emplace_back("python3");
    candidates.emplace_back("/usr/bin/python3");  // Debian's, when python3 is another install
  }
  for (const auto& python : candidates)
    if (shell(quote(python) + " -c 'import matplotlib, pandas' >/dev/null 2>&1") == 0)
      return python;
  return "";
}

std::string analysis_dir() {
  const std::string data = data_dir();
  return data.empty() ? std::string() : (std::filesystem::path(data) / "analysis").string();
}

namespace {

// Runs analysis/<script> on `out_dir`.
bool run_script(const char* script_name, const std::string& out_dir, std::string& message) {
  const std::string python = find_plot_python();
  if (python.empty()) {
    message =
        "--plot needs Python 3 with matplotlib and pandas; on Debian/Ubuntu: "
        "sudo apt-get install python3-matplotlib python3-pandas (or set SLSIM_PYTHON to an "
        "interpreter that has them). The results were written; plot them later with: "
        "python3 " +
        (std::filesystem::path(analysis_dir()) / script_name).string() + " " + out_dir;
    return false;
  }
  const std::string dir = analysis_dir();
  const std::string script = (std::filesystem::path(dir) / script_name).string();
  if (dir.empty() || !std::filesystem::exists(script)) {
    message = dir.empty() ? "--plot: slsim's data folder was not found next to the binary; set "
                            "SLSIM_DATA_DIR to the folder holding analysis/plot_run.py"
                          : fmt::format("--plot: cannot find {}", script);
    return false;
  }
  // Its own "wrote ..." line would name the working folder (output_dir.hpp): slsim says instead.
  if (shell(quote(python) + " " + quote(script) + " " + quote(out_dir) + " >/dev/null") != 0) {
    message = "--plot: the plotting script failed (see its message above)";
    return false;
  }
  return true;
}

}  // namespace

bool plot_run(const std::string& out_dir, std::string& message) {
  return run_script("plot_run.py", out_dir, message);
}

bool plot_sweep(const std::string& out_dir, std::string& message) {
  return run_script("plot_sweep.py", out_dir, message);
}

}  // namespace slsim
