// Per-window figures (window_recorder.hpp), on records whose values are known: the windows that
// `plan --slo-window` judges.
#include "slsim/window_recorder.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <string>

using namespace slsim;

namespace {

RequestRecord record(Time arrival, Duration latency, Outcome outcome, bool cold = false) {
  RequestRecord r;
  r.arrival = arrival;
  r.response = arrival + latency;
  r.outcome = outcome;
  r.cold = cold;
  r.wait = cold ? latency : Duration();
  return r;
}

UtcTime utc(const std::string& text) {
  std::string error;
  const auto t = parse_utc(text, error);
  INFO(error);
  REQUIRE(t.has_value());
  return *t;
}

}  // namespace

TEST_CASE("windows are whole minutes or the hour of the week", "[window]") {
  WindowSpec w;
  std::string error;
  REQUIRE(WindowSpec::parse("1h", w, error));
  CHECK(w.length == Duration::hours(1));
  CHECK(w.count(Duration::minutes(150)) == 3);  // the last window is a part one
  REQUIRE(WindowSpec::parse("hour-of-week", w, error));
  CHECK(w.count(Duration::hours(1)) == 168);
  for (const char* bad : {"90s", "0min", "1", "weekly"}) {
    WindowSpec v;
    CHECK_FALSE(WindowSpec::parse(bad, v, error));
    CHECK_THAT(error, Catch::Contains("whole number of minutes"));
  }
}

TEST_CASE("each window has its own latency quantiles and rates", "[window]") {
  WindowSpec spec;
  std::string error;
  REQUIRE(WindowSpec::parse("1h", spec, error));
  WindowRecorder windows(spec, kDefaultStart, Duration::hours(3));
  // Hour 0: 100 warm requests of 200 ms. Hour 1: 98 warm of 200 ms and 2 cold of 6 s, plus
  // 10 throttled. Hour 2: none.
  for (int i = 0; i < 100; ++i)
    windows.request(
        record(Time::zero() + Duration::seconds(i), Duration::milliseconds(200), Outcome::kWarm));
  const Time hour1 = Time::zero() + Duration::hours(1);
  for (int i = 0; i < 98; ++i)
    windows.request(
        record(hour1 + Duration::seconds(i), Duration::milliseconds(200), Outcome::kWarm));
  for (int i = 0; i < 2; ++i)
    windows.request(
        record(hour1 + Duration::seconds(200 + i), Duration::seconds(6), Outcome::kCold, true));
  for (int i = 0; i < 10; ++i)
    windows.request(record(hour1 + Duration::seconds(300 + i), Duration(), Outcome::kThrottled));
  REQUIRE(windows.windows().size() == 3);
  const double bin = LatencyHistogram::max_relative_error();
  CHECK(windows.figure(0, "latency_s.p99") == Approx(0.2).epsilon(bin));
  CHECK(windows.figure(0, "cold_start_rate") == 0.0);
  CHECK(windows.figure(0, "throttle_rate") == 0.0);
  // Hour 1's p99 is a cold request: the 99th of 100 served is the first 6 s one.
  CHECK(windows.figure(1, "latency_s.p99") == Approx(6.0).epsilon(bin));
  CHECK(windows.figure(1, "latency_s.p50") == Approx(0.2).epsilon(bin));
  CHECK(windows.figure(1, "latency_warm_s.p99") == Approx(0.2).epsilon(bin));
  CHECK(windows.figure(1, "latency_cold_s.p50") == Approx(6.0).epsilon(bin));
  CHECK(std::isnan(windows.figure(0, "latency_cold_s.p99")));  // no cold request in hour 0
  CHECK(windows.figure(1, "cold_start_rate") == Approx(2.0 / 110));
  CHECK(windows.figure(1, "throttle_rate") == Approx(10.0 / 110));
  CHECK(std::isnan(windows.figure(2, "latency_s.p99")));  // no requests: undefined, not 0
}

TEST_CASE("hour-of-week windows pool the same hour of every week", "[window]") {
  WindowSpec spec;
  std::string error;
  REQUIRE(WindowSpec::parse("hour-of-week", spec, error));
  // Wednesday 2027-01-06 10:00 UTC: hour 2 × 24 + 10 = 58 of the week (Monday 00:00 first).
  WindowRecorder windows(spec, utc("2027-01-06T10:00:00Z"), Duration::hours(14 * 24));
  windows.request(record(Time::zero(), Duration::milliseconds(100), Outcome::kWarm));
  windows.request(record(Time::zero() + Duration::hours(7 * 24) + Duration::minutes(59),
                         Duration::milliseconds(300), Outcome::kWarm));
  windows.request(record(Time::zero() + Duration::hours(14), Duration::milliseconds(100),
                         Outcome::kWarm));  // Thursday 00:00: hour 72
  CHECK(windows.windows()[58].requests == 2);
  CHECK(windows.windows()[72].requests == 1);
  CHECK(windows.figure(58, "latency_s.max") ==
        Approx(0.3).epsilon(LatencyHistogram::max_relative_error()));
}
