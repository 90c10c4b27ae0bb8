// Reading a pricing file (pricing/*.yaml): per-memory-size rates as data (DESIGN.md §2).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "slsim/real_time_reader.hpp"
#include "slsim/scenario_loader.hpp"
#include "slsim/yaml_document.hpp"
#include "slsim/yaml_reader.hpp"

namespace slsim {
namespace {

std::string memory_list() { return "1024, 2048, 3072, 4096, 5120, 6144 MB"; }

// A price is a plain, finite, non-negative number of dollars; at most $1e6 per second or per GB,
// which keeps every cost of a run (at most ~1e17 container-seconds) a finite number.
constexpr double kMaxPrice = 1e6;

std::optional<double> price(YamlReader& r, const YAML::Node& node, const std::string& what) {
  if (!node.IsScalar()) {
    r.error(node,
            fmt::format("{} must be a price in dollars, a plain number such as 0.00004", what));
    return std::nullopt;
  }
  const Quantity q = parse_quantity(node.Scalar(), UnitKind::kPlain);
  if (!q.ok()) {
    r.error(node, fmt::format("{}: {}", what, q.error));
    return std::nullopt;
  }
  if (q.value > kMaxPrice) {
    r.error(node, fmt::format("{} is {:g} dollars, more than the {:g} a price may be", what,
                              q.value, kMaxPrice));
    return std::nullopt;
  }
  return q.value;
}

void read_pricing(YamlReader& r, Pricing& pricing) {
  YAML::Node root;
  if (!load_yaml_file(r, "pricing file", root) || !r.expect_map(root, "a pricing file")) return;
  r.check_keys(
      root, "the pricing file",
      {"region", "source", "on_demand_inference_per_second", "provisioned_concurrency_per_second",
       "provisioned_inference_per_second", "data_processing_per_gb", "real_time_instances"});
  pricing.region = r.string(root, "region", true).value_or("");
  pricing.source = r.string(root, "source").value_or("");
  auto table = [&](const char* key, RateByMemory& out) {
    const YAML::Node t = root[key];
    if (!t || !t.IsMap()) {
      r.error(t ? t : root, fmt::format("'{}' must map each memory size ({}) to a price per second",
                                        key, memory_list()));
      return;
    }
    std::vector<bool> seen(6, false);
    for (const auto& item : t) {
      // Keys are scalars: load_yaml_file rejects any other.
      const Quantity mem = parse_quantity(item.first.Scalar(), UnitKind::kSize);
      const double mb = mem.value / (1024.0 * 1024.0);
      const auto valid = std::find(std::begin(kMemorySizesMb), std::end(kMemorySizesMb), mb);
      if (!mem.ok() || valid == std::end(kMemorySizesMb)) {
        r.error(item.first,
                fmt::format("'{}' is not a memory size ({})", item.first.Scalar(), memory_list()));
        continue;
      }
      const auto value =
          price(r, item.second, fmt::format("'{}' for {}", key, item.first.Scalar()));
      if (!value) continue;
      const size_t i = memory_index(static_cast<int>(mb));
      if (seen[i]) {
        r.error(item.first, fmt::format("'{}' prices {} MB twice; keep one", key, mb));
        continue;
      }
      out[i] = *value;
      seen[i] = true;
    }
    for (size_t i = 0; i < 6; ++i)
      if (!seen[i]) r.error(t, fmt::format("'{}' has no price for {} MB", key, kMemorySizesMb[i]));
  };
  table("on_demand_inference_per_second", pricing.on_demand_inference);
  table("provisioned_concurrency_per_second", pricing.provisioned_concurrency);
  table("provisioned_inference_per_second", pricing.provisioned_inference);
  if (const YAML::Node n = root["data_processing_per_gb"]) {
    if (const auto v = price(r, n, "'data_processing_per_gb'")) pricing.data_processing_per_gb = *v;
  } else {
    r.error(root, "missing required key 'data_processing_per_gb' (a price in dollars per GB)");
  }
  if (const YAML::Node instances = root["real_time_instances"])
    read_instance_table(r, instances, pricing);
}

}  // namespace

std::vector<std::string> load_pricing(const std::string& path, Pricing& pricing) {
  YamlReader r(path);
  try {
    read_pricing(r, pricing);
  } catch (const YAML::Exception& e) {  // a safety net: the readers check types first
    r.error_at(e.mark, e.msg);
  }
  return r.errors();
}

}  // namespace slsim
