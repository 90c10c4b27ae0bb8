// The output files and their documentation (scenarios/README.md, "Output files") agree: every
// field and column slsim writes is documented, and every documented one is written, on a
// scenario that exercises them all (tests/scenarios/every-output.yaml).
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "files.hpp"

namespace fs = std::filesystem;

using slsim::testing::read;

namespace {

const std::string kSlsim = SLSIM_BINARY;
const std::string kSource = SLSIM_SOURCE_DIR;

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string trim(const std::string& s) {
  const size_t a = s.find_first_not_of(" \t");
  const size_t b = s.find_last_not_of(" \t");
  return a == std::string::npos ? "" : s.substr(a, b - a + 1);
}

// Splits a Markdown table row "| a | b | c |" into its cells.
std::vector<std::string> cells(const std::string& row) {
  std::vector<std::string> out;
  std::string cell;
  for (size_t i = 1; i < row.size(); ++i) {
    if (row[i] == '|') {
      out.push_back(trim(cell));
      cell.clear();
    } else {
      cell += row[i];
    }
  }
  return out;
}

// "a.{x,y}.b" -> {"a.x.b", "a.y.b"}; braces may repeat.
std::vector<std::string> expand(const std::string& name) {
  const size_t open = name.find('{');
  if (open == std::string::npos) return {name};
  const size_t close = name.find('}', open);
  REQUIRE(close != std::string::npos);
  std::vector<std::string> out;
  std::istringstream alternatives(name.substr(open + 1, close - open - 1));
  for (std::string alt; std::getline(alternatives, alt, ',');)
    for (const auto& rest : expand(name.substr(close + 1)))
      out.push_back(name.substr(0, open) + alt + rest);
  return out;
}

struct DocTable {
  std::string kind;                            // the first header cell: field, figure, column
  std::vector<std::string> names;              // in the document's order, braces expanded
  std::map<std::string, std::string> meaning;  // name -> its meaning cell
};

// The tables under "### `FILE`" in the "## Output files" chapter of scenarios/README.md.
std::vector<DocTable> documented(const std::string& file) {
  const auto lines = lines_of(read(kSource + "/scenarios/README.md"));
  std::vector<DocTable> tables;
  bool in_chapter = false, in_section = false, in_table = false;
  for (const std::string& line : lines) {
    if (line.rfind("## ", 0) == 0) in_chapter = line == "## Output files";
    if (!in_chapter) continue;
    if (line.rfind("### ", 0) == 0) in_section = line == "### `" + file + "`";
    if (!in_section) continue;
    if (line.rfind("|", 0) != 0) {
      in_table = false;
      continue;
    }
    const auto row = cells(line);
    if (!in_table) {  // the header row
      REQUIRE(row.size() == 3);
      REQUIRE(row[1] == "unit");
      REQUIRE(row[2] == "meaning");
      tables.push_back(DocTable{row[0], {}, {}});
      in_table = true;
      continue;
    }
    if (row[0].rfind("---", 0) == 0) continue;  // the separator row
    INFO(line);
    REQUIRE(row.size() == 3);
    REQUIRE(row[0].size() > 2);
    REQUIRE(row[0].front() == '`');
    REQUIRE(row[0].back() == '`');
    REQUIRE_FALSE(row[1].empty());
    REQUIRE_FALSE(row[2].empty());
    for (const auto& name : expand(row[0].substr(1, row[0].size() - 2))) {
      tables.back().names.push_back(name);
      tables.back().meaning[name] = row[2];
    }
  }
  return tables;
}

const DocTable& table(const std::vector<DocTable>& tables, const std::string& kind) {
  for (const auto& t : tables)
    if (t.kind == kind) return t;
  FAIL("no '" << kind << "' table");
  throw;  // not reached
}

// A CSV line's fields; quoted fields may hold commas (RFC 4180).
std::vector<std::string> csv_fields(const std::string& line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (c == '"') {
      if (quoted && i + 1 < line.size() && line[i + 1] == '"') {
        out.back() += '"';
        ++i;
      } else {
        quoted = !quoted;
      }
    } else if (c == ',' && !quoted) {
      out.emplace_back();
    } else {
      out.back() += c;
    }
  }
  return out;
}

