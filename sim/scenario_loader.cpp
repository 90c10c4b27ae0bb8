#include "slsim/scenario_loader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>

#include "slsim/autoscaling_reader.hpp"
#include "slsim/calendar.hpp"
#include "slsim/calibration.hpp"
#include "slsim/data_paths.hpp"
#include "slsim/limits.hpp"
#include "slsim/model_size.hpp"
#include "slsim/overrides.hpp"
#include "slsim/real_time_reader.hpp"
#include "slsim/trace_reader.hpp"
#include "slsim/traffic_estimate.hpp"
#include "slsim/yaml_document.hpp"
#include "slsim/yaml_reader.hpp"

namespace slsim {
namespace fs = std::filesystem;
namespace {

std::string memory_list() { return "1024, 2048, 3072, 4096, 5120, 6144 MB"; }

// SageMaker endpoint names: ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$. They appear unquoted in the CSV
// outputs; "total" is taken by the all-endpoints rows.
bool valid_endpoint_name(const std::string& name) {
  const auto alnum = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
  if (name.empty() || name.size() > 63 || name == "total") return false;
  if (!alnum(name.front()) || !alnum(name.back())) return false;
  return std::all_of(name.begin(), name.end(), [&](char c) { return alnum(c) || c == '-'; });
}

// ---- Sections -------------------------------------------------------------------------------

class ScenarioReader {
 public:
  ScenarioReader(YamlReader& r, Scenario& s, TraceRows trace_rows)
      : r_(r), s_(s), trace_rows_(trace_rows) {}

