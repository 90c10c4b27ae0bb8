// parse_quantity for every unit kind, and format_seconds of what it returns.
#include <cmath>
#include <string_view>

#include "slsim/limits.hpp"
#include "slsim/units.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (const auto kind :
       {slsim::UnitKind::kDuration, slsim::UnitKind::kSize, slsim::UnitKind::kBandwidth,
        slsim::UnitKind::kRate, slsim::UnitKind::kPlain}) {
    const slsim::Quantity q = slsim::parse_quantity(text, kind);
    // The contract: either an error or a finite, non-negative value within the limits.
    if (q.ok() &&
        (!std::isfinite(q.value) || q.value < 0.0 || !slsim::limit_problem(q.value, kind).empty()))
      __builtin_trap();
    if (!q.ok() && q.error.empty()) __builtin_trap();
    if (q.ok()) (void)slsim::format_seconds(q.value);
  }
  return 0;
}
