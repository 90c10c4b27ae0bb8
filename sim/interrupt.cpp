#include "slsim/interrupt.hpp"

#include <fmt/format.h>
#include <signal.h>

#include "slsim/exit_codes.hpp"

namespace slsim {
namespace {

static_assert(std::atomic<bool>::is_always_lock_free, "the flag is set in a signal handler");

std::atomic<bool> g_stop{false};
volatile sig_atomic_t g_signal = 0;
struct sigaction g_previous_int, g_previous_term;

extern "C" void on_signal(int number) {
  g_signal = number;
  g_stop.store(true, std::memory_order_relaxed);
}

}  // namespace

InterruptGuard::InterruptGuard() {
  g_stop.store(false);
  g_signal = 0;
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESETHAND;  // the second signal takes its default action
  sigaction(SIGINT, &action, &g_previous_int);
  sigaction(SIGTERM, &action, &g_previous_term);
}

InterruptGuard::~InterruptGuard() {
  sigaction(SIGINT, &g_previous_int, nullptr);
  sigaction(SIGTERM, &g_previous_term, nullptr);
}

const std::atomic<bool>* InterruptGuard::flag() const { return &g_stop; }

int InterruptGuard::signal() const { return g_signal; }

const char* InterruptGuard::signal_name() const {
  return g_signal == SIGINT ? "SIGINT" : g_signal == SIGTERM ? "SIGTERM" : "a signal";
}

int InterruptGuard::exit_code() const { return kExitSignalBase + g_signal; }

int report_interrupt(const InterruptGuard& interrupt, const char* command, const char* while_doing,
                     const std::string& out) {
  fmt::print(stderr, "{}: interrupted by {} while {}; {}\n", command, interrupt.signal_name(),
             while_doing,
             out.empty() ? "nothing was written"
                         : fmt::format("'{}' was left as it was, nothing was written", out));
  return interrupt.exit_code();
}

}  // namespace slsim
