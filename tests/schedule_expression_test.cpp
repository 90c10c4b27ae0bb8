// Scheduled-action expressions (schedule_expression.hpp): cron fields, rate, at, time zones.
#include "slsim/schedule_expression.hpp"

#include <catch2/catch.hpp>
#include <vector>

using namespace slsim;

namespace {

UtcTime utc(const char* text) {
  std::string error;
  const auto t = parse_utc(text, error);
  REQUIRE(t.has_value());
  return *t;
}

ScheduleExpression parse(const char* text, const char* zone = "") {
  std::string error;
  size_t column = 0;
  const auto s = ScheduleExpression::parse(text, zone, utc("2027-01-01"), error, column);
  INFO(text << ": " << error);
  REQUIRE(s.has_value());
  return *s;
}

// The first `n` runs at or after `from`, as ISO-8601 UTC.
std::vector<std::string> runs(const ScheduleExpression& s, const char* from, int n) {
  std::vector<std::string> out;
  UtcTime t = utc(from);
  for (int i = 0; i < n; ++i) {
    const auto next = s.first_at_or_after(t);
    if (!next) break;
    out.push_back(format_utc(*next));
    t = UtcTime{next->unix_ns + 1};
  }
  return out;
}

using Runs = std::vector<std::string>;

}  // namespace

TEST_CASE("cron runs at every matching minute, across days", "[schedule]") {
  REQUIRE(runs(parse("cron(15 12 * * ? *)"), "2027-03-22", 2) ==
          Runs{"2027-03-22T12:15:00Z", "2027-03-23T12:15:00Z"});
  // Lists, ranges, steps and names: 09:00 and 09:30 on weekdays.
  REQUIRE(runs(parse("cron(0/30 9 ? * MON-FRI *)"), "2027-03-26T09:10:00Z", 3) ==
          Runs{"2027-03-26T09:30:00Z", "2027-03-29T09:00:00Z", "2027-03-29T09:30:00Z"});
  // A run exactly at `from` counts.
  REQUIRE(runs(parse("cron(0 10 * * ? *)"), "2027-01-04T10:00:00Z", 1) ==
          Runs{"2027-01-04T10:00:00Z"});
  REQUIRE(runs(parse("cron(0 0 1 1 ? 2030)"), "2027-01-01", 2) == Runs{"2030-01-01T00:00:00Z"});
}

TEST_CASE("cron's a/1 runs at every value from a, as */1 does", "[schedule]") {
  // EventBridge: "/ specifies increments … 1/10 … every tenth minute, starting from the first".
  REQUIRE(runs(parse("cron(0/1 * * * ? *)"), "2027-03-22T10:00:30Z", 2) ==
          Runs{"2027-03-22T10:01:00Z", "2027-03-22T10:02:00Z"});
  REQUIRE(runs(parse("cron(0 0/1 * * ? *)"), "2027-03-22T10:30:00Z", 2) ==
          Runs{"2027-03-22T11:00:00Z", "2027-03-22T12:00:00Z"});
  REQUIRE(runs(parse("cron(0 0 1/1 * ? *)"), "2027-03-22T10:30:00Z", 2) ==
          Runs{"2027-03-23T00:00:00Z", "2027-03-24T00:00:00Z"});
  REQUIRE(runs(parse("cron(0 0 ? * 1/1 *)"), "2027-03-22T10:30:00Z", 2) ==
          Runs{"2027-03-23T00:00:00Z", "2027-03-24T00:00:00Z"});
  REQUIRE(runs(parse("cron(0 0 ? * 3/2 *)"), "2027-03-22T10:30:00Z", 2) ==  // Tue, Thu, Sat
          Runs{"2027-03-23T00:00:00Z", "2027-03-25T00:00:00Z"});
}

TEST_CASE("cron's last day of the month follows month ends and leap years", "[schedule]") {
  REQUIRE(runs(parse("cron(0 0 L * ? *)"), "2027-01-15", 4) ==
          Runs{"2027-01-31T00:00:00Z", "2027-02-28T00:00:00Z", "2027-03-31T00:00:00Z",
               "2027-04-30T00:00:00Z"});
  REQUIRE(runs(parse("cron(0 0 L 2 ? *)"), "2027-03-01", 2) ==
          Runs{"2028-02-29T00:00:00Z", "2029-02-28T00:00:00Z"});
  // The 29th of February: leap years only.
  REQUIRE(runs(parse("cron(0 12 29 2 ? *)"), "2027-01-01", 2) ==
          Runs{"2028-02-29T12:00:00Z", "2032-02-29T12:00:00Z"});
  // The 31st: months that have one.
  REQUIRE(runs(parse("cron(0 0 31 * ? *)"), "2027-04-01", 2) ==
          Runs{"2027-05-31T00:00:00Z", "2027-07-31T00:00:00Z"});
}

