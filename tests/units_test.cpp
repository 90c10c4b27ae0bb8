#include "slsim/units.hpp"

#include <catch2/catch.hpp>

using namespace slsim;

TEST_CASE("quantities with units parse to base units", "[units]") {
  REQUIRE(parse_quantity("250ms", UnitKind::kDuration).value == Approx(0.25));
  REQUIRE(parse_quantity("10min", UnitKind::kDuration).value == Approx(600));
  REQUIRE(parse_quantity("1.5 h", UnitKind::kDuration).value == Approx(5400));
  REQUIRE(parse_quantity("1.5GB", UnitKind::kSize).value == Approx(1.5 * 1024 * 1024 * 1024));
  REQUIRE(parse_quantity("4MB", UnitKind::kSize).value == Approx(4 * 1024 * 1024));
  REQUIRE(parse_quantity("100MB/s", UnitKind::kBandwidth).value == Approx(100 * 1024 * 1024));
  REQUIRE(parse_quantity("20/s", UnitKind::kRate).value == Approx(20));
  REQUIRE(parse_quantity("120/min", UnitKind::kRate).value == Approx(2));
  REQUIRE(parse_quantity("1e-3s", UnitKind::kDuration).value == Approx(0.001));
}

TEST_CASE("a missing, unknown or misplaced unit is an error that says what to write", "[units]") {
  const Quantity bare = parse_quantity("60", UnitKind::kDuration);
  REQUIRE_FALSE(bare.ok());
  REQUIRE_THAT(bare.error, Catch::Contains("has no unit") && Catch::Contains("250ms"));
  REQUIRE_THAT(parse_quantity("5 parsecs", UnitKind::kDuration).error,
               Catch::Contains("unknown unit 'parsecs'"));
  REQUIRE_FALSE(parse_quantity("20/s", UnitKind::kDuration).ok());
  REQUIRE_FALSE(parse_quantity("-1s", UnitKind::kDuration).ok());
  REQUIRE_FALSE(parse_quantity("abc", UnitKind::kSize).ok());
  REQUIRE_FALSE(parse_quantity("3s", UnitKind::kPlain).ok());
}

TEST_CASE("money is shown with three significant digits and no exponent", "[units]") {
  REQUIRE(format_money(0.1426) == "$0.143");
  REQUIRE(format_money(1.569e-05) == "$0.0000157");
  REQUIRE(format_money(-0.5) == "-$0.500");
  REQUIRE(format_money(4.034) == "$4.03");
  REQUIRE(format_money(62.0) == "$62.00");
  REQUIRE(format_money(1234.6) == "$1,235");
  REQUIRE(format_money(1234567.0) == "$1,234,567");
  REQUIRE(format_money(0.0) == "$0");
}
