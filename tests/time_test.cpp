#include "slsim/time.hpp"

#include <catch2/catch.hpp>

using namespace slsim;

TEST_CASE("durations convert between units exactly", "[time]") {
  REQUIRE(Duration::minutes(10).ns() == 600'000'000'000);
  REQUIRE(Duration::milliseconds(250) + Duration::milliseconds(750) == Duration::seconds(1));
  REQUIRE(Duration::from_seconds(1.5e-9).ns() == 2);  // rounds to nearest
  REQUIRE(Time::at(Duration::seconds(5)) - Time::at(Duration::seconds(2)) == Duration::seconds(3));
}