  void read(const YAML::Node& root) {
    if (!r_.expect_map(root, "a scenario file")) return;
    r_.check_keys(root, "the scenario",
                  {"name", "description", "duration", "start", "seed", "replications", "pricing",
                   "platform", "models", "endpoints", "traces", "skip_bad_rows"});
    s_.name = r_.string(root, "name").value_or(fs::path(r_.file()).stem().string());
    s_.description = r_.string(root, "description").value_or("");
    if (auto d = r_.duration(root, "duration", true)) {
      if (d->ns() <= 0) r_.error(root["duration"], "'duration' must be greater than 0");
      s_.duration = *d;
    }
    if (auto text = r_.string(root, "start")) {
      std::string problem;
      if (const auto start = parse_utc(*text, problem))
        s_.start = *start;
      else
        r_.error(root["start"], "'start': " + problem);
    }
    if (const double end = static_cast<double>(s_.start.unix_ns) * 1e-9 + s_.duration.seconds_f() +
                           kCalendarMarginSeconds;
        end > static_cast<double>(INT64_MAX) * 1e-9)
      r_.error(root["start"] ? root["start"] : root,
               fmt::format("'start' plus 'duration' ends too close to 2262, where calendar time "
                           "(int64 ns since 1970) ends; start at least {:.0f} years earlier",
                           (end - static_cast<double>(INT64_MAX) * 1e-9) / 31557600 + 1));
    if (auto seed = r_.integer(root, "seed", 0, INT64_MAX)) s_.seed = static_cast<uint64_t>(*seed);
    if (auto n = r_.integer(root, "replications", 1, 100000))
      s_.replications = static_cast<int>(*n);
    if (const YAML::Node b = root["skip_bad_rows"];
        b && !YAML::convert<bool>::decode(b, s_.skip_bad_rows))
      r_.error(b, "'skip_bad_rows' must be true or false");
    if (r_.string(root, "pricing")) s_.pricing_path = r_.resolve_path(root["pricing"]);
    if (const YAML::Node p = root["platform"]) read_platform(p);
    if (const YAML::Node m = root["models"]) {
      if (r_.expect_map(m, "'models'"))
        for (const auto& item : m) {
          ModelConfig model;
          model.name = item.first.Scalar();
          read_model(item.second, model);
          models_[model.name] = model;
        }
    }
    const YAML::Node eps = root["endpoints"];
    const YAML::Node traces = root["traces"];
    has_traces_ = static_cast<bool>(traces);
    if (eps || !traces) {  // a scenario whose endpoints all come from traces needs none
      if (!eps || !eps.IsSequence() || eps.size() == 0) {
        r_.error(eps ? eps : root, "'endpoints' must be a non-empty list of endpoints");
        return;
      }
    }
    if (eps && eps.size() > static_cast<size_t>(kMaxEndpoints)) {
      r_.error(eps, fmt::format("{} endpoints are more than slsim's limit of {}; split the "
                                "scenario",
                                eps.size(), kMaxEndpoints));
      return;
    }
    std::set<std::string> names;
    for (const auto& e : eps) {
      EndpointConfig ep;
      read_endpoint(e, ep);
      check_endpoint_limits(e, ep);
      if (!names.insert(ep.name).second)
        r_.error(e["name"],
                 fmt::format("endpoint name '{}' is used twice; names must be unique", ep.name));
      s_.endpoints.push_back(std::move(ep));
    }
    if (traces)
      read_scenario_traces(r_, traces, s_, [this](const YAML::Node& node, EndpointConfig& ep) {
        template_ = true;
        read_endpoint(node, ep);
        check_endpoint_limits(node, ep);
        template_ = false;
        return true;
      });
    if (s_.endpoints.empty()) {
      r_.error(traces, "the traces create no endpoint and 'endpoints' lists none");
      return;
    }
    if (traces) check_fed(eps);
    check_trace_starts(r_, s_, trace_rows_ == TraceRows::kUpToFirstReplayed);
    long provisioned_total = 0;
    for (const EndpointConfig& ep : s_.endpoints) provisioned_total += ep.provisioned_concurrency;
    if (provisioned_total > s_.platform.account_concurrency_limit)
      r_.error(eps ? eps : traces,
               fmt::format("provisioned concurrency of all endpoints ({}) exceeds the account "
                           "concurrency limit {}; lower it or raise "
                           "platform.account_concurrency_limit",
                           provisioned_total, s_.platform.account_concurrency_limit));
    size_t profiles = 0;
    int64_t clients = 0;
    for (const EndpointConfig& ep : s_.endpoints)
      for (const TrafficConfig& t : ep.traffic) {
        ++profiles;
        if (t.kind == TrafficKind::kClosedLoop) clients += t.clients;
      }
    if (profiles > static_cast<size_t>(kMaxTrafficProfiles) || clients > kMaxClosedLoopClients)
      r_.error(eps, fmt::format("{} traffic profiles with {} closed-loop clients are more than "
                                "slsim's limits of {} and {}; split the scenario",
                                profiles, clients, kMaxTrafficProfiles, kMaxClosedLoopClients));
    if (const std::string problem = workload_problem(s_); !problem.empty())
      r_.error_at(largest_.mark,
                  fmt::format("{}; the largest part is {} with about {:.3g} requests", problem,
                              largest_.where, largest_.work));
  }

 private:
  // Times that are computed from several values (an image pull is size / bandwidth; CPU-bound
  // phases are scaled by the endpoint's slowdown) must stay within the limits as well.
  void check_endpoint_limits(const YAML::Node& e, const EndpointConfig& ep) {
    if (!e.IsMap()) return;
    const PlatformConfig& p = s_.platform;
    const ModelConfig& m = ep.model;
    const YAML::Node at = e["model"] ? e["model"] : e["memory"] ? e["memory"] : e;
    const std::string where = fmt::format("endpoint '{}'", ep.name);
    const auto check = [&](double seconds, const std::string& what, const char* fix) {
      if (const std::string problem = limit_problem(seconds, UnitKind::kDuration); !problem.empty())
        r_.error(at, fmt::format("{}: {}: {} ({})", where, what, problem, fix));
    };
    if (const std::string problem = limit_problem(m.artifact_size_bytes, UnitKind::kSize);
        !problem.empty())
      r_.error(at, fmt::format("{}: the model's artifact size: {}", where, problem));
    check(m.image_size_bytes / p.image_pull_bandwidth,
          fmt::format("pulling the model's image ({:.4g} bytes at {:.4g} B/s)", m.image_size_bytes,
                      p.image_pull_bandwidth),
          "lower 'image_size' or raise platform.image_pull_bandwidth");
    check(p.artifact_first_byte + m.artifact_size_bytes / p.artifact_bandwidth,
          fmt::format("downloading the model's artifact ({:.4g} bytes at {:.4g} B/s)",
                      m.artifact_size_bytes, p.artifact_bandwidth),
          "lower 'artifact_size' or raise platform.artifact_bandwidth");
    const double slowdown = ep.cpu_slowdown(p);
    const std::pair<const char*, const Distribution*> cpu_bound[] = {
        {"extraction", &m.extraction},
        {"load", &m.load},
        {"inference", &m.inference},
        {"first_inference_extra", &m.first_inference_extra}};
    for (const auto& [name, d] : cpu_bound)
      if (const std::string problem = distribution_limit_problem(*d, UnitKind::kDuration, slowdown);
          !problem.empty())
        r_.error(at, fmt::format("{}: the model's '{}': {} (or give the endpoint more vCPUs: "
                                 "memory, platform.memory_per_vcpu, the model's threads)",
                                 where, name, problem));
  }

