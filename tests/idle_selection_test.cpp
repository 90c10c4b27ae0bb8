// Which idle on-demand container serves the next request (platform.idle_container_selection):
// the pool's orders, and what each rule does to cold starts at a short idle timeout.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "slsim/container.hpp"
#include "slsim/simulation.hpp"
#include "test_support.hpp"

using namespace slsim;
using namespace slsim::testing;
namespace fs = std::filesystem;

TEST_CASE("the idle heap hands out the newest created container, whatever the use order",
          "[idle-selection]") {
  ContainerPool pool;
  IdleHeap heap;
  std::vector<uint32_t> c;
  for (int k = 0; k < 6; ++k) c.push_back(pool.create());  // created in order c[0] … c[5]
  for (const int k : {3, 0, 5, 1, 4, 2}) pool.push_idle(heap, c[k]);  // idle in another order
  pool.remove_idle(heap, c[5]);                                       // c[5] expires
  pool.remove_idle(heap, c[1]);
  REQUIRE(pool.pop_idle(heap) == c[4]);
  REQUIRE(pool.pop_idle(heap) == c[3]);
  pool.push_idle(heap, c[4]);
  REQUIRE(pool.pop_idle(heap) == c[4]);
  REQUIRE(pool.pop_idle(heap) == c[2]);
  REQUIRE(pool.pop_idle(heap) == c[0]);
  REQUIRE(pool.pop_idle(heap) == Container::kNone);
  // A freed slot reused by a new container counts as the newest.
  pool.destroy(c[0]);
  const uint32_t fresh = pool.create();
  REQUIRE(fresh == c[0]);
  pool.push_idle(heap, c[2]);
  pool.push_idle(heap, fresh);
  REQUIRE(pool.pop_idle(heap) == fresh);
}

TEST_CASE("the idle list gives the most and the least recently used container",
          "[idle-selection]") {
  ContainerPool pool;
  IdleList list;
  const uint32_t a = pool.create(), b = pool.create(), c = pool.create();
  for (const uint32_t x : {a, b, c}) pool.push_idle(list, x);  // c used last
  REQUIRE(pool.pop_idle(list) == c);
  REQUIRE(pool.pop_idle_oldest(list) == a);
  REQUIRE(pool.pop_idle(list) == b);
  REQUIRE(pool.pop_idle_oldest(list) == Container::kNone);
}

TEST_CASE("least recently used keeps every container warm; the others let the surplus expire",
          "[idle-selection]") {
  // Two containers: A starts at 0 s and serves 10 s, B starts at 1 s and serves 2 s. Then one
  // request a minute to 900 s (0.1 s each), idle timeout 150 s, two overlapping ones at 950 s.
  // Most recently used always takes A (B expires at 153 s); newest created always takes B (A
  // expires at 160 s); least recently used alternates, so both are warm for the pair.
  const fs::path dir = fs::temp_directory_path() / ("slsim-idle-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream csv(dir / "t.csv");
  csv << "timestamp,demand\n0,10\n1,2\n";
  for (int t = 60; t <= 900; t += 60) csv << t << ",0.1\n";
  csv << "950,5\n950.5,5\n";
  csv.close();
  Scenario s = one_endpoint(Duration::seconds(1100), 1.0, Distribution::constant(0.1), 10, 0,
                            Duration::seconds(150));
  s.endpoints[0].traffic.clear();
  TraceConfig t;
  t.name = "trace 't'";
  t.stream_base = "traffic/named/t";
  t.file = (dir / "t.csv").string();
  t.columns.demand = "demand";
  t.route.all = 0;
  s.traces.push_back(t);
  const auto cold = [&](IdleContainerSelection rule) {
    s.platform.idle_container_selection = rule;
    return Simulation(s, 0).run().endpoints[0].outcome(Outcome::kCold);
  };
  REQUIRE(cold(IdleContainerSelection::kMostRecentlyUsed) == 3);
  REQUIRE(cold(IdleContainerSelection::kNewestCreated) == 3);
  REQUIRE(cold(IdleContainerSelection::kLeastRecentlyUsed) == 2);
  fs::remove_all(dir);
}

TEST_CASE("the selection rule changes cold starts at short idle timeouts, not the requests",
          "[idle-selection]") {
  // Poisson 2/s, 1 s lognormal service, 10 s idle timeout: a few containers, constantly
  // reused or expiring. Every rule sees the same requests (common random numbers).
  Scenario s = one_endpoint(Duration::hours(2), 2.0, Distribution::lognormal_mean_sd(1.0, 1.0), 50,
                            0, Duration::seconds(10));
  s.platform.scheduling = Distribution::constant(2.0);  // cold starts that overlap requests
  std::vector<int64_t> colds;
  int64_t requests = -1;
  for (const auto rule :
       {IdleContainerSelection::kMostRecentlyUsed, IdleContainerSelection::kNewestCreated,
        IdleContainerSelection::kLeastRecentlyUsed}) {
    s.platform.idle_container_selection = rule;
    const auto e = Simulation(s, 0).run().endpoints[0];
    if (requests >= 0) REQUIRE(e.requests == requests);
    requests = e.requests;
    colds.push_back(e.outcome(Outcome::kCold));
  }
  // Round robin keeps the most containers alive: the fewest cold starts.
  REQUIRE(colds[2] < colds[0]);
  REQUIRE(colds[2] < colds[1]);
  REQUIRE(colds[0] != colds[1]);
}
