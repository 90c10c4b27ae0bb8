// The exit status of every slsim command: one scheme, documented in README.md ("Exit status").
#pragma once

namespace slsim {

inline constexpr int kExitOk = 0;
// Bad input (a scenario, pricing, calibration or CSV file, an --out folder that cannot be used)
// or a run that failed (a result file could not be written). Nothing was written.
inline constexpr int kExitInputError = 1;
// The command line itself is wrong: an unknown option, a missing or malformed argument.
inline constexpr int kExitUsage = 2;
// A bug in slsim (an uncaught exception): the message asks for a report. No input is known to
// lead here; the fuzz targets (tests/fuzz/) look for one.
inline constexpr int kExitInternalError = 70;  // EX_SOFTWARE, sysexits.h
// Interrupted by a signal: 128 + its number, as shells report it (130 SIGINT, 143 SIGTERM).
inline constexpr int kExitSignalBase = 128;

}  // namespace slsim
