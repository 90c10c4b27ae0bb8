// Common random numbers (DESIGN.md §3): everything intrinsic to a request is drawn at arrival
// from its source's streams, so configurations of one scenario see the same requests.
#include <catch2/catch.hpp>
#include <map>

#include "test_support.hpp"

using namespace slsim;
using namespace slsim::testing;

namespace {

// (arrival ns, demand) of every request of one run, keyed by arrival time.
std::map<int64_t, double> demands(const Scenario& s) {
  MemoryRecorder memory;
  Simulation(s, 0, Recorders{nullptr, nullptr, &memory}).run();
  std::map<int64_t, double> out;
  for (const RequestRecord& r : memory.requests) out[r.arrival.ns()] = r.demand_s;
  return out;
}

}  // namespace

TEST_CASE("changing max_concurrency from 20 to 2 keeps every request and its inference demand",
          "[crn]") {
  Scenario wide = one_endpoint(Duration::hours(1), 5.0, Distribution::exponential(1.0), 20);
  wide.platform = PlatformConfig{};  // real cold starts and overheads
  Scenario narrow = wide;
  narrow.endpoints[0].max_concurrency = 2;
  const auto a = demands(wide), b = demands(narrow);
  REQUIRE(a.size() > 15000);
  REQUIRE(a == b);  // same arrival instants, same demand for each
  // The outcomes do differ: the narrow endpoint throttles.
  REQUIRE(Simulation(narrow, 0).run().endpoints[0].outcome(Outcome::kThrottled) > 1000);
}

TEST_CASE("memory, provisioned concurrency and idle timeout leave the requests unchanged",
          "[crn]") {
  Scenario base = one_endpoint(Duration::minutes(30), 3.0, Distribution::exponential(0.2), 20);
  base.platform = PlatformConfig{};
  const auto reference = demands(base);
  Scenario other = base;
  other.endpoints[0].memory_mb = 1024;
  other.endpoints[0].provisioned_concurrency = 3;
  other.endpoints[0].idle_timeout = Duration::seconds(10);
  REQUIRE(demands(other) == reference);
}

TEST_CASE("adding a traffic profile of another type leaves the others' requests unchanged",
          "[crn]") {
  Scenario one = one_endpoint(Duration::minutes(30), 2.0, Distribution::exponential(0.1), 50);
  Scenario two = one;
  TrafficConfig bursts;
  bursts.kind = TrafficKind::kBursts;
  bursts.rate = 5.0;
  bursts.on_duration = Distribution::exponential(30.0);
  bursts.off_duration = Distribution::exponential(120.0);
  // Inserted before the Poisson profile: its position among all profiles changes, its
  // position among Poisson profiles does not.
  two.endpoints[0].traffic.insert(two.endpoints[0].traffic.begin(), bursts);
  MemoryRecorder a, b;
  Simulation(one, 0, Recorders{nullptr, nullptr, &a}).run();
  Simulation(two, 0, Recorders{nullptr, nullptr, &b}).run();
  std::map<int64_t, double> poisson_a, poisson_b;
  for (const RequestRecord& r : a.requests) poisson_a[r.arrival.ns()] = r.demand_s;
  for (const RequestRecord& r : b.requests)
    if (r.source == 1) poisson_b[r.arrival.ns()] = r.demand_s;
  REQUIRE(poisson_a.size() > 3000);
  REQUIRE(poisson_a == poisson_b);
}

TEST_CASE("seed and replication are combined without aliasing", "[crn][random]") {
  // An XOR of seed and a multiple of the replication made (1, 1) equal (15111065706836454658, 0).
  RandomStream a(1, 1, "x"), b(15111065706836454658ULL, 0, "x");
  RandomStream c(1, 0, "x"), d(0, 1, "x");
  const uint64_t first_a = a.next_u64(), first_c = c.next_u64();
  REQUIRE(first_a != b.next_u64());
  REQUIRE(first_c != d.next_u64());
}
