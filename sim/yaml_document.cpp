#include "slsim/yaml_document.hpp"

#include <fmt/format.h>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>
#include <unordered_map>

namespace slsim {
namespace fs = std::filesystem;
namespace {

// Position (0-based line and column) of byte `offset` in `text`.
YAML::Mark mark_at(const std::string& text, size_t offset) {
  YAML::Mark m;
  m.pos = static_cast<int>(offset);
  m.line = 0;
  m.column = 0;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++m.line;
      m.column = 0;
    } else {
      ++m.column;
    }
  }
  return m;
}

// Where the second document starts: the second line opening with "---" when the first document
// was opened by one, else the first; else (a "..." end marker followed by more content) the
// parser's mark of the second document.
YAML::Mark second_document_mark(const std::string& text, const YAML::Mark& parsed) {
  std::vector<size_t> starts;
  size_t first_content = std::string::npos;
  for (size_t line = 0; line < text.size();) {
    const size_t end = std::min(text.find('\n', line), text.size());
    const std::string_view l(text.data() + line, end - line);
    if (l.substr(0, 3) == "---") starts.push_back(line);
    const size_t nonblank = l.find_first_not_of(" \t\r");
    if (first_content == std::string::npos && nonblank != std::string::npos && l[nonblank] != '#')
      first_content = line;
    line = end + 1;
  }
  const bool opened = !starts.empty() && starts.front() == first_content;
  const size_t k = opened ? 1 : 0;
  if (k < starts.size()) return mark_at(text, starts[k]);
  return parsed.is_null() || parsed.line < 0 ? mark_at(text, text.size()) : parsed;
}

// Records where each document starts; ignores everything else.
class DocumentStarts : public YAML::EventHandler {
 public:
  explicit DocumentStarts(std::vector<YAML::Mark>& starts) : starts_(starts) {}
  void OnDocumentStart(const YAML::Mark& mark) override { starts_.push_back(mark); }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}

 private:
  std::vector<YAML::Mark>& starts_;
};

class TreeCheck {
 public:
  static constexpr int kMaxDepth = 600;

  TreeCheck(YamlReader& r, size_t budget) : r_(r), budget_(budget) {}

  bool visit(const YAML::Node& node, int depth = 0) {
    // The parser stops at 500 levels, so a deeper walk can only be an alias inside itself
    // (`a: &a [*a]`), which yaml-cpp turns into a cycle.
    if (depth > kMaxDepth) {
      r_.error(node,
               "an alias refers to a value that contains it, a cycle slsim cannot read; "
               "write the value out");
      over_budget_ = true;
      return false;
    }
    if (++visits_ > budget_) {
      if (!over_budget_)
        r_.error(node, fmt::format("aliases expand this document to more than {} values (a "
                                   "'billion laughs' file?); write the values out instead of "
                                   "nesting aliases",
                                   budget_));
      over_budget_ = true;
      return false;
    }
    if (node.IsSequence()) {
      for (const auto& element : node)
        if (!visit(element, depth + 1)) return false;
    } else if (node.IsMap()) {
      std::unordered_map<std::string, YAML::Mark> seen;
      for (const auto& item : node) {
        if (!item.first.IsScalar()) {
          r_.error(item.first,
                   "a key must be a plain name or number, not a list, a mapping or empty (check "
                   "the indentation and the ':' before this value)");
          ok_ = false;
        } else if (const auto [it, added] = seen.emplace(item.first.Scalar(), item.first.Mark());
                   !added) {
          r_.error(item.first,
                   fmt::format("key '{}' is given twice in this mapping (first at line {}); YAML "
                               "keys are unique: remove one",
                               item.first.Scalar(), it->second.line + 1));
          ok_ = false;
        }
        if (!visit(item.second, depth + 1)) return false;
      }
    }
    return true;
  }
  bool ok() const { return ok_ && !over_budget_; }