  void read_platform(const YAML::Node& p) {
    if (!r_.expect_map(p, "'platform'")) return;
    r_.check_keys(
        p, "'platform'",
        {"account_concurrency_limit", "idle_timeout", "overhead", "scheduling",
         "image_pull_bandwidth", "image_cache_hit_probability", "artifact_bandwidth",
         "artifact_first_byte", "container_init", "provisioning_delay", "start_timeout",
         "invocation_timeout", "max_payload", "memory_per_vcpu", "idle_container_selection"});
    PlatformConfig& c = s_.platform;
    if (auto v = r_.string(p, "idle_container_selection")) {
      if (*v == "most_recently_used")
        c.idle_container_selection = IdleContainerSelection::kMostRecentlyUsed;
      else if (*v == "least_recently_used")
        c.idle_container_selection = IdleContainerSelection::kLeastRecentlyUsed;
      else if (*v == "newest_created")
        c.idle_container_selection = IdleContainerSelection::kNewestCreated;
      else
        r_.error(p["idle_container_selection"],
                 fmt::format("idle_container_selection '{}' is not most_recently_used (the "
                             "default), least_recently_used or newest_created (SimFaaS's rule)",
                             *v));
    }
    if (auto v = r_.integer(p, "account_concurrency_limit", 1, 100000))
      c.account_concurrency_limit = int(*v);
    if (auto v = positive_duration(p, "idle_timeout")) c.idle_timeout = *v;
    if (auto v = r_.distribution(p, "overhead", UnitKind::kDuration)) c.overhead = *v;
    if (auto v = r_.distribution(p, "scheduling", UnitKind::kDuration)) c.scheduling = *v;
    if (auto v = positive(p, "image_pull_bandwidth", UnitKind::kBandwidth))
      c.image_pull_bandwidth = *v;
    if (auto v = r_.probability(p, "image_cache_hit_probability"))
      c.image_cache_hit_probability = *v;
    if (auto v = positive(p, "artifact_bandwidth", UnitKind::kBandwidth)) c.artifact_bandwidth = *v;
    if (auto v = r_.quantity(p, "artifact_first_byte", UnitKind::kDuration))
      c.artifact_first_byte = *v;
    if (auto v = r_.distribution(p, "container_init", UnitKind::kDuration)) c.container_init = *v;
    if (auto v = r_.distribution(p, "provisioning_delay", UnitKind::kDuration))
      c.provisioning_delay = *v;
    if (auto v = positive_duration(p, "start_timeout")) c.start_timeout = *v;
    if (auto v = positive_duration(p, "invocation_timeout")) c.invocation_timeout = *v;
    if (auto v = positive(p, "max_payload", UnitKind::kSize)) c.max_payload_bytes = *v;
    if (auto v = positive(p, "memory_per_vcpu", UnitKind::kSize))
      c.memory_per_vcpu_mb = *v / (1024.0 * 1024.0);
  }

