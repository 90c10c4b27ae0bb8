// model.tar.gz, as SageMaker ships model artifacts (seeds/000: "a single gzip compressed tar
// archive"), written and extracted in memory with libarchive (Debian libarchive-dev).
#pragma once

#include <string>

namespace slsim {

// A gzip-compressed tar archive holding one file `member` with `content`.
std::string make_tar_gz(const std::string& member, const std::string& content);

// The content of the first regular file in a tar.gz. Throws std::runtime_error if malformed.
std::string extract_first_file(const std::string& tar_gz);

}  // namespace slsim
