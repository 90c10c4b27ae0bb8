// Invariant checks that stay on in release builds (STYLE.md): a violated invariant is a bug in
// slsim, never a user error, so it aborts loudly with the place and the condition.
#pragma once

#include <cstdio>
#include <cstdlib>

#define SLSIM_CHECK(condition, message)                                                     \
  do {                                                                                      \
    if (!(condition)) {                                                                     \
      std::fprintf(stderr, "slsim: internal error at %s:%d: %s (%s)\n", __FILE__, __LINE__, \
                   message, #condition);                                                    \
      std::abort();                                                                         \
    }                                                                                       \
  } while (false)
