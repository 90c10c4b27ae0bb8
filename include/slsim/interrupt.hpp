// Stopping a run on SIGINT (Ctrl-C) or SIGTERM without leaving anything behind. A signal handler
// may only set a flag: the simulation polls it (RunOptions::stop) and returns early, and the
// command then removes its temporaries and exits with 128 + the signal's number.
//
// The flag is process-wide because a signal is: this is the one global in slsim, and it is
// only ever set by the handler and read through the pointer handed to the run.
#pragma once

#include <atomic>
#include <string>

namespace slsim {

class InterruptGuard {
 public:
  // Installs the handlers for SIGINT and SIGTERM. Each handler acts once (SA_RESETHAND): a
  // second Ctrl-C kills the process at once, and the next run removes what it left (OutputDir).
  InterruptGuard();
  // Restores the handlers that were there before.
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

  // Turns true when SIGINT or SIGTERM arrives; lock-free, so safe to set in a handler.
  const std::atomic<bool>* flag() const;
  bool interrupted() const { return signal() != 0; }
  // The signal that arrived (SIGINT, SIGTERM), or 0.
  int signal() const;
  // "SIGINT" or "SIGTERM".
  const char* signal_name() const;
  // 128 + the signal's number: 130 for SIGINT, 143 for SIGTERM (exit_codes.hpp).
  int exit_code() const;
};

// Says on stderr that `command` ("slsim run") was interrupted while `while_doing`, and that
// folder `out` (if any) was left as it was; returns the exit status (128 + the signal).
int report_interrupt(const InterruptGuard& interrupt, const char* command, const char* while_doing,
                     const std::string& out);

}  // namespace slsim