TEST_CASE("cron's W, L and # pick weekdays as AWS describes", "[schedule]") {
  // 15W: 2027-05-15 is a Saturday -> Friday 14th; 2027-08-15 a Sunday -> Monday 16th.
  REQUIRE(runs(parse("cron(0 9 15W 5,8 ? *)"), "2027-01-01", 2) ==
          Runs{"2027-05-14T09:00:00Z", "2027-08-16T09:00:00Z"});
  // 1W: 2027-05-01 is a Saturday; the nearest weekday within May is Monday 3rd.
  REQUIRE(runs(parse("cron(0 9 1W 5 ? *)"), "2027-01-01", 1) == Runs{"2027-05-03T09:00:00Z"});
  // LW: the last weekday; 2027-07-31 is a Saturday -> Friday 30th.
  REQUIRE(runs(parse("cron(0 9 LW 7 ? *)"), "2027-01-01", 1) == Runs{"2027-07-30T09:00:00Z"});
  // 3#2: the second Tuesday (1 = Sunday); March 2027 starts on a Monday.
  REQUIRE(runs(parse("cron(0 10 ? 3 3#2 *)"), "2027-01-01", 1) == Runs{"2027-03-09T10:00:00Z"});
  // 6L: the last Friday of March 2027 is the 26th.
  REQUIRE(runs(parse("cron(0 10 ? 3 6L *)"), "2027-01-01", 1) == Runs{"2027-03-26T10:00:00Z"});
  // L in Day-of-week: Saturday, the last day of the week.
  REQUIRE(runs(parse("cron(0 10 ? * L *)"), "2027-01-04", 1) == Runs{"2027-01-09T10:00:00Z"});
}

TEST_CASE("cron in a time zone follows its daylight-saving changes", "[schedule]") {
  // America/New_York: clocks go forward on 2027-03-14 at 02:00 and back on 2027-11-07 at 02:00.
  // 02:30 does not exist on the 14th: the action runs when the clocks jump (07:00Z).
  REQUIRE(runs(parse("cron(30 2 * * ? *)", "America/New_York"), "2027-03-13", 3) ==
          Runs{"2027-03-13T07:30:00Z", "2027-03-14T07:00:00Z", "2027-03-15T06:30:00Z"});
  // 01:30 happens twice on 2027-11-07: the action runs once, at the first (EDT, 05:30Z).
  REQUIRE(runs(parse("cron(30 1 * * ? *)", "America/New_York"), "2027-11-07", 2) ==
          Runs{"2027-11-07T05:30:00Z", "2027-11-08T06:30:00Z"});
}

TEST_CASE("rate and at expressions", "[schedule]") {
  // rate counts from the scenario start (2027-01-01 here).
  REQUIRE(runs(parse("rate(5 minutes)"), "2027-01-01", 2) ==
          Runs{"2027-01-01T00:05:00Z", "2027-01-01T00:10:00Z"});
  REQUIRE(runs(parse("rate(1 day)"), "2027-01-02T00:00:01Z", 1) == Runs{"2027-01-03T00:00:00Z"});
  REQUIRE(runs(parse("at(2027-03-25T10:00:00)", "America/New_York"), "2027-01-01", 2) ==
          Runs{"2027-03-25T14:00:00Z"});
  REQUIRE(runs(parse("at(2027-03-25T10:00:00)"), "2027-03-26", 1).empty());
}

TEST_CASE("bad expressions say what AWS accepts, and where", "[schedule]") {
  const auto error = [](const char* text, const char* zone = "") {
    std::string e;
    size_t column = 0;
    REQUIRE_FALSE(ScheduleExpression::parse(text, zone, UtcTime{}, e, column).has_value());
    return std::pair{e, column};
  };
  REQUIRE_THAT(error("cron(15 12 * * ?)").first, Catch::Contains("cron needs 6 fields, not 5"));
  REQUIRE_THAT(error("cron(15 12 * * * *)").first,
               Catch::Contains("one of Day-of-month and Day-of-week must be '?'"));
  REQUIRE(error("cron(15 12 32 * ? *)").second == 11);  // the Day-of-month field
  REQUIRE_THAT(error("cron(15 12 32 * ? *)").first, Catch::Contains("32 is outside 1-31"));
  REQUIRE_THAT(error("cron(0 0 ? * FUN *)").first,
               Catch::Contains("'FUN' is not a number or a name"));
  REQUIRE_THAT(error("cron(0 0 ? * 2#6 *)").first, Catch::Contains("'#' takes the week"));
  REQUIRE_THAT(error("cron(0 5-2 * * ? *)").first, Catch::Contains("must go from low to high"));
  REQUIRE_THAT(error("rate(1 minutes)").first, Catch::Contains("singular for 1"));
  REQUIRE_THAT(error("rate(5 minute)").first, Catch::Contains("plural otherwise"));
  REQUIRE_THAT(error("at(2027-03-25 10:00)").first, Catch::Contains("at(yyyy-mm-ddThh:mm:ss)"));
  REQUIRE_THAT(error("at(2027-03-25 10:00:00)").first, Catch::Contains("at(yyyy-mm-ddThh:mm:ss)"));
  REQUIRE_THAT(error("cron(-0 9 * * ? *)").first, Catch::Contains("'-0' is not a number"));
  REQUIRE_THAT(error("cron(+5 9 * * ? *)").first, Catch::Contains("'+5' is not a number"));
  // A period whose nanoseconds would overflow the clock is refused, not wrapped.
  REQUIRE_THAT(error("rate(106752 days)").first, Catch::Contains("longer than slsim's limit"));
  std::string e;
  size_t column = 0;
  REQUIRE(ScheduleExpression::parse("rate(3652 days)", "", UtcTime{}, e, column).has_value());
  REQUIRE_THAT(error("every day").first, Catch::Contains("cron(...), rate(...) or at(...)"));
  REQUIRE_THAT(error("cron(0 9 * * ? *)", "Mars/Olympus").first,
               Catch::Contains("unknown time zone 'Mars/Olympus'"));
}
