#include "slsim/plan.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "slsim/json.hpp"
#include "slsim/units.hpp"

namespace slsim {
namespace {

constexpr int64_t kHourNs = 3'600'000'000'000LL;
const char* const kDays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

double mean_of(const ConfigSummary& s, const std::string& name) {
  const Figure* f = s.find(name);
  return f ? f->mean() : NAN;
}

// `x` to `digits` significant digits, never with an exponent: 0.00123, 1.97, 199, 12345.
std::string plain(double x, int digits) {
  if (!std::isfinite(x) || x == 0.0) return fmt::format("{:g}", x);
  const int magnitude = static_cast<int>(std::floor(std::log10(std::fabs(x))));
  const double scale = std::pow(10.0, magnitude - digits + 1);
  return fmt::format("{:.{}f}", std::round(x / scale) * scale, std::max(0, digits - 1 - magnitude));
}

std::string describe(const SweepSpec& spec, const Configuration& c) {
  if (!c.label.empty()) return c.label;
  if (spec.axes.empty()) return "the scenario as written";
  std::string out;
  for (size_t a = 0; a < spec.axes.size(); ++a)
    out += fmt::format("{}{}={}", a ? " " : "", spec.axes[a].path, c.values[a]);
  return out;
}

std::string window_name(const SweepSpec& spec, const Configuration& c, int64_t w) {
  if (w < 0 || !spec.windows) return "";
  if (spec.windows->hour_of_week)
    return fmt::format("{} {:02d}:00-{:02d}:00 UTC (every week)", kDays[w / 24], w % 24,
                       w % 24 + 1);
  const UtcTime start = c.scenario ? c.scenario->start : kDefaultStart;
  const int64_t from = start.unix_ns + w * spec.windows->length.ns();
  return fmt::format("{} to {}", format_utc(UtcTime{from}),
                     format_utc(UtcTime{from + spec.windows->length.ns()}));
}

}  // namespace

double Assessment::worst_margin() const {
  double worst = INFINITY;
  for (const Verdict& v : verdicts)
    if (!std::isnan(v.margin)) worst = std::min(worst, v.margin);
  return worst;
}

std::vector<Assessment> assess(const SweepSpec& spec, const std::vector<Configuration>& configs,
                               const std::vector<ConfigSummary>& summaries,
                               const std::vector<Slo>& slos) {
  std::vector<Assessment> out;
  for (size_t c = 0; c < configs.size(); ++c) {
    if (!configs[c].scenario) continue;
    const ConfigSummary& s = summaries[c];
    Assessment a;
    a.config = c;
    a.cost = mean_of(s, "cost_usd.total");
    a.monthly_cost = mean_of(s, "cost_usd.per_month");
    a.p99 = mean_of(s, "latency_s.p99");
    a.throttle_rate = mean_of(s, "throttle_rate");
    a.error_rate = mean_of(s, "error_rate");
    // With windows, the p99 that matters is the worst window's.
    const auto p99_index =
        std::find(spec.window_figures.begin(), spec.window_figures.end(), "latency_s.p99");
    if (p99_index != spec.window_figures.end())
      for (const auto& w : s.windows) {
        const double v = w[static_cast<size_t>(p99_index - spec.window_figures.begin())].mean();
        if (!std::isnan(v)) a.p99 = std::isnan(a.p99) ? v : std::max(a.p99, v);
      }
    a.meets = true;
    for (const Slo& slo : slos) {
      Verdict v;
      v.slo = &slo;
      const Figure* f = s.find(slo.figure);
      v.value = f ? f->mean() : NAN;
      v.ci95 = f ? f->ci95() : NAN;
      const Judgement overall = judge(slo, v.value, mean_of(s, "requests"), mean_of(s, "served"));
      v.holds = overall.holds;
      v.margin = overall.margin;
      v.none_served = overall.none_served;
      // Where a judgement is worse than the worst so far, it becomes the verdict's worst.
      const auto consider = [&](const Judgement& j, double value, int64_t window,
                                const std::string& endpoint) {
        v.holds = v.holds && j.holds;
        if (std::isnan(j.margin) || (!std::isnan(v.margin) && j.margin >= v.margin)) return;
        v.margin = j.margin;
        v.worst_window = window;
        v.worst_endpoint = endpoint;
        v.worst_value = value;
        v.none_served = j.none_served;
      };
      // In every window too (the mean over replications of each window's value).
      const auto index = [](const std::vector<std::string>& names, const std::string& name) {
        const auto it = std::find(names.begin(), names.end(), name);
        return it == names.end() ? SIZE_MAX : static_cast<size_t>(it - names.begin());
      };
      const size_t w_figure = index(spec.window_figures, slo.figure);
      const size_t w_requests = index(spec.window_figures, "requests");
      const size_t w_served = index(spec.window_figures, "served");
      if (slo.windowed && w_figure != SIZE_MAX && w_requests != SIZE_MAX && w_served != SIZE_MAX)
        for (size_t w = 0; w < s.windows.size(); ++w) {
          const double value = s.windows[w][w_figure].mean();
          consider(
              judge(slo, value, s.windows[w][w_requests].mean(), s.windows[w][w_served].mean()),
              value, static_cast<int64_t>(w), "");
        }
      // And on every endpoint alone, over the whole run.
      const size_t e_figure = index(spec.endpoint_figures, slo.figure);
      const size_t e_requests = index(spec.endpoint_figures, "requests");
      const size_t e_served = index(spec.endpoint_figures, "served");
      const Scenario& scenario = *configs[c].scenario;
      if (e_figure != SIZE_MAX && e_requests != SIZE_MAX && e_served != SIZE_MAX)
        for (size_t e = 0; e < s.endpoints.size() && e < scenario.endpoints.size(); ++e) {
          const double value = s.endpoints[e][e_figure].mean();
          consider(
              judge(slo, value, s.endpoints[e][e_requests].mean(), s.endpoints[e][e_served].mean()),
              value, -1, scenario.endpoints[e].name);
        }
      a.meets = a.meets && v.holds;
      a.verdicts.push_back(v);
    }
    out.push_back(std::move(a));
  }
  return out;
}

std::vector<size_t> pareto_front(const std::vector<Assessment>& a) {
  std::vector<size_t> order;
  for (size_t i = 0; i < a.size(); ++i)
    if (!std::isnan(a[i].cost) && !std::isnan(a[i].p99)) order.push_back(i);
  std::sort(order.begin(), order.end(), [&](size_t x, size_t y) {
    return std::pair(a[x].cost, a[x].p99) < std::pair(a[y].cost, a[y].p99);
  });
  std::vector<size_t> front;
  double best_p99 = INFINITY;
  for (const size_t i : order)
    if (a[i].p99 < best_p99) {
      front.push_back(i);
      best_p99 = a[i].p99;
    }
  return front;
}

std::vector<size_t> cheapest_meeting(const std::vector<Assessment>& a, size_t n) {
  std::vector<size_t> meeting;
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i].meets && !std::isnan(a[i].cost)) meeting.push_back(i);
  std::stable_sort(meeting.begin(), meeting.end(),
                   [&](size_t x, size_t y) { return a[x].cost < a[y].cost; });
  if (meeting.size() > n) meeting.resize(n);
  return meeting;
}

