// Strong simulated-time types: int64 nanoseconds, after ns-3's nstime.h.
//
// `Time` is a point on the simulated clock (0 = scenario start); `Duration` is a span.
// Only meaningful arithmetic compiles: Time + Duration -> Time, Time - Time -> Duration,
// Time + Time does not. Doubles appear only at the edges (sampling, reporting).
#pragma once

#include <cmath>
#include <compare>
#include <cstdint>
#include <limits>

namespace slsim {

class Duration {
 public:
  constexpr Duration() = default;
  static constexpr Duration nanoseconds(int64_t ns) { return Duration(ns); }
  static constexpr Duration microseconds(int64_t us) { return Duration(us * 1000); }
  static constexpr Duration milliseconds(int64_t ms) { return Duration(ms * 1000000); }
  static constexpr Duration seconds(int64_t s) { return Duration(s * 1000000000); }
  static constexpr Duration minutes(int64_t m) { return seconds(m * 60); }
  static constexpr Duration hours(int64_t h) { return seconds(h * 3600); }
  // Rounds to the nearest nanosecond, halves away from zero (as llround, without its libm
  // call on the per-event path). Saturates: a value beyond ±292 years (a heavy-tailed draw, an
  // infinity) becomes max() or -max(), never a wrapped time; NaN becomes 0. This is the one place
  // where sampled seconds become simulated time.
  static Duration from_seconds(double s) {
    const double ns = s * 1e9;
    if (!(ns < kMaxNs)) return ns >= kMaxNs ? max() : Duration();  // +inf, huge, or NaN
    if (!(ns > -kMaxNs)) return Duration(-std::numeric_limits<int64_t>::max());
    return Duration(static_cast<int64_t>(ns >= 0.0 ? ns + 0.5 : ns - 0.5));
  }
  static constexpr Duration max() { return Duration(std::numeric_limits<int64_t>::max()); }

  constexpr int64_t ns() const { return ns_; }
  constexpr double seconds_f() const { return static_cast<double>(ns_) * 1e-9; }

  constexpr Duration operator+(Duration o) const { return Duration(ns_ + o.ns_); }
  constexpr Duration operator-(Duration o) const { return Duration(ns_ - o.ns_); }
  constexpr Duration& operator+=(Duration o) {
    ns_ += o.ns_;
    return *this;
  }
  constexpr Duration& operator-=(Duration o) {
    ns_ -= o.ns_;
    return *this;
  }
  constexpr Duration operator*(int64_t k) const { return Duration(ns_ * k); }
  constexpr int64_t operator/(Duration o) const { return ns_ / o.ns_; }
  constexpr auto operator<=>(const Duration&) const = default;

 private:
  // 2^63 ns as a double: the first value that does not fit in int64.
  static constexpr double kMaxNs = 9223372036854775808.0;
  constexpr explicit Duration(int64_t ns) : ns_(ns) {}
  int64_t ns_ = 0;
};

class Time {
 public:
  constexpr Time() = default;
  static constexpr Time zero() { return Time(); }
  static constexpr Time at(Duration since_start) { return Time(since_start.ns()); }
  static constexpr Time max() { return Time(std::numeric_limits<int64_t>::max()); }

  constexpr int64_t ns() const { return ns_; }
  constexpr double seconds_f() const { return static_cast<double>(ns_) * 1e-9; }
  constexpr Duration since_start() const { return Duration::nanoseconds(ns_); }

  constexpr Time operator+(Duration d) const { return Time(ns_ + d.ns()); }
  // Time + d, or Time::max() when that would pass the end of the clock (≈ 292 years).
  // REQUIRES: d >= 0.
  constexpr Time plus_saturated(Duration d) const {
    return d.ns() > std::numeric_limits<int64_t>::max() - ns_ ? max() : Time(ns_ + d.ns());
  }
  constexpr Time operator-(Duration d) const { return Time(ns_ - d.ns()); }
  constexpr Duration operator-(Time o) const { return Duration::nanoseconds(ns_ - o.ns_); }
  constexpr Time& operator+=(Duration d) {
    ns_ += d.ns();
    return *this;
  }
  constexpr auto operator<=>(const Time&) const = default;

 private:
  constexpr explicit Time(int64_t ns) : ns_(ns) {}
  int64_t ns_ = 0;
};

constexpr Duration operator*(int64_t k, Duration d) { return d * k; }

}  // namespace slsim
