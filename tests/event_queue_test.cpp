#include "slsim/event_queue.hpp"

#include <catch2/catch.hpp>
#include <queue>
#include <random>

using namespace slsim;

TEST_CASE("the event queue pops in (time, insertion) order like a reference priority queue",
          "[event_queue]") {
  // Reference model: std::priority_queue over (time, seq), with random interleaved push/pop.
  using Key = std::pair<int64_t, uint64_t>;
  std::priority_queue<Key, std::vector<Key>, std::greater<>> reference;
  EventQueue queue;
  std::mt19937_64 rng(7);
  uint64_t seq = 0;
  int64_t now = 0;
  for (int step = 0; step < 200000; ++step) {
    if (reference.empty() || rng() % 3 != 0) {
      const int64_t at = now + static_cast<int64_t>(rng() % 50);  // many ties on purpose
      queue.push(Time::at(Duration::nanoseconds(at)), EventKind::kArrival,
                 static_cast<uint32_t>(seq));
      reference.push({at, seq++});
    } else {
      const Event e = queue.pop();
      const Key expected = reference.top();
      reference.pop();
      REQUIRE(e.at.ns() == expected.first);
      REQUIRE(e.target == expected.second);
      now = e.at.ns();
    }
  }
  REQUIRE(queue.size() == reference.size());
}

TEST_CASE("events at equal times run first-in first-out", "[event_queue]") {
  EventQueue queue;
  for (uint32_t i = 0; i < 100; ++i)
    queue.push(Time::at(Duration::seconds(1)), EventKind::kArrival, i);
  for (uint32_t i = 0; i < 100; ++i) REQUIRE(queue.pop().target == i);
  REQUIRE(queue.empty());
}