namespace {

// A verdict's value where it was worst: "none served" when no request was served there.
std::string worst_value(const Verdict& v) {
  return v.none_served ? "none served" : v.slo->format(v.worst_value);
}

// Where a verdict was worst, when not on all endpoints over the whole run: " in WINDOW" or
// " on endpoint NAME".
std::string worst_place(const PlanResult& p, const Configuration& c, const Verdict& v) {
  if (v.worst_window >= 0) return " in " + window_name(*p.spec, c, v.worst_window);
  if (!v.worst_endpoint.empty()) return " on endpoint " + v.worst_endpoint;
  return "";
}

std::string verdict_lines(const PlanResult& p, const std::vector<Configuration>& configs,
                          const Assessment& a) {
  std::string out;
  for (const Verdict& v : a.verdicts) {
    const bool elsewhere = v.worst_window >= 0 || !v.worst_endpoint.empty();
    out += fmt::format(
        "    {:<22} {:>10}{}  {}", v.slo->text,
        v.none_served && !elsewhere ? "none served" : v.slo->format(v.value),
        std::isnan(v.ci95) || v.ci95 == 0 ? std::string() : " ± " + v.slo->format(v.ci95),
        v.holds ? "met" : "MISSED");
    if (std::isfinite(v.margin)) out += fmt::format(", margin {:+.0f}%", 100 * v.margin);
    if (elsewhere)
      out +=
          fmt::format("; worst {} {} ({})", v.worst_window >= 0 ? "window" : "endpoint",
                      v.worst_window >= 0 ? window_name(*p.spec, configs[a.config], v.worst_window)
                                          : v.worst_endpoint,
                      worst_value(v));
    out += "\n";
  }
  return out;
}

std::string assessment_text(const PlanResult& p, const std::vector<Configuration>& configs,
                            const Assessment& a) {
  // A grid may vary the duration: each configuration's own.
  const Configuration& c = configs[a.config];
  const double seconds = c.scenario ? c.scenario->duration.seconds_f() : p.duration_seconds;
  return fmt::format("  {}\n    cost {} for the {} simulated ({} a month, extrapolated)\n{}",
                     describe(*p.spec, c), format_money(a.cost), format_seconds(seconds),
                     format_money(a.monthly_cost), verdict_lines(p, configs, a));
}

}  // namespace

