// The calendar that anchors simulated time (calendar.hpp).
#include "slsim/calendar.hpp"

#include <catch2/catch.hpp>

using namespace slsim;

namespace {
UtcTime parse(const char* text) {
  std::string error;
  const auto t = parse_utc(text, error);
  INFO(text << ": " << error);
  REQUIRE(t.has_value());
  return *t;
}
}  // namespace

TEST_CASE("UTC date-times parse to Unix time and format back", "[calendar]") {
  // 2027-01-04 is day 20822 since 1970-01-01: 20822 * 86400 = 1'799'020'800 s.
  REQUIRE(parse("2027-01-04T00:00:00Z").unix_ns == 1'799'020'800'000'000'000LL);
  REQUIRE(parse("2027-01-04").unix_ns == kDefaultStart.unix_ns);
  REQUIRE(parse("1970-01-01T00:00:01Z").unix_ns == 1'000'000'000LL);
  REQUIRE(parse("2028-02-29T23:59:59.5Z").unix_ns - parse("2028-02-29").unix_ns ==
          86'399'500'000'000LL);
  REQUIRE(format_utc(parse("2027-03-22T10:00:00+00:00")) == "2027-03-22T10:00:00Z");
  REQUIRE(format_utc(parse("2028-02-29T23:59:59.25Z")) == "2028-02-29T23:59:59.25Z");
  REQUIRE(format_utc(at_simulated(kDefaultStart, Time::at(Duration::minutes(61)))) ==
          "2027-01-04T01:01:00Z");
}

TEST_CASE("impossible or ambiguous date-times are rejected with the form to write", "[calendar]") {
  for (const char* bad : {"2027-02-29", "2027-13-01", "2027-01-04T24:00:00Z", "2027-01-04T10:00:00",
                          "2027-01-04T10:00:00+01:00", "27-01-04", "1969-12-31", "2300-01-01",
                          "2027-01-04T10:00Z", "2027-01-04T10:00:00.Z", ""}) {
    std::string error;
    INFO(bad);
    REQUIRE_FALSE(parse_utc(bad, error).has_value());
    REQUIRE_THAT(error, Catch::Contains("2027-03-22T10:00:00Z"));
  }
}