// summary.json's figures under `node` (each {"mean", "ci95", "n"}), as dotted names.
void collect_figures(const YAML::Node& node, const std::string& prefix,
                     std::set<std::string>& figures) {
  REQUIRE(node.IsMap());
  if (node["mean"] && !node["mean"].IsMap()) {  // latency_s has a figure named "mean"
    INFO(prefix);
    REQUIRE(node.size() == 3);
    REQUIRE(node["ci95"]);
    REQUIRE(node["n"]);
    figures.insert(prefix);
    return;
  }
  for (const auto& kv : node) {
    const std::string key = kv.first.as<std::string>();
    collect_figures(kv.second, prefix.empty() ? key : prefix + "." + key, figures);
  }
}

// summary.json's other fields, as dotted names ("slo[].holds"); endpoint names become NAME.
void collect_fields(const YAML::Node& node, const std::string& path, std::set<std::string>& fields,
                    std::map<std::string, std::set<std::string>>& figures) {
  if (node.IsMap()) {
    for (const auto& kv : node) {
      const std::string key = kv.first.as<std::string>();
      const std::string sub = path.empty() ? key : path + "." + key;
      if (sub == "total") {
        collect_figures(kv.second, "", figures["total"]);
      } else if (sub == "endpoints") {
        for (const auto& endpoint : kv.second) {
          const std::string name = endpoint.first.as<std::string>();
          for (const auto& field : endpoint.second) {
            const std::string f = field.first.as<std::string>();
            if (f == "model")
              fields.insert("endpoints.NAME.model");
            else
              collect_figures(field.second, f, figures[name]);
          }
        }
      } else {
        collect_fields(kv.second, sub, fields, figures);
      }
    }
  } else if (node.IsSequence() && node.size() > 0 && node[0].IsMap()) {
    for (const auto& item : node) collect_fields(item, path + "[]", fields, figures);
  } else {
    fields.insert(path);  // a scalar, or a list of scalars
  }
}

struct Run {
  fs::path dir;
  Run() {
    dir = fs::temp_directory_path() / ("slsim-schema-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    const std::string command = kSlsim + " run " + kSource +
                                "/tests/scenarios/every-output.yaml -q -r 2 --requests "
                                "--slo 'p99<=1s' --slo 'cold_p50<5s' --out " +
                                dir.string() + " >/dev/null 2>&1";
    REQUIRE(std::system(command.c_str()) == 0);
  }
  ~Run() { fs::remove_all(dir); }
};

// Checks a CSV against its table: the header is the documented columns in order, every row has
// as many fields, and values of `enumerated` columns are named in their meaning. Returns the
// values seen in those columns.
std::map<std::string, std::set<std::string>> check_csv(const fs::path& path,
                                                       const std::string& file,
                                                       const std::vector<std::string>& enumerated) {
  INFO(file);
  const auto tables = documented(file);
  const DocTable& doc = table(tables, "column");
  const auto lines = lines_of(read(path));
  REQUIRE(lines.size() >= 2);  // the scenario writes rows into every file
  const auto header = csv_fields(lines[0]);
  CHECK(header == doc.names);
  std::map<std::string, std::set<std::string>> seen;
  for (size_t i = 1; i < lines.size(); ++i) {
    const auto fields = csv_fields(lines[i]);
    INFO(lines[i]);
    REQUIRE(fields.size() == header.size());
    for (const auto& column : enumerated) {
      const size_t c = std::find(header.begin(), header.end(), column) - header.begin();
      REQUIRE(c < header.size());
      seen[column].insert(fields[c]);
    }
  }
  for (const auto& [column, values] : seen)
    for (const auto& v : values) {
      INFO(column << " value '" << v << "' is not named in its meaning");
      CHECK(doc.meaning.at(column).find("`" + v + "`") != std::string::npos);
    }
  return seen;
}

std::set<std::string> column_values(const fs::path& path, const std::string& column) {
  const auto lines = lines_of(read(path));
  const auto header = csv_fields(lines.at(0));
  const size_t c = std::find(header.begin(), header.end(), column) - header.begin();
  REQUIRE(c < header.size());
  std::set<std::string> values;
  for (size_t i = 1; i < lines.size(); ++i) values.insert(csv_fields(lines[i]).at(c));
  return values;
}

}  // namespace

