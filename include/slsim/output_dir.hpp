// Writes a set of result files into a folder so that a reader never sees a half-written file and
// an earlier run's files are replaced only when the new run has written everything: each file is
// written to a hidden temporary in the folder, and all are renamed into place by commit().
// Without commit() (an error, an exception), the temporaries are removed.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

namespace slsim {

class OutputDir {
 public:
  explicit OutputDir(std::string dir) : dir_(std::move(dir)) {}
  ~OutputDir();
  OutputDir(const OutputDir&) = delete;
  OutputDir& operator=(const OutputDir&) = delete;

  // Creates the folder if needed. Returns false with a message on failure.
  bool prepare(std::string& error);
  // The temporary path that will become `name` at commit().
  std::string stage(const std::string& name);
  // A hidden temporary path prefix in the folder for numbered intermediate files
  // (`<prefix>.0`, `<prefix>.1`, ...), removed when the OutputDir goes away, never renamed.
  std::string scratch(const std::string& name);
  // Writes `content` to the staged file `name`.
  bool write(const std::string& name, const std::string& content, std::string& error);
  // Opens the staged file `name` for streaming writes; close it with close_file().
  std::FILE* open(const std::string& name, std::string& error);
  bool close_file(std::FILE* f, std::string& error);
  // Renames every staged file into place.
  bool commit(std::string& error);
  const std::string& dir() const { return dir_; }
  std::string path(const std::string& name) const { return dir_ + "/" + name; }

 private:
  std::string dir_;
  std::vector<std::pair<std::string, std::string>> staged_;  // (temporary, final)
  std::vector<std::string> scratch_;
  bool committed_ = false;
};

}  // namespace slsim
