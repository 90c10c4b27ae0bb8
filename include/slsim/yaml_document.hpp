// Reading an input file (scenario, pricing, calibration) as one YAML document, with every way a
// file can be wrong turned into a `file:line:column:` error instead of a crash, a hang or a
// silently ignored part: a folder or unreadable path, a NUL byte, a syntax error, an empty
// file, a second document, a key given twice in one mapping (YAML says keys are unique; a
// reader that kept the first would silently drop the second), a key that is a list or a
// mapping, and aliases that expand into more nodes than the file could hold ("billion laughs").
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <string>

#include "slsim/yaml_reader.hpp"

namespace slsim {

// Input files larger than this are refused (a scenario with a million inline samples is
// about 10 MB).
inline constexpr size_t kMaxInputFileBytes = size_t{1} << 30;

// Reads the whole regular file `path` into `text`. Returns "" or what is wrong with the path,
// e.g. "is a folder, not a file".
std::string read_input_file(const std::string& path, std::string& text);

// Reads `reader.file()` and parses it into `root`. `what` names the kind of file for messages
// ("scenario file"). Returns false, with the problems recorded in `reader`, if the file cannot
// be used; `text` (if given) receives the file's text.
bool load_yaml_file(YamlReader& reader, const std::string& what, YAML::Node& root,
                    std::string* text = nullptr);

// The same for text already in memory (whose origin `reader` names).
bool load_yaml_text(YamlReader& reader, const std::string& text, const std::string& what,
                    YAML::Node& root);

// Checks a parsed tree for duplicate keys, keys that are not plain values, and alias expansion:
// nodes visited (an alias visits its target again) may not exceed `budget`. Records problems
// in `reader`; returns false if there were any.
bool check_yaml_tree(YamlReader& reader, const YAML::Node& root, size_t budget);

}  // namespace slsim