std::string plan_text(const PlanResult& p) {
  std::string out;
  const auto& configs = *p.configs;
  std::string objectives;
  for (const Slo& s : *p.slos) objectives += " " + s.text;
  out += fmt::format(
      "Objectives:{}{}\n", objectives,
      p.window.empty() ? "" : fmt::format(" (latency and rates in every {} window)", p.window));
  const size_t valid = p.assessments.size();
  const auto best = cheapest_meeting(p.assessments, 2);
  size_t meeting = 0;
  for (const Assessment& a : p.assessments) meeting += a.meets;
  out += fmt::format(
      "{} configurations, {} meet every objective; {} replications each, on the "
      "same requests\n\n",
      valid, meeting, p.spec->replications);
  if (best.empty()) {
    out += "No configuration meets every objective. Closest (largest worst margin):\n";
    size_t closest = 0;
    for (size_t i = 1; i < p.assessments.size(); ++i)
      if (p.assessments[i].worst_margin() > p.assessments[closest].worst_margin()) closest = i;
    if (!p.assessments.empty()) out += assessment_text(p, configs, p.assessments[closest]);
  } else {
    const Assessment& chosen = p.assessments[best[0]];
    out +=
        "Recommended (cheapest meeting every objective):\n" + assessment_text(p, configs, chosen);
    // Latency objectives judge served requests only: say what the others met, if unasked.
    bool rates_asked = false;
    for (const Slo& s : *p.slos)
      rates_asked = rates_asked || s.figure == "throttle_rate" || s.figure == "error_rate";
    const double failed = chosen.throttle_rate + chosen.error_rate;
    if (!rates_asked && failed > 0)
      out += fmt::format(
          "    note: {} of its requests were throttled or failed ({} throttled); latency "
          "objectives judge served requests only: add --slo 'throttled<0.1%' or "
          "--slo 'errors<0.1%' to bound them\n",
          fmt::format("{:.3g}%", 100 * failed), fmt::format("{:.3g}%", 100 * chosen.throttle_rate));
    if (best.size() > 1)
      out += "Runner-up:\n" + assessment_text(p, configs, p.assessments[best[1]]);
    // Why nothing cheaper will do: the cheapest configurations that miss, and what they miss.
    std::vector<const Assessment*> cheaper;
    for (const Assessment& a : p.assessments)
      if (!a.meets && a.cost < chosen.cost) cheaper.push_back(&a);
    std::sort(cheaper.begin(), cheaper.end(),
              [](const Assessment* x, const Assessment* y) { return x->cost < y->cost; });
    if (!cheaper.empty()) out += "Cheaper configurations miss:\n";
    for (size_t i = 0; i < cheaper.size() && i < 3; ++i) {
      std::string missed;
      for (const Verdict& v : cheaper[i]->verdicts)
        if (!v.holds) {
          const bool elsewhere = v.worst_window >= 0 || !v.worst_endpoint.empty();
          missed += fmt::format("{}{} is {}{}", missed.empty() ? "" : "; ", v.slo->text,
                                elsewhere       ? worst_value(v)
                                : v.none_served ? "none served"
                                                : v.slo->format(v.value),
                                worst_place(p, configs[cheaper[i]->config], v));
        }
      out += fmt::format("  {} ({} a month): {}\n", describe(*p.spec, configs[cheaper[i]->config]),
                         format_money(cheaper[i]->monthly_cost), missed);
    }
  }
  const auto front = pareto_front(p.assessments);
  out += fmt::format(
      "\nCost / p99{} Pareto front (no configuration is both cheaper and "
      "faster):\n",
      p.window.empty() ? "" : " (worst window)");
  for (const size_t i : front)
    out += fmt::format(
        "  {:>12} a month  p99 {:>8}  {}{}\n", format_money(p.assessments[i].monthly_cost),
        format_seconds(p.assessments[i].p99), describe(*p.spec, configs[p.assessments[i].config]),
        p.assessments[i].meets ? "  (meets the objectives)" : "");
  if (p.real_time && !p.real_time_assessments.empty()) {
    const auto rt = cheapest_meeting(p.real_time_assessments, 1);
    out += "\nReal-time endpoints on the same requests:\n";
    if (rt.empty()) {
      out += "  none of the instance types and counts tried meets every objective\n";
    } else {
      const Assessment& r = p.real_time_assessments[rt[0]];
      out += "Cheapest meeting every objective:\n" + assessment_text(p, *p.real_time, r);
      if (!best.empty()) {
        const Assessment& s = p.assessments[best[0]];
        const double saving = r.monthly_cost - s.monthly_cost;
        out += fmt::format("  Serverless {} {} a month ({:.0f}%) against it.\n",
                           saving >= 0 ? "saves" : "costs", format_money(std::fabs(saving)),
                           100 * std::fabs(saving) / r.monthly_cost);
        // Break-even: serverless cost grows with traffic, a real-time endpoint's does not.
        const double per_request = s.cost / p.requests;
        const double rate = p.requests / p.duration_seconds;
        const double break_even = (r.cost / p.duration_seconds) / per_request;
        out += fmt::format(
            "  Break-even: about {} requests/s ({}× this traffic of {}/s): above it "
            "{} costs less, if serverless cost grows in proportion to traffic and the "
            "real-time endpoint still meets the objectives there (an extrapolation).\n",
            plain(break_even, 3), plain(break_even / rate, 2), plain(rate, 3),
            p.real_time->at(r.config).label);
      }
    }
  }
  return out;
}

