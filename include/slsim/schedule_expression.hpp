// When an Application Auto Scaling scheduled action runs: `cron(...)`, `rate(...)` or `at(...)`,
// as AWS writes them (Application Auto Scaling user guide, "Scheduled scaling"; the cron fields
// are EventBridge's), in an optional IANA time zone read from the system's tz database through
// Howard Hinnant's date/tz library (Debian libhowardhinnant-date-dev; the implementation C++20
// standardised). No daylight-saving rule is written here.
//
//   cron(Minutes Hours Day-of-month Month Day-of-week Year)
//     Minutes 0-59, Hours 0-23, Day-of-month 1-31, Month 1-12 or JAN-DEC, Day-of-week 1-7 or
//     SUN-SAT (1 = Sunday), Year 1970-2199. Every field takes `*`, values, ranges `a-b`, lists
//     `a,b` and steps `a/n`, `a-b/n`, `*/n`. One of Day-of-month and Day-of-week must be `?`.
//     Day-of-month also takes `L` (last day), `LW` (last weekday) and `nW` (the weekday nearest
//     day n, within the month); Day-of-week takes `L` (Saturday, the last day of the week), `nL`
//     (the last weekday n of the month) and `n#k` (the k-th weekday n of the month).
//   rate(N minute|minutes|hour|hours|day|days)   every N units from the scenario start; the unit
//     is singular for N = 1 and plural otherwise, as AWS requires.
//   at(yyyy-mm-ddThh:mm:ss)                      once.
//
// In a time zone, local times that do not exist (the hour skipped when clocks go forward) run
// at the instant the clocks jump; local times that happen twice (the hour repeated when clocks go
// back) run once, at the first.
#pragma once

#include <bitset>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "slsim/calendar.hpp"

namespace date {
class time_zone;
}

namespace slsim {

class ScheduleExpression {
 public:
  // Parses `text` in `time_zone` ("" = UTC); `rate(...)` counts from `anchor`. On error returns
  // nullopt, sets `error` (what is wrong and what AWS accepts) and `column`, the 0-based offset
  // of the problem in `text`.
  static std::optional<ScheduleExpression> parse(std::string_view text, std::string_view time_zone,
                                                 UtcTime anchor, std::string& error,
                                                 size_t& column);

  // The first run at or after `t`; nullopt when there is none (an `at` in the past, or a cron
  // whose fields never meet before the end of 2199).
  std::optional<UtcTime> first_at_or_after(UtcTime t) const;
  const std::string& text() const { return text_; }

 private:
  enum class Kind { kCron, kRate, kAt };
  // Day-of-month and day-of-week specials.
  struct DayRule {
    bool any = false;              // `*` (or, for the `?` field, unused)
    std::bitset<32> days;          // day-of-month values 1-31, or weekdays 1-7
    bool last = false;             // DOM `L`; DOW `L` is weekday 7 in `days`
    bool last_weekday = false;     // DOM `LW`
    int nearest_weekday_to = 0;    // DOM `nW`
    int last_of_weekday = 0;       // DOW `nL`
    int nth_weekday = 0, nth = 0;  // DOW `n#k`
  };

  bool day_matches(int year, unsigned month, unsigned day) const;
  std::optional<UtcTime> next_cron(UtcTime t) const;
  // The instant of local civil time `local_seconds` (since 1970 in the zone's wall clock).
  int64_t to_utc_seconds(int64_t local_seconds) const;
  int64_t to_local_seconds(int64_t utc_seconds) const;

  Kind kind_ = Kind::kAt;
  std::string text_;
  const date::time_zone* zone_ = nullptr;  // nullptr = UTC
  // cron
  std::bitset<60> minutes_;
  std::bitset<24> hours_;
  std::bitset<13> months_;
  std::bitset<230> years_;  // 1970 + i
  bool dom_question_ = false;
  DayRule dom_, dow_;
  // rate / at
  UtcTime anchor_;
  int64_t period_ns_ = 0;
  UtcTime at_;

  friend class CronParser;
};

}  // namespace slsim
