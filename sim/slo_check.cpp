#include "slsim/slo_check.hpp"

#include <fmt/format.h>

#include <cmath>

#include "slsim/json.hpp"

namespace slsim {
namespace {

// Margin as a percentage of the limit, with as many digits as small ones need.
std::string format_margin(double margin) {
  if (!std::isfinite(margin)) return "-";
  const double percent = 100.0 * margin;
  if (std::fabs(percent) >= 10.0) return fmt::format("{:+.0f}%", percent);
  if (std::fabs(percent) >= 1.0) return fmt::format("{:+.1f}%", percent);
  return fmt::format("{:+.2f}%", percent);
}

SloVerdict verdict(size_t index, const Slo& slo, const Report& report, const EndpointReport& e) {
  SloVerdict v;
  v.slo = index;
  v.objective = slo.text;
  v.figure = slo.figure;
  v.endpoint = e.name;
  v.limit = slo.limit;
  const auto mean = [&](const std::string& name) {
    const Figure* f = report.find(e, name);
    return f ? f->mean() : NAN;
  };
  const Figure* f = report.find(e, slo.figure);
  v.value = f ? f->mean() : NAN;
  v.ci95 = f ? f->ci95() : NAN;
  const Judgement j = judge(slo, v.value, mean("requests"), mean("served"));
  v.holds = j.holds;
  v.margin = j.margin;
  v.none_served = j.none_served;
  return v;
}

}  // namespace

bool parse_slos(const std::vector<std::string>& texts, std::vector<Slo>& slos,
                std::vector<std::string>& errors) {
  for (const std::string& t : texts) {
    std::string error;
    if (auto slo = parse_slo(t, error))
      slos.push_back(*slo);
    else
      errors.push_back(error);
  }
  return errors.empty();
}

std::vector<SloVerdict> check_slos(const std::vector<Slo>& slos, const Report& report) {
  std::vector<SloVerdict> verdicts;
  for (size_t i = 0; i < slos.size(); ++i) {
    verdicts.push_back(verdict(i, slos[i], report, report.total));
    for (const EndpointReport& e : report.endpoints)
      verdicts.push_back(verdict(i, slos[i], report, e));
  }
  return verdicts;
}

std::string slo_table(const std::vector<Slo>& slos, const std::vector<SloVerdict>& verdicts,
                      int replications) {
  std::string out = fmt::format("\nservice-level objectives{}\n",
                                replications > 1 ? " (means over the replications ± 95% CI)" : "");
  out += fmt::format("{:<22} {:<18} {:>20} {:>8} {:>9}\n", "objective", "endpoint", "value",
                     "verdict", "margin");
  int missed = 0, unsure_count = 0;
  for (const SloVerdict& v : verdicts) {
    const Slo& slo = slos[v.slo];
    std::string value = v.none_served ? "none served" : slo.format(v.value);
    if (std::isfinite(v.ci95) && v.ci95 > 0) value += "±" + slo.format(v.ci95);
    // Within the CI of the limit: more replications could turn the verdict.
    const bool unsure =
        std::isfinite(v.ci95) && v.ci95 > 0 && std::fabs(v.value - v.limit) <= v.ci95;
    std::string verdict = !v.holds ? "MISSED" : std::isnan(v.value) ? "no data" : "holds";
    if (unsure) verdict += "?";
    out += fmt::format("{:<22} {:<18} {:>20} {:>8} {:>9}\n", v.objective, v.endpoint, value,
                       verdict, format_margin(v.margin));
    if (!v.holds) ++missed;
    if (unsure) ++unsure_count;
  }
  out += missed ? fmt::format("{} of {} verdicts missed\n", missed, verdicts.size())
                : fmt::format("all {} verdicts hold\n", verdicts.size());
  if (unsure_count)
    out += fmt::format(
        "? {} verdict{}: the limit lies within the value's 95% CI; more replications would "
        "tell\n",
        unsure_count, unsure_count == 1 ? "" : "s");
  return out;
}

std::string slo_json(const std::vector<SloVerdict>& verdicts) {
  std::string out = "[";
  for (size_t i = 0; i < verdicts.size(); ++i) {
    const SloVerdict& v = verdicts[i];
    out += fmt::format(
        "{}\n    {{\"objective\": {}, \"figure\": {}, \"endpoint\": {}, \"value\": {}, "
        "\"limit\": {}, \"holds\": {}, \"margin\": {}}}",
        i ? "," : "", json_string(v.objective), json_string(v.figure), json_string(v.endpoint),
        json_number(v.value), json_number(v.limit), v.holds ? "true" : "false",
        json_number(v.margin));
  }
  return out + "\n  ]";
}

}  // namespace slsim