  void read_model(const YAML::Node& m, ModelConfig& model) {
    if (!r_.expect_map(m, fmt::format("model '{}'", model.name))) return;
    r_.check_keys(
        m, fmt::format("model '{}'", model.name),
        {"calibration", "trees", "batch_payload", "image_size", "artifact_size", "loaded_size",
         "extraction", "load", "inference", "first_inference_extra", "response_size", "threads"});
    // A calibration sets the measured distributions first; explicit keys below override them.
    if (const auto path = r_.string(m, "calibration")) {
      const fs::path file = r_.resolve_path(m["calibration"]);
      s_.data_files.push_back(file.string());
      YamlReader cal_reader(file.string());
      const auto cal = read_calibration(cal_reader);
      r_.absorb(cal_reader);
      if (!cal) {
        r_.error(m["calibration"],
                 fmt::format("calibration '{}' could not be used (errors above)", *path));
      } else {
        const int64_t trees = r_.integer(m, "trees", 1, 10000000).value_or(0);
        bool batch = false;
        if (const YAML::Node b = m["batch_payload"]; b && !YAML::convert<bool>::decode(b, batch))
          r_.error(b, "'batch_payload' must be true or false");
        const std::string problem = apply_calibration(*cal, trees, batch, model);
        if (!problem.empty()) r_.error(m["trees"] ? m["trees"] : m["calibration"], problem);
        if (const std::string w = extrapolation_warning(*cal, trees); !w.empty())
          r_.warning(m["trees"], w);
        model.source = fmt::format("calibration {} ({} trees{}{}, measured on {})", *path,
                                   trees ? trees : cal->trees,
                                   trees && trees != cal->trees ? ", size-fitted" : "",
                                   batch ? fmt::format(", {}-row payloads", cal->batch_rows) : "",
                                   cal->machine.empty() ? "an unrecorded machine" : cal->machine);
      }
    } else if (m["trees"] || m["batch_payload"]) {
      r_.error(m["trees"] ? m["trees"] : m["batch_payload"],
               "'trees' and 'batch_payload' need a 'calibration' file in the same model");
    }
    if (auto v = r_.quantity(m, "image_size", UnitKind::kSize)) model.image_size_bytes = *v;
    if (auto v = r_.quantity(m, "artifact_size", UnitKind::kSize)) model.artifact_size_bytes = *v;
    if (auto v = r_.quantity(m, "loaded_size", UnitKind::kSize)) {
      model.loaded_size_bytes = *v;
      model.loaded_size_source = "typed in as loaded_size";
    }
    if (auto v = r_.distribution(m, "extraction", UnitKind::kDuration)) model.extraction = *v;
    if (auto v = r_.distribution(m, "load", UnitKind::kDuration)) model.load = *v;
    if (auto v = r_.distribution(m, "inference", UnitKind::kDuration)) {
      model.inference = *v;
      if (m["calibration"]) model.source += "; inference typed in";
    }
    if (auto v = r_.distribution(m, "first_inference_extra", UnitKind::kDuration))
      model.first_inference_extra = *v;
    if (auto v = r_.distribution(m, "response_size", UnitKind::kSize)) model.response_size = *v;
    if (auto v = r_.integer(m, "threads", 1, 64)) model.threads = int(*v);
  }

  void read_endpoint(const YAML::Node& e, EndpointConfig& ep) {
    if (!r_.expect_map(e, "an endpoint")) return;
    if (template_) {  // endpoints named and fed by a trace (trace_reader.hpp)
      for (const char* key : {"name", "traffic"})
        if (e[key])
          r_.error(e[key], fmt::format("an endpoint_template has no '{}': the trace names the "
                                       "endpoints (name_prefix) and is their traffic",
                                       key));
    }
    ep.name = template_ ? "endpoint-template" : r_.string(e, "name", true).value_or("?");
    const std::string where = fmt::format("endpoint '{}'", ep.name);
    if (e["name"] && !valid_endpoint_name(ep.name))
      r_.error(e["name"],
               fmt::format("endpoint name '{}' is not allowed: use 1 to 63 letters, digits "
                           "and hyphens, starting and ending with a letter or digit "
                           "(SageMaker's rule), and not 'total'",
                           ep.name));
    if (auto kind = r_.string(e, "kind")) {
      if (*kind == "real_time")
        ep.kind = EndpointKind::kRealTime;
      else if (*kind != "serverless")
        r_.error(e["kind"],
                 fmt::format("{}: kind '{}' is not serverless or real_time", where, *kind));
    }
    bool memory_ok = false;  // a serverless endpoint's valid memory, to check the model against
    if (ep.kind == EndpointKind::kRealTime) {
      r_.check_keys(e, where,
                    {"name", "kind", "instance_type", "instance_count", "workers_per_instance",
                     "launch_delay", "autoscaling", "model", "traffic"});
      read_real_time(r_, e, s_.start, ep);
      instance_types_.emplace_back(e["instance_type"], s_.endpoints.size());
    } else {
      memory_ok = read_serverless(e, where, ep);
    }
    read_model_and_traffic(e, where, ep);
    if (const std::string p = memory_problem(ep.model, ep.memory_mb); memory_ok && !p.empty())
      r_.error(e["memory"], p);
  }