TEST_CASE("summary.json's fields and figures are those scenarios/README.md documents",
          "[output][schema]") {
  Run run;
  const YAML::Node summary = YAML::LoadFile((run.dir / "summary.json").string());
  std::set<std::string> fields;
  std::map<std::string, std::set<std::string>> figures;
  collect_fields(summary, "", fields, figures);
  const auto tables = documented("summary.json");

  const DocTable& field_doc = table(tables, "field");
  const std::set<std::string> field_names(field_doc.names.begin(), field_doc.names.end());
  REQUIRE(field_names.size() == field_doc.names.size());  // none documented twice
  for (const auto& f : fields) {
    INFO("written but not documented: " << f);
    CHECK(field_names.count(f) == 1);
  }
  for (const auto& d : field_doc.names) {
    // Documented: a field written, or an object holding some (`run`, `slo`, `endpoints`).
    bool written = fields.count(d) > 0 || d == "total" || d == "endpoints";
    for (const auto& f : fields)
      written = written || f.rfind(d + ".", 0) == 0 || f.rfind(d + "[].", 0) == 0;
    INFO("documented but not written: " << d);
    CHECK(written);
  }

  const DocTable& figure_doc = table(tables, "figure");
  const std::set<std::string> figure_names(figure_doc.names.begin(), figure_doc.names.end());
  REQUIRE(figure_names.size() == figure_doc.names.size());
  REQUIRE(figures.size() == 4);  // three endpoints and the total
  for (const auto& [root, names] : figures) {
    INFO("figures of " << root);
    for (const auto& f : names) {
      INFO("written but not documented: " << f);
      CHECK(figure_names.count(f) == 1);
    }
    for (const auto& d : figure_names) {
      INFO("documented but not written: " << d);
      CHECK(names.count(d) == 1);
    }
  }
}

TEST_CASE("the CSV files' columns are those scenarios/README.md documents, in order",
          "[output][schema]") {
  Run run;
  check_csv(run.dir / "metrics.csv", "metrics.csv", {});
  {  // The serverless-only metrics: empty on a real-time endpoint's rows, never on a serverless
     // one's.
    const auto lines = lines_of(read(run.dir / "metrics.csv"));
    const auto header = csv_fields(lines[0]);
    const auto column = [&](const std::string& name) {
      return static_cast<size_t>(std::find(header.begin(), header.end(), name) - header.begin());
    };
    int real_time_rows = 0;
    for (size_t i = 1; i < lines.size(); ++i) {
      const auto fields = csv_fields(lines[i]);
      const bool real_time = fields[column("endpoint")] == "real-time";
      real_time_rows += real_time;
      INFO(lines[i]);
      for (const char* name : {"ServerlessProvisionedConcurrencyExecutions",
                               "ServerlessProvisionedConcurrencyInvocations",
                               "ServerlessProvisionedConcurrencySpilloverInvocations"})
        CHECK(fields[column(name)].empty() == real_time);
      if (real_time) CHECK(fields[column("ServerlessProvisionedConcurrencyUtilization")].empty());
    }
    CHECK(real_time_rows > 0);
  }

  check_csv(run.dir / "latency.csv", "latency.csv", {"class"});
  const auto requests = check_csv(run.dir / "requests.csv", "requests.csv", {"outcome"});
  // The scenario reaches a real-time endpoint, throttling and the payload limit.
  CHECK(requests.at("outcome").count("throttled") == 1);
  CHECK(requests.at("outcome").count("rejected_payload") == 1);
  CHECK(requests.at("outcome").count("spillover_cold") == 1);
  CHECK(column_values(run.dir / "requests.csv", "endpoint").count("real-time") == 1);
  const auto scaling = check_csv(run.dir / "scaling.csv", "scaling.csv", {"cause"});
  CHECK(scaling.at("cause") ==
        std::set<std::string>{"scale_out_alarm", "scale_in_alarm", "scheduled_action"});
  // Both kinds of endpoint scale: provisioned concurrency and real-time instances.
  CHECK(column_values(run.dir / "scaling.csv", "endpoint") ==
        std::set<std::string>{"autoscaled", "real-time"});
}

