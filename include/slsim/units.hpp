// Parsing of quantities with units, as scenarios write them: `250ms`, `10min`, `1.5GB`,
// `100MB/s`, `20/s`. A bare number is an error wherever a unit is meaningful, so that `timeout:
// 60` can never silently mean 60 ns or 60 minutes.
//
// Sizes are binary: 1 KB = 1024 B, 1 MB = 1024 KB, 1 GB = 1024 MB (KiB/MiB/GiB are accepted as
// synonyms). This matches how SageMaker states memory ("1 GB" = 1024 MB) and payload limits.
#pragma once

#include <string>
#include <string_view>

namespace slsim {

// Either a value in base units (seconds, bytes, bytes/s, events/s) or an error message that
// says what was expected. Never both.
struct Quantity {
  double value = 0.0;
  std::string error;
  bool ok() const { return error.empty(); }
};

enum class UnitKind { kDuration, kSize, kBandwidth, kRate, kPlain };

// Returns the value in base units: seconds, bytes, bytes per second, events per second, or the
// plain number. Rejects negative values, NaN, infinities (also those reached by the unit's
// factor, as in `1e308d`), unknown units, and values beyond slsim's limits (limits.hpp).
Quantity parse_quantity(std::string_view text, UnitKind kind);

// Human name of a unit kind and examples, for error messages: "a duration such as 250ms or 10min".
std::string describe_unit(UnitKind kind);

// Formats seconds compactly for tables: 0.000123 -> "123us", 5.9 -> "5.90s", 900 -> "15.0min",
// 10800 -> "3.0h", 172800 -> "2.0d".
std::string format_seconds(double seconds);

// Formats dollars with three significant digits and no exponent: 0.1426 -> "$0.143",
// 1.569e-05 -> "$0.0000157", 1234.5 -> "$1,235" (whole dollars from $1000 on).
std::string format_money(double dollars);

}  // namespace slsim
