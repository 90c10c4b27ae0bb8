// The engine's clock, tie order and periodic tick (engine.hpp).
#include "slsim/engine.hpp"

#include <catch2/catch.hpp>

using namespace slsim;

TEST_CASE("the tick runs before every other event at its time, so periods are half-open",
          "[engine]") {
  Engine engine(Duration::seconds(60));
  const Time sixty = Time::at(Duration::seconds(60));
  engine.schedule(sixty, EventKind::kArrival, 7);  // scheduled first, still after the tick
  engine.schedule(Time::at(Duration::seconds(30)), EventKind::kArrival, 3);
  Event e;
  REQUIRE(engine.next(Time::max(), e));
  REQUIRE((e.kind == EventKind::kArrival && e.target == 3 && e.at.ns() == 30'000'000'000));
  REQUIRE(engine.next(Time::max(), e));
  REQUIRE((e.kind == EventKind::kTick && e.at == sixty));
  REQUIRE(engine.next(Time::max(), e));
  REQUIRE((e.kind == EventKind::kArrival && e.target == 7 && e.at == sixty));
  REQUIRE(engine.now() == sixty);
}

TEST_CASE("events at equal times run in the order they were scheduled", "[engine]") {
  Engine engine(Duration::hours(1));
  const Time t = Time::at(Duration::seconds(5));
  for (uint32_t k = 0; k < 5; ++k) engine.schedule(t, EventKind::kRequestDone, k);
  Event e;
  for (uint32_t k = 0; k < 5; ++k) {
    REQUIRE(engine.next(Time::max(), e));
    REQUIRE(e.target == k);
  }
}

TEST_CASE("next(until) leaves events and ticks at exactly until pending", "[engine]") {
  Engine engine(Duration::seconds(10));
  const Time ten = Time::at(Duration::seconds(10));
  engine.schedule(ten, EventKind::kArrival, 1);
  Event e;
  REQUIRE_FALSE(engine.next(ten, e));
  REQUIRE(engine.now() == Time::zero());
  engine.advance_to(ten);
  REQUIRE(engine.now() == ten);
  REQUIRE(engine.next(ten + Duration::nanoseconds(1), e));
  REQUIRE(e.kind == EventKind::kTick);
  REQUIRE(engine.next(ten + Duration::nanoseconds(1), e));
  REQUIRE(e.kind == EventKind::kArrival);
  REQUIRE_FALSE(engine.next(ten + Duration::nanoseconds(1), e));
}