 private:
  YamlReader& r_;
  size_t budget_;
  size_t visits_ = 0;
  bool over_budget_ = false;
  bool ok_ = true;
};

}  // namespace

std::string read_input_file(const std::string& path, std::string& text) {
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (ec || !fs::exists(status)) return "does not exist (check the path)";
  if (fs::is_directory(status)) return "is a folder, not a file";
  if (!fs::is_regular_file(status)) return "is not a regular file";
  const auto size = fs::file_size(path, ec);
  if (ec) return "cannot be read: " + ec.message();
  if (size > kMaxInputFileBytes)
    return fmt::format("is {} bytes, larger than the {} bytes an input file may have", size,
                       kMaxInputFileBytes);
  std::ifstream in(path, std::ios::binary);
  if (!in) return "cannot be read (check its permissions)";
  std::stringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return "cannot be read (an input/output error)";
  text = ss.str();
  return "";
}

bool check_yaml_tree(YamlReader& reader, const YAML::Node& root, size_t budget) {
  TreeCheck check(reader, budget);
  check.visit(root);
  return check.ok();
}

bool load_yaml_text(YamlReader& r, const std::string& text, const std::string& what,
                    YAML::Node& root) {
  if (const size_t nul = text.find('\0'); nul != std::string::npos) {
    r.error_at(
        mark_at(text, nul),
        fmt::format("the {} contains a NUL byte (a binary file?); it must be YAML text", what));
    return false;
  }
  // yaml-cpp 0.7's LoadAll loops for ever on some malformed input (a lone ','; its issue #1040,
  // fixed upstream by PR #1319): count documents with the event parser instead, stopping at the
  // second start, and only then build the first document.
  std::vector<YAML::Mark> starts;
  YAML::Node document;
  try {
    std::istringstream in(text);
    YAML::Parser parser(in);
    DocumentStarts events(starts);
    while (starts.size() < 2 && parser.HandleNextDocument(events)) {
    }
    if (starts.size() == 2 && starts[1].pos <= starts[0].pos) {
      r.error_at(starts[1],
                 "YAML syntax error: the parser cannot go on from here (a stray ',' "
                 "or other flow indicator outside '[...]' or '{...}'?)");
      return false;
    }
    if (starts.size() < 2) document = YAML::Load(text);
  } catch (const YAML::DeepRecursion& e) {
    // yaml-cpp stops at 500 nested levels, with the message "bad file".
    r.error_at(e.mark,
               "YAML nests deeper than 500 levels here; no slsim file needs more than a "
               "few (check for unclosed '[' or '{')");
    return false;
  } catch (const YAML::Exception& e) {
    r.error_at(e.mark, "YAML syntax error: " + e.msg);
    return false;
  }
  if (starts.size() > 1) {
    r.error_at(second_document_mark(text, starts[1]),
               fmt::format("a second YAML document starts here; a {} is one document (remove the "
                           "'---' and what follows, or merge it into the first)",
                           what));
    return false;
  }
  if (starts.empty() || document.IsNull()) {
    r.error_at(mark_at(text, 0),
               fmt::format("the {} is empty (or holds only comments); it must be a YAML mapping "
                           "of keys to values",
                           what));
    return false;
  }
  // Without aliases a file of n bytes has fewer than n values; this leaves room for aliases
  // used as templates while stopping exponential expansion.
  if (!check_yaml_tree(r, document, 4 * text.size() + 100000)) return false;
  root = document;
  return true;
}

bool load_yaml_file(YamlReader& r, const std::string& what, YAML::Node& root, std::string* text) {
  std::string content;
  if (const std::string problem = read_input_file(r.file(), content); !problem.empty()) {
    r.error_file(fmt::format("cannot read the {}: the path {}", what, problem));
    return false;
  }
  const bool ok = load_yaml_text(r, content, what, root);
  if (text) *text = std::move(content);
  return ok;
}

}  // namespace slsim
