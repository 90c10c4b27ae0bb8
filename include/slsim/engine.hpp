// The engine of one simulation: the clock, the pending events and a periodic tick (SimPy's
// Environment, reduced to what slsim needs). The clock moves in exactly one place, next();
// the model and the drain after the arrivals stop both advance through it.
//
// Tie order: events at equal times run in the order they were scheduled (FIFO by sequence
// number), except the periodic tick, which runs before every other event at its time. A period
// is therefore half-open, [t, t + period): whatever happens at exactly t + period belongs to the
// next one (a request arriving at 600 s is counted in minute 10, not 9).
#pragma once

#include <cstdint>

#include "slsim/check.hpp"
#include "slsim/event_queue.hpp"
#include "slsim/time.hpp"

namespace slsim {

class Engine {
 public:
  // REQUIRES: tick_period > 0. The first tick is at one period.
  explicit Engine(Duration tick_period) : period_(tick_period), next_tick_(Time::at(period_)) {
    SLSIM_CHECK(period_.ns() > 0, "the tick period must be positive");
  }

  Time now() const { return now_; }
  // The pending events. REQUIRES: settle() since the last next().
  const EventQueue& queue() const { return queue_; }
  void reserve(size_t events) { queue_.reserve(events); }

  // REQUIRES: at >= now(). Checked in release builds too: an event in the past is a bug.
  // The first event scheduled while handling one takes that event's place in the heap (one
  // sift instead of two; the order of events is the same).
  void schedule(Time at, EventKind kind, uint32_t target, uint16_t endpoint = 0) {
    SLSIM_CHECK(at >= now_, "an event was scheduled in the past");
    if (taken_) {
      taken_ = false;
      queue_.replace_top(at, kind, target, endpoint);
    } else {
      queue_.push(at, kind, target, endpoint);
    }
  }

  // Takes the next event whose time is < `until` (the tick when it is due: see the tie order),
  // moves the clock to it and returns true; returns false, leaving the clock, when there is none.
  bool next(Time until, Event& out) {
    settle();
    const bool tick_due = next_tick_ < until && (queue_.empty() || next_tick_ <= queue_.top().at);
    if (tick_due) {
      out = Event{next_tick_, 0, static_cast<uint32_t>(ticks_++), 0, EventKind::kTick};
      next_tick_ = next_tick_.plus_saturated(period_);
    } else if (!queue_.empty() && queue_.top().at < until) {
      out = queue_.top();  // removed by the first schedule() or the next settle()
      taken_ = true;
    } else {
      return false;
    }
    SLSIM_CHECK(out.at >= now_, "the clock would move backwards");
    now_ = out.at;
    return true;
  }

  // Removes the event next() handed out, if no schedule() has taken its place.
  void settle() {
    if (taken_) {
      taken_ = false;
      queue_.pop();
    }
  }

  // Moves the clock to `t` without an event (SimPy's run(until) leaves the clock at `until`).
  // REQUIRES: no event or tick is due before `t`.
  void advance_to(Time t) {
    settle();
    SLSIM_CHECK(t >= now_ && (queue_.empty() || queue_.top().at >= t) && next_tick_ >= t,
                "the clock may only advance to a time no event is due before");
    now_ = t;
  }

  Time next_tick() const { return next_tick_; }
  Duration tick_period() const { return period_; }

 private:
  Duration period_;
  Time now_;
  Time next_tick_;
  uint64_t ticks_ = 0;
  bool taken_ = false;  // the queue's top is the event next() handed out
  EventQueue queue_;
};

}  // namespace slsim
