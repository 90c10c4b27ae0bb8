// Wall-clock anchoring of simulated time (DESIGN.md §4): a scenario's `start:` is a UTC instant,
// and simulated Time 0 is that instant. Cron schedules, traces and the timestamps in metrics.csv
// are read and written through it. Civil-date arithmetic uses C++20 <chrono> calendar types
// (Howard Hinnant's algorithms, as standardised), never hand-written month tables.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "slsim/time.hpp"

namespace slsim {

// A UTC instant, in nanoseconds since 1970-01-01T00:00:00Z.
struct UtcTime {
  int64_t unix_ns = 0;
  constexpr auto operator<=>(const UtcTime&) const = default;
};

// Default scenario start: Monday 2027-01-04T00:00:00Z. A Monday at midnight, so that hours of
// the day and of the week in outputs line up with simulated time when a scenario sets none.
inline constexpr UtcTime kDefaultStart{1'799'020'800LL * 1'000'000'000LL};

// Parses an ISO-8601 UTC date-time: `2027-03-22T10:00:00Z`, with optional fractional seconds
// (`...:00.250Z`), a `+00:00` offset instead of `Z`, or a date alone (`2027-03-22` = midnight).
// Returns nullopt and sets `error` (what is wrong and the form to write) otherwise. Years
// 1970–2262 only (the int64-nanosecond range).
std::optional<UtcTime> parse_utc(std::string_view text, std::string& error);

// `2027-03-22T10:00:00Z`; fractional seconds only when the instant has them (`...:00.25Z`).
std::string format_utc(UtcTime t);

// The wall-clock instant of simulated time `t` for a scenario starting at `start`.
constexpr UtcTime at_simulated(UtcTime start, Time t) { return UtcTime{start.unix_ns + t.ns()}; }

}  // namespace slsim