  // The keys only a serverless endpoint has. Returns whether `memory` was given and valid.
  bool read_serverless(const YAML::Node& e, const std::string& where, EndpointConfig& ep) {
    r_.check_keys(e, where,
                  {"name", "kind", "memory", "max_concurrency", "provisioned_concurrency",
                   "idle_timeout", "autoscaling", "model", "traffic"});
    bool memory_valid = false;
    if (const YAML::Node mem = e["memory"]) {
      const auto bytes = r_.quantity(e, "memory", UnitKind::kSize);
      if (bytes) {
        const double mb = *bytes / (1024.0 * 1024.0);
        const bool valid = std::any_of(std::begin(kMemorySizesMb), std::end(kMemorySizesMb),
                                       [&](int m) { return m == mb; });
        if (!valid)
          r_.error(mem, fmt::format("memory {:g} MB is not one of {} (SageMaker MemorySizeInMB)",
                                    mb, memory_list()));
        else
          ep.memory_mb = static_cast<int>(mb);
        memory_valid = valid;
      }
    } else {
      r_.error(e,
               fmt::format("{}: missing required key 'memory' (one of {})", where, memory_list()));
    }
    if (auto v = r_.integer(e, "max_concurrency", 1, kMaxConcurrencyLimit, true))
      ep.max_concurrency = int(*v);
    if (const YAML::Node pc = e["provisioned_concurrency"]) {
      const int64_t value = decimal_integer(pc).value_or(-1);
      if (value < 0 || value > kMaxConcurrencyLimit) {
        r_.error(pc, fmt::format("'provisioned_concurrency' must be an integer from 0 (none) to "
                                 "{} (SageMaker ProvisionedConcurrency)",
                                 kMaxConcurrencyLimit));
      } else if (value > ep.max_concurrency) {
        r_.error(pc, fmt::format("provisioned_concurrency {} exceeds max_concurrency {}; it must "
                                 "be at most max_concurrency",
                                 value, ep.max_concurrency));
      } else {
        ep.provisioned_concurrency = int(value);
      }
    }
    ep.idle_timeout = positive_duration(e, "idle_timeout");
    if (const YAML::Node a = e["autoscaling"])
      read_autoscaling(r_, a, s_.start, static_cast<bool>(e["provisioned_concurrency"]), ep);
    return memory_valid;
  }

