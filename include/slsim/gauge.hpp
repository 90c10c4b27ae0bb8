// A count that changes at events (containers busy, idle, starting, ...) and its exact integral
// over time, in count-nanoseconds. Integrated lazily: a change adds value × time since the last
// change, so an event costs one multiply-add per gauge it moves.
#pragma once

#include <cstdint>

#include "slsim/time.hpp"

namespace slsim {

class Gauge {
 public:
  int value() const { return value_; }

  // REQUIRES: now >= the time of the previous call.
  void add(Time now, int delta) {
    integrate(now);
    value_ += delta;
  }
  // The integral since the previous take(), up to `now`; starts the next one.
  int64_t take(Time now) {
    integrate(now);
    const int64_t area = area_;
    area_ = 0;
    return area;
  }

 private:
  void integrate(Time now) {
    area_ += static_cast<int64_t>(value_) * (now - since_).ns();
    since_ = now;
  }
  int value_ = 0;
  Time since_;
  int64_t area_ = 0;
};

}  // namespace slsim