TEST_CASE("sweep.csv and real_time.csv have the columns scenarios/README.md documents",
          "[output][schema]") {
  const auto tables = documented("sweep.csv");
  const DocTable& doc = table(tables, "column");
  std::vector<std::string> figures, plan_only;  // the table's rows, without `config`
  for (const auto& name : doc.names)
    if (name != "config")
      (doc.meaning.at(name).rfind("(plan)", 0) == 0 ? plan_only : figures).push_back(name);
  REQUIRE(plan_only == std::vector<std::string>{"meets", "worst_margin", "p99_assessed"});
  const fs::path dir =
      fs::temp_directory_path() / ("slsim-sweep-schema-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  const std::string scenario = kSource + "/scenarios/steady-poisson.yaml --set duration=10min -q ";
  REQUIRE(std::system((kSlsim + " sweep " + scenario + "--grid memory=1GB,2GB -r 2 --out " +
                       (dir / "sweep").string() + " >/dev/null 2>&1")
                          .c_str()) == 0);
  REQUIRE(std::system((kSlsim + " plan " + scenario +
                       "--grid memory=1GB,2GB -r 2 --slo 'p99<=1s' --real-time ml.m5.large:1..1 "
                       "--out " +
                       (dir / "plan").string() + " >/dev/null 2>&1")
                          .c_str()) == 0);
  const auto header = [](const fs::path& csv) {
    const auto lines = lines_of(read(csv));
    REQUIRE(lines.size() >= 2);
    for (const auto& line : lines) REQUIRE(csv_fields(line).size() == csv_fields(lines[0]).size());
    return csv_fields(lines[0]);
  };
  auto expected = [&](std::vector<std::string> grid, bool plan) {
    std::vector<std::string> out = {"config"};
    out.insert(out.end(), grid.begin(), grid.end());
    out.insert(out.end(), figures.begin(), figures.end());
    if (plan) {
      out.insert(out.end(), plan_only.begin(), plan_only.end());
      out.push_back("margin p99<=1s");
    }
    return out;
  };
  CHECK(header(dir / "sweep" / "sweep.csv") == expected({"memory"}, false));
  CHECK(header(dir / "plan" / "sweep.csv") == expected({"memory"}, true));
  CHECK(header(dir / "plan" / "real_time.csv") == expected({}, true));
  fs::remove_all(dir);
}

TEST_CASE("the schema test reads tables the way they are written", "[output][schema]") {
  CHECK(expand("a.{x,y}.b") == std::vector<std::string>{"a.x.b", "a.y.b"});
  CHECK(expand("{p,q}_{1,2}") == std::vector<std::string>{"p_1", "p_2", "q_1", "q_2"});
  CHECK(csv_fields("0,e,\"a, \"\"b\"\"\",") == std::vector<std::string>{"0", "e", "a, \"b\"", ""});
  // Every output file has its section with a table.
  for (const char* file :
       {"summary.json", "metrics.csv", "latency.csv", "scaling.csv", "requests.csv"}) {
    INFO(file);
    const auto tables = documented(file);
    REQUIRE_FALSE(tables.empty());
    CHECK(tables.front().names.size() >= 5);
  }
}
