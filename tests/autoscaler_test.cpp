// Application Auto Scaling (autoscaler.hpp): alarms, delays and cooldowns against timelines
// derived by hand, and scheduled actions. Datapoints are fed directly as minute records, so each
// case states exactly what CloudWatch would see.
#include "slsim/autoscaler.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "test_support.hpp"

using namespace slsim;
using namespace slsim::testing;

namespace {

constexpr int64_t kMinuteNs = 60'000'000'000;

// One endpoint (no traffic) with an autoscaler; minutes are fed by hand.
struct Harness {
  explicit Harness(AutoscalingConfig config, int provisioned = 1)
      : scenario(make(std::move(config), provisioned)),
        engine(Duration::minutes(1)),
        model(scenario, 0, 0, engine, account),
        scaler(*scenario.endpoints[0].autoscaling, 0, scenario.start,
               ScalableTarget{&model, nullptr}, engine) {
    account.limit = 1000;
    model.start();
    scaler.start();
  }

  static Scenario make(AutoscalingConfig config, int provisioned) {
    Scenario s =
        one_endpoint(Duration::hours(10), 0.0, Distribution::constant(1.0), 50, provisioned);
    s.platform.provisioning_delay = Distribution::constant(30.0);
    s.endpoints[0].autoscaling = std::move(config);
    return s;
  }

  // Ends the next minute with provisioned utilization `u` (NaN: no datapoint), then runs every
  // event up to the end of the following minute; returns the activities that happened.
  std::vector<ScalingRecord> minute(double u) {
    const Time end = Time::at(Duration::nanoseconds(++minutes * kMinuteNs));
    run(end);
    engine.advance_to(end);  // the minute's tick
    MinuteRecord m;
    m.start = end - Duration::minutes(1);
    m.end = end;
    const int capacity = model.capacity().provisioned;
    m.provisioned_capacity = capacity;
    m.provisioned_ns = std::isnan(u) ? 0 : capacity * kMinuteNs;
    m.busy_provisioned_ns = std::isnan(u) ? 0 : static_cast<int64_t>(u * capacity * kMinuteNs);
    scaler.on_minute(m);
    std::vector<ScalingRecord> out;
    run(end + Duration::minutes(1) - Duration::nanoseconds(1), &out);
    return out;
  }

  void run(Time until, std::vector<ScalingRecord>* out = nullptr) {
    Event e;
    while (engine.next(until, e)) {
      const ScalingRecord* r = nullptr;
      if (e.kind == EventKind::kMetricPublished) r = scaler.on_metric_published();
      if (e.kind == EventKind::kScheduledAction) r = scaler.on_scheduled_action(e.target);
      if (e.kind == EventKind::kContainerReady) model.on_container_ready(e.target);
      if (r) {
        if (out) out->push_back(*r);
        activities.push_back(*r);
      }
    }
    engine.settle();
  }

  Scenario scenario;
  Engine engine;
  AccountPool account;
  EndpointModel model;
  Autoscaler scaler;
  int64_t minutes = 0;
  std::vector<ScalingRecord> activities;
};

AutoscalingConfig tracking(double target = 0.5, Duration cooldown = Duration::seconds(1)) {
  AutoscalingConfig c;
  c.min_capacity = 1;
  c.max_capacity = 20;
  c.target_tracking.emplace();
  c.target_tracking->target = target;
  c.target_tracking->scale_out_cooldown = cooldown;
  c.target_tracking->scale_in_cooldown = cooldown;
  return c;
}

}  // namespace