  void read_model_and_traffic(const YAML::Node& e, const std::string& where, EndpointConfig& ep) {
    if (const YAML::Node m = e["model"]) {
      if (m.IsScalar()) {
        const std::string name = m.Scalar();
        const auto it = models_.find(name);
        if (it == models_.end()) {
          std::vector<std::string> known;
          for (const auto& [k, v] : models_) known.push_back(k);
          const std::string guess = did_you_mean(name, known);
          r_.error(m,
                   fmt::format("unknown model '{}'{}; define it under 'models'", name,
                               guess.empty() ? "" : fmt::format(" (did you mean '{}'?)", guess)));
        } else {
          ep.model = it->second;
        }
      } else {
        ep.model.name = ep.name;
        read_model(m, ep.model);
      }
    }
    if (template_) return;
    const YAML::Node t = e["traffic"];
    if (!t && has_traces_) return;  // fed by the scenario's traces (checked after reading them)
    if (!t || !t.IsSequence() || t.size() == 0) {
      r_.error(t ? t : e,
               fmt::format("{}: 'traffic' must be a non-empty list of traffic profiles", where));
      return;
    }
    std::set<std::string> traffic_names;
    for (const auto& profile : t) {
      if (profile.IsMap() && profile["type"] && profile["type"].IsScalar() &&
          is_trace_type(profile["type"].Scalar())) {
        read_endpoint_trace(r_, profile, ep.name, s_);  // a trace replayed to this endpoint
        continue;
      }
      TrafficConfig tc;
      if (!read_traffic(profile, where, tc)) continue;
      const double work = expected_arrivals(tc, s_.duration, s_.platform.overhead.mean()).work();
      if (!(work <= largest_.work))  // NaN or infinity count as the largest
        largest_ = {
            work, profile.Mark(),
            fmt::format("{} traffic '{}'", where, tc.name.empty() ? type_of(profile) : tc.name)};
      if (!tc.name.empty() && !traffic_names.insert(tc.name).second)
        r_.error(profile["name"], fmt::format("{}: traffic name '{}' is used twice; names must be "
                                              "unique within an endpoint",
                                              where, tc.name));
      ep.traffic.push_back(std::move(tc));
    }
  }

  bool read_traffic(const YAML::Node& t, const std::string& endpoint, TrafficConfig& tc) {
    if (!r_.expect_map(t, "a traffic profile")) return false;
    static const std::map<std::string, TrafficKind> kinds = {
        {"poisson", TrafficKind::kPoisson},
        {"schedule", TrafficKind::kSchedule},
        {"diurnal", TrafficKind::kDiurnal},
        {"bursts", TrafficKind::kBursts},
        {"fixed_interval", TrafficKind::kFixedInterval},
        {"closed_loop", TrafficKind::kClosedLoop}};
    const auto type = r_.string(t, "type", true);
    if (!type) return false;
    const auto it = kinds.find(*type);
    if (it == kinds.end()) {
      std::vector<std::string> names;
      for (const auto& [k, v] : kinds) names.push_back(k);
      for (const std::string& k : trace_type_names()) names.push_back(k);
      const std::string guess = did_you_mean(*type, names);
      r_.error(t["type"],
               fmt::format("unknown traffic type '{}'{}; known: {}", *type,
                           guess.empty() ? "" : fmt::format(" (did you mean '{}'?)", guess),
                           fmt::join(names, ", ")));
      return false;
    }
    tc.kind = it->second;
    if (auto name = r_.string(t, "name")) {
      if (!valid_endpoint_name(*name))
        r_.error(t["name"], fmt::format("traffic name '{}' is not allowed: use 1 to 63 letters, "
                                        "digits and hyphens, starting and ending with a letter "
                                        "or digit",
                                        *name));
      tc.name = *name;
    }
    const std::string where = fmt::format("{} traffic '{}'", endpoint, *type);
    switch (tc.kind) {
      case TrafficKind::kPoisson:
        r_.check_keys(t, where, {"type", "name", "start", "end", "payload", "rate"});
        tc.rate = r_.quantity(t, "rate", UnitKind::kRate, true).value_or(0.0);
        break;
      case TrafficKind::kSchedule: {
        r_.check_keys(t, where, {"type", "name", "start", "end", "payload", "steps", "repeat"});
        const YAML::Node steps = t["steps"];
        if (!steps || !steps.IsSequence() || steps.size() == 0) {
          r_.error(steps ? steps : t, where + ": 'steps' must be a list of {at, rate}");
          return false;
        }
        for (const auto& s : steps) {
          if (!r_.expect_map(s, "a schedule step")) return false;
          r_.check_keys(s, "a schedule step", {"at", "rate"});
          const auto at = r_.duration(s, "at", true);
          const auto rate = r_.quantity(s, "rate", UnitKind::kRate, true);
          if (!at || !rate) return false;
          if ((tc.steps.empty() && at->ns() != 0) ||
              (!tc.steps.empty() && *at <= tc.steps.back().at)) {
            r_.error(s["at"], "schedule steps must start at 0s and have increasing 'at' times");
            return false;
          }
          tc.steps.push_back(RateStep{*at, *rate});
        }
        if (auto rep = positive_duration(t, "repeat")) {
          if (*rep <= tc.steps.back().at)
            r_.error(t["repeat"], "'repeat' must be longer than the last step's 'at'");
          tc.repeat = *rep;
        }
        break;
      }
      case TrafficKind::kDiurnal:
        r_.check_keys(t, where,
                      {"type", "name", "start", "end", "payload", "mean_rate", "amplitude",
                       "period", "peak_at"});
        tc.mean_rate = r_.quantity(t, "mean_rate", UnitKind::kRate, true).value_or(0.0);
        tc.amplitude = r_.probability(t, "amplitude").value_or(0.5);
        if (auto v = positive_duration(t, "period")) tc.period = *v;
        if (auto v = r_.duration(t, "peak_at")) tc.peak_at = *v;
        break;
      case TrafficKind::kBursts:
        r_.check_keys(t, where, {"type", "name", "start", "end", "payload", "rate", "on", "off"});
        tc.rate = r_.quantity(t, "rate", UnitKind::kRate, true).value_or(0.0);
        if (auto v = r_.distribution(t, "on", UnitKind::kDuration, true)) tc.on_duration = *v;
        if (auto v = r_.distribution(t, "off", UnitKind::kDuration, true)) tc.off_duration = *v;
        break;
      case TrafficKind::kFixedInterval:
        r_.check_keys(t, where, {"type", "name", "start", "end", "payload", "interval", "count"});
        tc.interval = positive_duration(t, "interval", true).value_or(Duration::seconds(1));
        tc.start = tc.interval;  // the seed sleeps one interval before its first request
        if (auto v = r_.integer(t, "count", 0, INT64_MAX)) tc.count = *v;
        break;
      case TrafficKind::kClosedLoop:
        r_.check_keys(t, where,
                      {"type", "name", "start", "end", "payload", "clients", "think_time"});
        tc.clients = int(r_.integer(t, "clients", 1, 100000, true).value_or(1));
        if (auto v = r_.distribution(t, "think_time", UnitKind::kDuration, true))
          tc.think_time = *v;
        break;
    }
    if (auto v = instant(t, "start")) tc.start = *v;
    if (auto v = instant(t, "end")) tc.end = *v;
    if (auto v = r_.distribution(t, "payload", UnitKind::kSize)) tc.payload = *v;
    return true;
  }

