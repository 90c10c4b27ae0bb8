// Writes a run's result folder so that it changes all at once or not at all. The files are
// written into a working folder beside it, `.NAME.slsim-tmp-PID` (PID: the writing process),
// and commit() swaps that folder with NAME in one atomic rename (Linux renameat2
// RENAME_EXCHANGE), then removes the old one. A reader, a failure or a kill at any moment finds
// NAME either wholly old or wholly new, never old files beside new ones; files of the earlier
// run that this one does not write (requests.csv, plots/) do not survive beside the new ones.
//
// Without commit() (an error, an interrupt) the working folder is removed. A killed process
// (SIGKILL) cannot remove it: every prepare() removes such leftovers of runs that no longer
// exist from the same parent folder.
#pragma once

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

namespace slsim {

class OutputDir {
 public:
  explicit OutputDir(std::string dir) : dir_(std::move(dir)) {}
  ~OutputDir();
  OutputDir(const OutputDir&) = delete;
  OutputDir& operator=(const OutputDir&) = delete;

  // Checks, before anything is simulated, that the folder can take a result, and creates the
  // working folder (and missing parent folders). Fails with a message if the path exists and is
  // not a folder, is a mount point, holds files slsim does not write (the whole folder is
  // replaced, so a folder of other files is refused rather than emptied), or its parent cannot
  // be written. Removes leftovers of killed runs beside it.
  bool prepare(std::string& error);
  // The working-folder path of result file `name`, renamed into place with the folder.
  std::string stage(const std::string& name);
  // A hidden working-folder path prefix for intermediate files (`<prefix>.0`, ...); they are
  // removed at commit() and never become part of the result.
  std::string scratch(const std::string& name);
  // Writes `content` to the staged file `name`.
  bool write(const std::string& name, const std::string& content, std::string& error);
  // Opens the staged file `name` for streaming writes; close it with close_file().
  std::FILE* open(const std::string& name, std::string& error);
  bool close_file(std::FILE* f, std::string& error);
  // The working folder: what is written there (e.g. plots) becomes part of the result.
  const std::string& work_dir() const { return work_; }
  // Replaces the folder by the working folder in one step.
  bool commit(std::string& error);
  const std::string& dir() const { return dir_; }

 private:
  std::string dir_;
  std::filesystem::path target_;                        // dir_, absolute, symbolic links resolved
  std::string work_;                                    // the working folder
  std::vector<std::filesystem::path> created_parents_;  // by prepare(), outermost first
  bool committed_ = false;
};

// The result files slsim run and slsim plan write into an --out folder; anything else there
// makes prepare() fail.
bool is_result_entry(const std::string& name);

// Removes, from folder `parent`, the working folders (`.NAME.slsim-tmp-PID`) of slsim processes
// that no longer exist; a `.NAME.slsim-old-PID` left between the two renames of the fallback
// commit is renamed back to NAME if NAME is missing. Returns how many leftovers were handled.
int remove_stale_work_dirs(const std::filesystem::path& parent);

}  // namespace slsim
