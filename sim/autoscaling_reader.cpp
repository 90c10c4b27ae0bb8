#include "slsim/autoscaling_reader.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace slsim {
namespace {

// An integer capacity in [0, limit] (SageMaker ProvisionedConcurrency is at most the endpoint's
// MaxConcurrency).
std::optional<int> capacity(YamlReader& r, const YAML::Node& map, const char* key, int limit,
                            bool required) {
  const auto v = r.integer(map, key, 0, limit, required);
  return v ? std::optional<int>(static_cast<int>(*v)) : std::nullopt;
}

void read_alarm(YamlReader& r, const YAML::Node& t, const char* key, int& datapoints, int& periods,
                double* fraction) {
  const YAML::Node a = t[key];
  if (!a) return;
  if (!r.expect_map(a, fmt::format("'{}'", key))) return;
  if (fraction)
    r.check_keys(a, fmt::format("'{}'", key), {"datapoints", "periods", "threshold"});
  else
    r.check_keys(a, fmt::format("'{}'", key), {"datapoints", "periods"});
  const auto p = r.integer(a, "periods", 1, 100);
  const auto d = r.integer(a, "datapoints", 1, 100);
  if (p) periods = static_cast<int>(*p);
  if (d) datapoints = static_cast<int>(*d);
  // Compared only when neither was written wrong (that error is reported already).
  if ((p || !a["periods"]) && (d || !a["datapoints"]) && datapoints > periods)
    r.error(a, fmt::format("'{}': datapoints ({}) cannot exceed periods ({}): the alarm fires "
                           "when M of the last N datapoints breach, M <= N",
                           key, datapoints, periods));
  if (fraction) {
    if (auto v = r.quantity(a, "threshold", UnitKind::kPlain)) {
      if (*v <= 0.0 || *v > 1.0)
        r.error(a["threshold"],
                "'threshold' is the fraction of the target below which the "
                "scale-in alarm breaches: more than 0, at most 1 (AWS: 0.9)");
      else
        *fraction = *v;
    }
  }
}

void read_target_tracking(YamlReader& r, const YAML::Node& t, bool real_time,
                          TargetTrackingConfig& tt) {
  if (!r.expect_map(t, "'target_tracking'")) return;
  r.check_keys(t, "'target_tracking'",
               {"metric", "target", "statistic", "scale_out_cooldown", "scale_in_cooldown",
                "scale_out_alarm", "scale_in_alarm", "metric_delay", "disable_scale_in"});
  const char* metric_name = real_time ? "SageMakerVariantInvocationsPerInstance"
                                      : "SageMakerVariantProvisionedConcurrencyUtilization";
  tt.metric = real_time ? TargetTrackingConfig::Metric::kInvocationsPerInstance
                        : TargetTrackingConfig::Metric::kProvisionedConcurrencyUtilization;
  if (auto metric = r.string(t, "metric"); metric && *metric != metric_name)
    r.error(t["metric"], fmt::format("metric '{}' cannot scale {}: use {}", *metric,
                                     real_time ? "a real-time endpoint's instance count"
                                               : "provisioned concurrency",
                                     metric_name));
  if (auto v = r.quantity(t, "target", UnitKind::kPlain, true)) {
    if (real_time && (*v <= 0.0 || *v > 1e6))
      r.error(t["target"],
              "'target' is invocations per instance per minute: more than 0, e.g. "
              "600");
    else if (!real_time && (*v <= 0.0 || *v > 1.0))
      r.error(t["target"],
              "'target' is a utilization (executions ÷ provisioned concurrency): "
              "more than 0, at most 1, e.g. 0.5");
    else
      tt.target = *v;
  }
  if (auto s = r.string(t, "statistic")) {
    if (real_time)
      r.error(t["statistic"],
              "'statistic' applies to SageMakerVariantProvisionedConcurrencyUtilization; "
              "SageMakerVariantInvocationsPerInstance is a sum per minute: remove it");
    else if (*s == "Average")
      tt.statistic = TargetTrackingConfig::Statistic::kAverage;
    else if (*s == "Maximum")
      tt.statistic = TargetTrackingConfig::Statistic::kMaximum;
    else
      r.error(t["statistic"],
              fmt::format("statistic '{}' is not Average or Maximum (CloudWatch's names)", *s));
  }
  // AWS's ScaleOutCooldown and ScaleInCooldown are whole seconds.
  for (const auto& [key, cooldown] : {std::pair{"scale_out_cooldown", &tt.scale_out_cooldown},
                                      std::pair{"scale_in_cooldown", &tt.scale_in_cooldown}})
    if (auto v = r.duration(t, key)) {
      if (v->ns() % 1'000'000'000 != 0)
        r.error(t[key], fmt::format("'{}' is a whole number of seconds (AWS {}), e.g. 300s", key,
                                    key[6] == 'o' ? "ScaleOutCooldown" : "ScaleInCooldown"));
      else
        *cooldown = *v;
    }
  if (auto v = r.duration(t, "metric_delay")) {
    if (*v > Duration::hours(24))
      r.error(t["metric_delay"], "'metric_delay' is at most 24h");
    else
      tt.metric_delay = *v;
  }
  read_alarm(r, t, "scale_out_alarm", tt.scale_out_datapoints, tt.scale_out_periods, nullptr);
  read_alarm(r, t, "scale_in_alarm", tt.scale_in_datapoints, tt.scale_in_periods,
             &tt.scale_in_fraction);
  if (const YAML::Node d = t["disable_scale_in"];
      d && (!d.IsScalar() || !YAML::convert<bool>::decode(d, tt.disable_scale_in)))
    r.error(d, "'disable_scale_in' must be true or false");
}

// The registered capacity range a scheduled action changes, and what it may set.
struct ActionBounds {
  int low, high;  // the policy's min_capacity and max_capacity
  int least;      // the smallest capacity an action may set (real time: 1 instance)
  int limit;      // the largest
};

void read_action(YamlReader& r, const YAML::Node& a, UtcTime start, const ActionBounds& b,
                 ScheduledActionConfig& action) {
  r.check_keys(a, "a scheduled action",
               {"name", "schedule", "timezone", "min_capacity", "max_capacity"});
  const auto text = r.string(a, "schedule", true);
  const auto zone_text = r.string(a, "timezone");
  const std::string zone = zone_text.value_or("");
  if (zone_text && zone.empty())
    r.error(a["timezone"],
            "'timezone' is empty: write an IANA name such as America/New_York, "
            "or remove it for UTC");
  // AWS: "the time zone used when setting a scheduled action by using an at or cron expression".
  if (text && zone_text && text->rfind("rate(", 0) == 0)
    r.error(a["timezone"],
            "a rate() schedule counts from the scenario's start in any time zone; "
            "'timezone' applies to cron() and at() only: remove it");
  if (text) {
    std::string error;
    size_t column = 0;
    if (auto s = ScheduleExpression::parse(*text, zone, start, error, column)) {
      action.schedule = *s;
      if (text->rfind("at(", 0) == 0 && !s->first_at_or_after(start))
        r.error(a["schedule"], fmt::format("'schedule': {} is before the scenario's start ({}): "
                                           "it would never run",
                                           *text, format_utc(start)));
    } else if (error.rfind("unknown time zone", 0) == 0) {
      r.error(a["timezone"], error);
    } else {
      YAML::Mark mark = a["schedule"].Mark();
      if (!mark.is_null()) mark.column += static_cast<int>(column);
      r.error_at(mark, fmt::format("'schedule': {}", error));
    }
  }
  action.name = r.string(a, "name").value_or(text.value_or(""));
  action.min_capacity = capacity(r, a, "min_capacity", b.limit, false);
  action.max_capacity = capacity(r, a, "max_capacity", b.limit, false);
  if (!a["min_capacity"] && !a["max_capacity"])
    r.error(a, "a scheduled action sets min_capacity, max_capacity or both");
  for (const char* key : {"min_capacity", "max_capacity"}) {
    const auto& v = key[1] == 'i' ? action.min_capacity : action.max_capacity;
    if (v && *v < b.least)
      r.error(a[key],
              fmt::format("a real-time endpoint keeps at least one instance: {} >= 1", key));
  }
  if (action.min_capacity && action.max_capacity && *action.min_capacity > *action.max_capacity)
    r.error(a["min_capacity"], "min_capacity must not exceed max_capacity");
  // AWS: "in some cases … you must include both sizes to ensure that the new minimum capacity
  // is not greater than the maximum capacity" (scheduled scaling guide).
  if (action.min_capacity && !action.max_capacity && *action.min_capacity > b.high)
    r.error(a["min_capacity"],
            fmt::format("min_capacity {} is above the policy's max_capacity {}: give this action "
                        "a max_capacity too",
                        *action.min_capacity, b.high));
  if (action.max_capacity && !action.min_capacity && *action.max_capacity < b.low)
    r.error(a["max_capacity"],
            fmt::format("max_capacity {} is below the policy's min_capacity {}: give this action "
                        "a min_capacity too",
                        *action.max_capacity, b.low));
}

}  // namespace

void read_autoscaling(YamlReader& r, const YAML::Node& node, UtcTime start, bool has_provisioned,
                      EndpointConfig& endpoint) {
  const std::string where = fmt::format("endpoint '{}' autoscaling", endpoint.name);
  if (!r.expect_map(node, fmt::format("'{}'", where))) return;
  r.check_keys(node, where,
               {"min_capacity", "max_capacity", "target_tracking", "scheduled_actions"});
  AutoscalingConfig config;
  const bool real_time = endpoint.kind == EndpointKind::kRealTime;
  // Provisioned concurrency 0..MaxConcurrency; real-time instances 1..100.
  const int limit = real_time ? 100 : endpoint.max_concurrency;
  const auto low = capacity(r, node, "min_capacity", limit, true);
  if (real_time && low && *low < 1)
    r.error(node["min_capacity"],
            "a real-time endpoint keeps at least one instance: "
            "min_capacity >= 1");
  const auto high = capacity(r, node, "max_capacity", limit, true);
  if (!low || !high) return;
  if (*low > *high) {
    r.error(node["min_capacity"],
            fmt::format("min_capacity {} exceeds max_capacity {}", *low, *high));
    return;
  }
  config.min_capacity = *low;
  config.max_capacity = *high;
  if (const YAML::Node t = node["target_tracking"]) {
    config.target_tracking.emplace();
    read_target_tracking(r, t, real_time, *config.target_tracking);
  }
  if (const YAML::Node list = node["scheduled_actions"]) {
    if (!list.IsSequence() || list.size() == 0) {
      r.error(list,
              "'scheduled_actions' must be a non-empty list of {schedule, min_capacity, "
              "max_capacity}");
    } else {
      for (const auto& a : list) {
        if (!r.expect_map(a, "a scheduled action")) continue;
        ScheduledActionConfig action;
        read_action(r, a, start,
                    {config.min_capacity, config.max_capacity, real_time ? 1 : 0, limit}, action);
        config.scheduled_actions.push_back(std::move(action));
      }
    }
  }
  if (!config.target_tracking && config.scheduled_actions.empty())
    r.error(node, fmt::format("{}: give target_tracking, scheduled_actions or both", where));
  int& starting = real_time ? endpoint.real_time.instance_count : endpoint.provisioned_concurrency;
  const char* starting_key = real_time ? "instance_count" : "provisioned_concurrency";
  if (!has_provisioned) {
    starting = std::max(config.min_capacity, real_time ? 1 : 0);
  } else if (starting < config.min_capacity || starting > config.max_capacity) {
    r.error(node, fmt::format("{}: {} {} (the starting capacity) is outside [min_capacity {}, "
                              "max_capacity {}]; change either, or omit {} to start at "
                              "min_capacity",
                              where, starting_key, starting, config.min_capacity,
                              config.max_capacity, starting_key));
  }
  endpoint.autoscaling = std::move(config);
}

}  // namespace slsim