  // A time in the scenario: an offset from its start (`90min`) or a UTC date-time
  // (`2027-03-25T14:00:00Z`), which must not be before the scenario's start.
  std::optional<Duration> instant(const YAML::Node& m, const char* key) {
    const YAML::Node n = m[key];
    if (n && n.IsScalar() && n.Scalar().size() >= 10 && n.Scalar()[4] == '-') {
      std::string problem;
      const auto t = parse_utc(n.Scalar(), problem);
      if (!t) {
        r_.error(n, fmt::format("'{}': {}", key, problem));
        return std::nullopt;
      }
      if (t->unix_ns < s_.start.unix_ns) {
        r_.error(n, fmt::format("'{}' {} is before the scenario's start {}", key, n.Scalar(),
                                format_utc(s_.start)));
        return std::nullopt;
      }
      return Duration::nanoseconds(t->unix_ns - s_.start.unix_ns);
    }
    return r_.duration(m, key);
  }

  std::optional<Duration> positive_duration(const YAML::Node& m, const char* key,
                                            bool required = false) {
    auto d = r_.duration(m, key, required);
    if (d && d->ns() <= 0) {
      r_.error(m[key], fmt::format("'{}' must be greater than 0", key));
      return std::nullopt;
    }
    return d;
  }
  std::optional<double> positive(const YAML::Node& m, const char* key, UnitKind kind) {
    auto v = r_.quantity(m, key, kind);
    if (v && *v <= 0.0) {
      r_.error(m[key], fmt::format("'{}' must be greater than 0", key));
      return std::nullopt;
    }
    return v;
  }

  static std::string type_of(const YAML::Node& profile) {
    return profile["type"] ? profile["type"].Scalar() : "?";
  }

