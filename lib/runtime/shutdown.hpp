#pragma once
// Graceful shutdown. SIGINT/SIGTERM, installed with
// sigaction, set one atomic stop flag: ingest stops, the execution consumer drains what was
// published, the report is completed, the EAL is cleaned up, exit 0. A second signal means the
// operator will not wait: the process exits at once with 130.
//
// The same handler serves the parent of child runs (run --repeat, sweep: apps/tickpath/child_run):
// in forward mode each signal is passed on to the running child, which stops cleanly itself, and
// the parent only records it (its loop then starts no further child). One handler, one set of
// process-wide atomics: the two uses cannot disagree about what a signal did.
#include <atomic>
#include <string>

namespace tickpath::runtime {

class ShutdownSignals {
 public:
  enum class Mode {
    stop,     // first signal: stop flag; second: _exit(kExitInterrupted)
    forward,  // every signal: recorded, stop flag set, and sent on to the child set by forward_to()
  };

  // Installs the handlers (process-wide; call once from main). Returns false with errno set when
  // sigaction fails.
  static bool install(Mode mode = Mode::stop) noexcept;

  // Forward mode: the child process later signals go to (0: none). A signal received before the
  // child existed is sent to it now, so none falls between the caller's check and the fork.
  static void forward_to(int pid) noexcept;

  // Restores default dispositions (tests).
  static void uninstall() noexcept;

  // Set by the first signal, or by the run itself (duration reached).
  [[nodiscard]] static bool stop_requested() noexcept;
  static void request_stop() noexcept;

  // The signal that asked to stop, 0 when none.
  [[nodiscard]] static int signal_number() noexcept;

  // The flag itself, for loops that want one relaxed load per iteration.
  [[nodiscard]] static const std::atomic<bool>& flag() noexcept;
};

// "SIGINT" / "SIGTERM" / "signal N"; empty for 0 (no signal). How summaries and run sets name it.
[[nodiscard]] std::string signal_name(int sig);

// Exit code when a second signal cuts the drain short (128 + SIGINT, the shell's convention).
inline constexpr int kExitInterrupted = 130;

}  // namespace tickpath::runtime
