#include "runtime/shutdown.hpp"

#include <csignal>
#include <sys/types.h>
#include <unistd.h>

#include <fmt/format.h>

namespace tickpath::runtime {
namespace {

// The only process-wide mutable state: a signal handler can reach nothing else. Both are
// lock-free atomics, so touching them from the handler is async-signal-safe.
std::atomic<bool> g_stop{false};
std::atomic<int> g_signal{0};
std::atomic<bool> g_forward{false};  // Mode::forward
std::atomic<int> g_child{0};         // forward mode: the child signals go to, 0 when none
static_assert(std::atomic<bool>::is_always_lock_free && std::atomic<int>::is_always_lock_free,
              "signal handlers may only touch lock-free atomics");

extern "C" void on_stop_signal(int sig) {
  int expected = 0;
  // relaxed is enough: the flag carries no data; readers poll it and then join threads, and the
  // join provides the ordering for everything else.
  const bool first = g_signal.compare_exchange_strong(expected, sig, std::memory_order_relaxed);
  if (g_forward.load(std::memory_order_relaxed)) {
    // The child stops (and exits at once on a second signal) by its own handler.
    const int pid = g_child.load(std::memory_order_relaxed);
    if (pid > 0) kill(pid, sig);  // async-signal-safe
    g_stop.store(true, std::memory_order_relaxed);
    return;
  }
  if (!first) _exit(kExitInterrupted);  // second signal: async-signal-safe immediate exit
  g_stop.store(true, std::memory_order_relaxed);
}

}  // namespace

bool ShutdownSignals::install(Mode mode) noexcept {
  g_forward.store(mode == Mode::forward, std::memory_order_relaxed);
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;  // a forwarding parent's read() of the child's pipe simply continues
  return sigaction(SIGINT, &sa, nullptr) == 0 && sigaction(SIGTERM, &sa, nullptr) == 0;
}

void ShutdownSignals::uninstall() noexcept {
  struct sigaction sa {};
  sa.sa_handler = SIG_DFL;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  g_stop.store(false, std::memory_order_relaxed);
  g_signal.store(0, std::memory_order_relaxed);
  g_forward.store(false, std::memory_order_relaxed);
  g_child.store(0, std::memory_order_relaxed);
}

void ShutdownSignals::forward_to(int pid) noexcept {
  // A signal from here on is forwarded by the handler; one that arrived before this store is
  // forwarded now (a signal between the two may reach the child twice: the second-signal rule
  // then ends it at once, as a second Ctrl-C would).
  g_child.store(pid, std::memory_order_relaxed);
  if (const int sig = g_signal.load(std::memory_order_relaxed); pid > 0 && sig != 0) kill(pid, sig);
}

bool ShutdownSignals::stop_requested() noexcept { return g_stop.load(std::memory_order_relaxed); }
void ShutdownSignals::request_stop() noexcept { g_stop.store(true, std::memory_order_relaxed); }
int ShutdownSignals::signal_number() noexcept { return g_signal.load(std::memory_order_relaxed); }
const std::atomic<bool>& ShutdownSignals::flag() noexcept { return g_stop; }

std::string signal_name(int sig) {
  if (sig == SIGINT) return "SIGINT";
  if (sig == SIGTERM) return "SIGTERM";
  return sig == 0 ? "" : fmt::format("signal {}", sig);
}

}  // namespace tickpath::runtime
