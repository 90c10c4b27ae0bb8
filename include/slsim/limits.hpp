// The limits of what slsim can represent, enforced when input is read so that the simulation
// never meets a value it cannot hold. Time is int64 nanoseconds (time.hpp): ±9.22e18 ns, about
// 292 years. A request's latency adds up to eight durations (overhead, six cold-start phases,
// inference) on top of a point in the scenario, so each single duration must stay far below
// the clock's range for every such sum to fit: 10 years each leaves a margin of more than 3x.
// Values beyond a limit are rejected with the limit in the message, never clamped.
#pragma once

#include <cstdint>
#include <string>

#include "slsim/units.hpp"

namespace slsim {

class Distribution;

// Any duration a scenario gives (a constant, a distribution's parameter, a quantile, a CSV
// sample, a scenario's length). 10 Julian years.
inline constexpr double kMaxDurationSeconds = 10 * 365.25 * 86400;  // 3.156e8 s
// Any size (image, artifact, payload, memory): 1 PB, far above SageMaker's 10 GB image limit.
inline constexpr double kMaxSizeBytes = 1024.0 * 1024 * 1024 * 1024 * 1024;
// A rate whose mean gap is below the 1 ns clock cannot be simulated: gaps would round to 0.
// A positive rate's mean gap is a duration too, so it is at most 10 years (at least 3.2e-9/s).
inline constexpr double kMaxRatePerSecond = 1e9;
// A distribution is accepted only if its draws stay within the limits except with this
// probability (its 1 - 1e-12 quantile): a lognormal whose p99 is 1000 days would reach 1e25 s.
inline constexpr double kTailProbability = 1e-12;
// Requests one run may be estimated to simulate (all replications): about 7 hours at slsim's
// 4 M requests/s (README, Speed). More cannot finish in reasonable time and is rejected with
// the estimate; 1e9 requests, a big but sensible run, is well inside.
inline constexpr double kMaxEstimatedRequests = 1e11;
// A calendar instant (calendar.hpp) is int64 ns since 1970, so at most 2262-04-11. A scenario's
// start plus its duration, plus this much for requests in flight to finish (8 durations of at
// most 10 years each: overhead, six cold-start phases, inference), must stay below that.
inline constexpr double kCalendarMarginSeconds = 8 * kMaxDurationSeconds;
// What one run holds in memory grows with these (containers are reserved per max_concurrency,
// closed-loop clients each keep an event): far above any SageMaker account's quotas.
inline constexpr int kMaxEndpoints = 10000;
inline constexpr int kMaxTrafficProfiles = 100000;         // all endpoints together
inline constexpr int64_t kMaxClosedLoopClients = 1000000;  // all profiles together

// "" if `value` (in base units of `kind`) is within the limits above, else what is wrong, e.g.
// "3.2e9 s is longer than slsim's limit of 10 years (3.156e8 s)".
std::string limit_problem(double value, UnitKind kind);

// The value that `d`'s draws exceed only with probability kTailProbability; its largest value
// for bounded kinds; +infinity when that cannot be computed (parameters out of any range).
double tail_value(const Distribution& d);

// "" if every draw of `d` times `scale` (a CPU slowdown, 1 if none) is within the limits for
// `kind`, up to kTailProbability; else what is wrong and what to change.
std::string distribution_limit_problem(const Distribution& d, UnitKind kind, double scale = 1.0);

}  // namespace slsim