  YamlReader& r_;
  Scenario& s_;
  TraceRows trace_rows_;
  std::map<std::string, ModelConfig> models_;
  // The traffic profile with the most expected work, for the workload error.
  struct Largest {
    double work = -1.0;
    // Its position, not the node: assigning a YAML::Node to a bound one overwrites the bound
    // node's content (yaml-cpp's reference semantics), which would rewrite the document.
    YAML::Mark mark = YAML::Mark::null_mark();
    std::string where;
  } largest_;
  bool template_ = false;    // reading an endpoint_template
  bool has_traces_ = false;  // the scenario has `traces:`, which may feed endpoints

  // With `traces:`, an endpoint may have no `traffic:`; then a trace must feed it.
  void check_fed(const YAML::Node& eps) {
    std::vector<bool> fed(s_.endpoints.size(), false);
    for (size_t e = 0; e < s_.endpoints.size(); ++e) fed[e] = !s_.endpoints[e].traffic.empty();
    const auto feed = [&](uint32_t e) {
      if (e < fed.size()) fed[e] = true;
    };
    for (const TraceConfig& t : s_.traces) {
      feed(t.route.all);
      for (const auto& [key, e] : t.route.keys) feed(e);
      if (t.minutes)
        for (const MinuteSeries& m : t.minutes->series) feed(m.endpoint);
    }
    if (!eps || !eps.IsSequence()) return;
    for (size_t e = 0; e < eps.size() && e < fed.size(); ++e)
      if (!fed[e] && !eps[e]["traffic"])
        r_.error(eps[e], fmt::format("endpoint '{}' has no traffic: give it 'traffic:' or route "
                                     "a trace of 'traces:' to it",
                                     s_.endpoints[e].name));
  }

 public:
  // Looks up the real-time endpoints' instance types in the (now loaded) pricing file.
  void resolve_instances(const Pricing& pricing) {
    for (const auto& [node, e] : instance_types_)
      resolve_instance_type(r_, node, pricing, s_.endpoints[e]);
  }

 private:
  std::vector<std::pair<YAML::Node, size_t>> instance_types_;  // node, endpoint index
};

}  // namespace

LoadResult load_scenario(const std::string& path, const std::vector<std::string>& overrides,
                         TraceRows trace_rows) {
  LoadResult result;
  Scenario& s = result.scenario;
  s.source_path = path;
  YamlReader r(path);
  YAML::Node root;
  if (!load_yaml_file(r, "scenario file", root, &s.source_text)) {
    result.errors = r.errors();
    return result;
  }
  apply_overrides(root, overrides, r);
  ScenarioReader reader(r, s, trace_rows);
  try {
    reader.read(root);
  } catch (const YAML::Exception& e) {
    r.error_at(e.mark, e.msg);
  }
  if (s.pricing_path.empty()) s.pricing_path = default_pricing_path();
  if (s.pricing_path.empty()) {
    result.errors.push_back(fmt::format(
        "{}: no 'pricing:' file given and slsim's own pricing folder was not found; set "
        "'pricing:' or SLSIM_DATA_DIR to the folder holding pricing/us-east-1.yaml",
        path));
    return result;
  }
  if (root.IsMap()) {
    root["pricing"] = s.pricing_path;
    result.effective_yaml = YAML::Dump(root) + "\n";
  }
  const auto pricing_errors = load_pricing(s.pricing_path, s.pricing);
  if (pricing_errors.empty()) reader.resolve_instances(s.pricing);
  result.errors = r.errors();
  result.warnings = r.warnings();
  // In file order: by line, then column, for errors in the scenario file itself.
  const auto position = [&](const std::string& e) {
    int line = 0, column = 0;
    if (e.rfind(path + ":", 0) == 0)
      std::sscanf(e.c_str() + path.size(), ":%d:%d:", &line, &column);
    return std::pair{line, column};
  };
  std::stable_sort(
      result.errors.begin(), result.errors.end(),
      [&](const std::string& a, const std::string& b) { return position(a) < position(b); });
  result.errors.insert(result.errors.end(), pricing_errors.begin(), pricing_errors.end());
  return result;
}

}  // namespace slsim