namespace {

std::string assessment_json(const PlanResult& p, const std::vector<Configuration>& configs,
                            const Assessment& a, const std::string& indent) {
  std::string out = "{\n";
  const Configuration& c = configs[a.config];
  out += fmt::format("{}  \"config\": {},\n", indent, c.index);
  out += fmt::format("{}  \"description\": {},\n", indent, json_string(describe(*p.spec, c)));
  out += fmt::format("{}  \"meets\": {},\n", indent, a.meets ? "true" : "false");
  out += fmt::format("{}  \"cost_usd\": {},\n", indent, json_number(a.cost));
  out += fmt::format("{}  \"cost_usd_per_month\": {},\n", indent, json_number(a.monthly_cost));
  out += fmt::format("{}  \"p99_s\": {},\n", indent, json_number(a.p99));
  out += fmt::format("{}  \"objectives\": [", indent);
  for (size_t i = 0; i < a.verdicts.size(); ++i) {
    const Verdict& v = a.verdicts[i];
    out += fmt::format(
        "{}\n{}    {{\"objective\": {}, \"figure\": {}, \"value\": {}, \"ci95\": {}, \"limit\": "
        "{}, \"holds\": {}, \"margin\": {}, \"worst_window\": {}, \"worst_endpoint\": {}, "
        "\"worst_value\": {}, \"none_served\": {}}}",
        i ? "," : "", indent, json_string(v.slo->text), json_string(v.slo->figure),
        json_number(v.value), json_number(v.ci95), json_number(v.slo->limit),
        v.holds ? "true" : "false", json_number(v.margin),
        v.worst_window < 0 ? std::string("null")
                           : json_string(window_name(*p.spec, c, v.worst_window)),
        v.worst_endpoint.empty() ? std::string("null") : json_string(v.worst_endpoint),
        json_number(v.worst_value), v.none_served ? "true" : "false");
  }
  out += fmt::format("\n{}  ]\n{}}}", indent, indent);
  return out;
}

}  // namespace

