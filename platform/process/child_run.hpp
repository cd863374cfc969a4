#pragma once
// A child `tickpath run`, for the commands that run the appliance more than once (run --repeat,
// sweep): the EAL cannot be initialised twice in one process, so each run is a fresh process of
// this same binary (/proc/self/exe).
//
// Signals: the child gets its own process group, so a Ctrl-C at the terminal reaches only this
// parent, which forwards it exactly once: the child then stops cleanly (drains, writes its
// summary) instead of receiving it twice (its second-signal rule would exit at once). A second
// Ctrl-C is forwarded too: the operator does not want to wait. The child dies with us
// (PR_SET_PDEATHSIG) if this process is killed outright.
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace tickpath::platform {

struct ChildRun {
  int exit_code = -1;      // the child's exit code; 128 + N when it died of signal N
  std::string report_dir;  // from its last "report: <dir>" line; empty when it printed none
  std::string output;      // its stdout and stderr, interleaved as written
};

// Runs `/proc/self/exe <args...>` to completion; `on_line` sees each output line as it comes.
// Blocking. An error starting the child is returned as exit_code -1 with the reason in output.
[[nodiscard]] ChildRun run_child(const std::vector<std::string>& args,
                                 const std::function<void(std::string_view line)>& on_line);

// SIGINT/SIGTERM handling for the parent: installed for the parent's whole loop, so a signal
// between two children is seen too (the loop then starts no further child).
class ChildSignals {
 public:
  static void install() noexcept;
  static void uninstall() noexcept;
  // The first SIGINT/SIGTERM received since install(), 0 when none.
  [[nodiscard]] static int received() noexcept;
};

}  // namespace tickpath::platform