TEST_CASE("a step in load scales out after 3 datapoints, the publication and provisioning delays",
          "[autoscaling]") {
  AutoscalingConfig config = tracking();
  config.target_tracking->metric_delay = Duration::seconds(20);
  Harness h(config);
  for (int m = 0; m < 10; ++m) REQUIRE(h.minute(0.0).empty());  // minutes 0-9: idle
  // Minutes 10, 11, 12 at 0.8: the third datapoint ends at 13:00 and is published at 13:20.
  REQUIRE(h.minute(0.8).empty());
  REQUIRE(h.minute(0.8).empty());
  const auto out = h.minute(0.8);
  REQUIRE(out.size() == 1);
  REQUIRE(out[0].at == Time::at(Duration::seconds(13 * 60 + 20)));
  REQUIRE(out[0].cause == ScalingRecord::Cause::kScaleOutAlarm);
  REQUIRE(out[0].old_capacity == 1);
  REQUIRE(out[0].new_capacity == 2);  // ceil(1 × 0.8 / 0.5)
  REQUIRE(out[0].datapoints == std::vector<double>{0.8, 0.8, 0.8});
  // The new container serves 30 s later (provisioning delay): at 13:50 it is still starting.
  h.run(Time::at(Duration::seconds(13 * 60 + 50)));
  MinuteRecord m = h.model.close_minute(Time::at(Duration::seconds(13 * 60 + 50)));
  REQUIRE(m.provisioning_ns == 30 * 1'000'000'000LL);
}

TEST_CASE("scale-in waits for 15 low datapoints and never goes below min_capacity",
          "[autoscaling]") {
  Harness h(tracking(), 4);
  for (int m = 0; m < 14; ++m) REQUIRE(h.minute(0.0).empty());
  const auto out = h.minute(0.0);  // the 15th low datapoint
  REQUIRE(out.size() == 1);
  REQUIRE(out[0].cause == ScalingRecord::Cause::kScaleInAlarm);
  REQUIRE(out[0].at == Time::at(Duration::minutes(15)));
  REQUIRE(out[0].new_capacity == 1);  // ceil(4 × 0 / 0.5) = 0, raised to the minimum 1
  REQUIRE(out[0].datapoints.size() == 15);
}

TEST_CASE("missing datapoints never breach: no scale-in on insufficient data", "[autoscaling]") {
  Harness h(tracking(), 4);
  for (int m = 0; m < 30; ++m) REQUIRE(h.minute(m % 2 ? 0.0 : NAN).empty());
}

TEST_CASE("a scale-out cooldown lets only a larger scale-out through, and blocks scale-in",
          "[autoscaling]") {
  Harness h(tracking(0.5, Duration::minutes(10)));
  h.minute(0.8);
  h.minute(0.8);
  REQUIRE(h.minute(0.8).at(0).new_capacity == 2);  // at 3:00, cooldown until 13:00
  // Same metric, capacity 2: desired ceil(2 × 0.8 / 0.5) = 4 > 2, the last desired: proceeds.
  REQUIRE(h.minute(0.8).at(0).new_capacity == 4);
  // 0.6 at capacity 4 -> desired 5: larger than 4, proceeds.
  REQUIRE(h.minute(0.6).at(0).new_capacity == 5);
  // 0.55 at 5 -> desired 6 > 5: proceeds; then 0.51 at 6 -> 7, and so on while larger.
  REQUIRE(h.minute(0.55).at(0).new_capacity == 6);
  // Low load during the cooldown: no scale-in (15 low datapoints would not have been enough
  // anyway, so force the alarm window full of lows): minutes 7-21 at 0.1.
  int scale_ins_during = 0;
  for (int m = 0; m < 6; ++m)
    for (const auto& r : h.minute(0.1))
      if (r.cause == ScalingRecord::Cause::kScaleInAlarm) ++scale_ins_during;
  REQUIRE(scale_ins_during == 0);
  REQUIRE(h.model.capacity().provisioned == 6);
}

TEST_CASE("a scale-in cooldown blocks scale-in but not scale-out", "[autoscaling]") {
  AutoscalingConfig config = tracking(0.5, Duration::minutes(30));
  config.target_tracking->scale_out_cooldown = Duration::seconds(1);
  config.target_tracking->scale_in_datapoints = 2;
  config.target_tracking->scale_in_periods = 2;
  Harness h(config, 10);
  h.minute(0.2);
  // Two low datapoints: desired ceil(10 × 0.2 / 0.5) = 4.
  REQUIRE(h.minute(0.2).at(0).new_capacity == 4);  // at 2:00, scale-in cooldown until 32:00
  // Lower still: desired ceil(4 × 0.1 / 0.5) = 1 < 4, but the cooldown blocks it.
  REQUIRE(h.minute(0.1).empty());
  REQUIRE(h.minute(0.1).empty());
  // A scale-out goes through at once, and ends the scale-in cooldown.
  h.minute(0.9);
  h.minute(0.9);
  REQUIRE(h.minute(0.9).at(0).new_capacity == 8);  // ceil(4 × 0.9 / 0.5)
  h.minute(0.1);
  REQUIRE(h.minute(0.1).at(0).new_capacity == 2);  // ceil(8 × 0.1 / 0.5), no cooldown left
}

TEST_CASE("a scheduled action moves capacity into its range at once, cooldowns or not",
          "[autoscaling]") {
  AutoscalingConfig config = tracking(0.5, Duration::hours(5));
  std::string error;
  size_t column = 0;
  ScheduledActionConfig action;
  action.name = "morning";
  action.schedule = *ScheduleExpression::parse("cron(10 0 * * ? *)", "", kDefaultStart, error,
                                               column);  // 00:10 UTC = minute 10
  action.min_capacity = 7;
  config.scheduled_actions.push_back(action);
  Harness h(config, 3);
  for (int m = 0; m < 3; ++m) h.minute(0.9);  // scale-out at 3:00 to ceil(3 × 0.9/0.5) = 6
  REQUIRE(h.model.capacity().provisioned == 6);
  // Then at the target (no alarm either way), in the 5 h scale-out cooldown.
  std::vector<ScalingRecord> seen;
  for (int m = 3; m < 11; ++m)
    for (const auto& r : h.minute(0.5)) seen.push_back(r);
  // At 10:00 the action runs (in the scale-out cooldown): min 7 moves capacity 6 -> 7.
  REQUIRE(seen.size() == 1);
  REQUIRE(seen[0].cause == ScalingRecord::Cause::kScheduledAction);
  REQUIRE(seen[0].action == "morning");
  REQUIRE(seen[0].at == Time::at(Duration::minutes(10)));
  REQUIRE(seen[0].new_capacity == 7);
  REQUIRE(seen[0].min_capacity == 7);
  REQUIRE(h.scaler.min_capacity() == 7);
}

TEST_CASE("capacity stays within [min, max] and billing integrates it over time", "[autoscaling]") {
  // No traffic and instant provisioning, so the containers held always equal the capacity set:
  // the provisioned container-seconds billed must equal ∫ capacity dt rebuilt from scaling.csv's
  // records alone. Scheduled actions raise the minimum to 5 at :00 and lower it to 1 at :30 of
  // every hour; target tracking scales in whenever 15 low datapoints allow.
  Scenario s = one_endpoint(Duration::hours(6), 0.0, Distribution::constant(1.0), 50, 2);
  s.platform.provisioning_delay = Distribution::constant(0.0);
  s.pricing.provisioned_concurrency.fill(1e-5);
  AutoscalingConfig config = tracking(0.5, Duration::minutes(2));
  std::string error;
  size_t column = 0;
  for (const auto& [cron, low] : {std::pair{"cron(0 * * * ? *)", 5}, {"cron(30 * * * ? *)", 1}}) {
    ScheduledActionConfig a;
    a.name = cron;
    a.schedule = *ScheduleExpression::parse(cron, "", s.start, error, column);
    a.min_capacity = low;
    config.scheduled_actions.push_back(a);
  }
  config.max_capacity = 8;
  s.endpoints[0].autoscaling = config;
  MemoryRecorder memory;
  const ReplicationResult r = Simulation(s, 0, Recorders{nullptr, nullptr, &memory}).run();
  double integral = 0.0;
  int capacity = 2;
  Time since;
  for (const ScalingRecord& a : memory.scalings) {
    REQUIRE(a.new_capacity >= a.min_capacity);
    REQUIRE(a.new_capacity <= a.max_capacity);
    REQUIRE(a.old_capacity == capacity);
    integral += capacity * (a.at - since).seconds_f();
    capacity = a.new_capacity;
    since = a.at;
  }
  integral += capacity * (Time::at(s.duration) - since).seconds_f();
  REQUIRE(r.endpoints[0].scaling_activities >= 10);
  REQUIRE(r.endpoints[0].usage.provisioned_container_seconds == Approx(integral));
  const Cost cost = compute_cost(s.pricing, 2048, r.endpoints[0].usage);
  REQUIRE(cost.provisioned_concurrency == Approx(integral * 1e-5));
}