std::string plan_json(const PlanResult& p) {
  const auto& configs = *p.configs;
  const auto best = cheapest_meeting(p.assessments, 2);
  std::string out = "{\n";
  out += fmt::format("  \"scenario\": {},\n", json_string(p.spec->scenario));
  out += "  \"objectives\": [";
  for (size_t i = 0; i < p.slos->size(); ++i)
    out += (i ? ", " : "") + json_string((*p.slos)[i].text);
  out += "],\n";
  out += fmt::format("  \"window\": {},\n", p.window.empty() ? "null" : json_string(p.window));
  out += fmt::format("  \"replications\": {},\n", p.spec->replications);
  out += fmt::format("  \"duration_s\": {},\n", json_number(p.duration_seconds));
  out += fmt::format("  \"configurations\": {},\n", p.assessments.size());
  out += "  \"recommended\": " +
         (best.empty() ? std::string("null")
                       : assessment_json(p, configs, p.assessments[best[0]], "  ")) +
         ",\n";
  out += "  \"runner_up\": " +
         (best.size() < 2 ? std::string("null")
                          : assessment_json(p, configs, p.assessments[best[1]], "  ")) +
         ",\n";
  out += "  \"pareto_front\": [";
  const auto front = pareto_front(p.assessments);
  for (size_t i = 0; i < front.size(); ++i)
    out += fmt::format("{}{}", i ? ", " : "", configs[p.assessments[front[i]].config].index);
  out += "],\n";
  const auto rt =
      p.real_time ? cheapest_meeting(p.real_time_assessments, 1) : std::vector<size_t>{};
  out += "  \"real_time\": " +
         (rt.empty() ? std::string("null")
                     : assessment_json(p, *p.real_time, p.real_time_assessments[rt[0]], "  "));
  if (!rt.empty() && !best.empty()) {
    const Assessment& s = p.assessments[best[0]];
    const Assessment& r = p.real_time_assessments[rt[0]];
    const double break_even = (r.cost / p.duration_seconds) / (s.cost / p.requests);
    out += fmt::format(",\n  \"break_even_requests_per_s\": {},\n  \"requests_per_s\": {}",
                       json_number(break_even), json_number(p.requests / p.duration_seconds));
  }
  out += "\n}\n";
  return out;
}

}  // namespace slsim
