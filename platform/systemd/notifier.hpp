#pragma once
// The service manager's side channel (sd_notify(3), libsystemd): one datagram per message to the
// socket named by $NOTIFY_SOCKET. Without NOTIFY_SOCKET (a run from a shell, a test) every call
// is a no-op, so callers never ask whether they run under systemd.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace tickpath::platform {

class SystemdNotifier {
 public:
  // Reads the environment once: NOTIFY_SOCKET, and WATCHDOG_USEC/WATCHDOG_PID (sd_watchdog_enabled).
  SystemdNotifier();

  // Whether a service manager listens (NOTIFY_SOCKET set).
  [[nodiscard]] bool active() const noexcept { return active_; }

  // The manager's watchdog timeout, when it asked for one (WatchdogSec= in the unit).
  [[nodiscard]] std::optional<std::chrono::microseconds> watchdog_timeout() const noexcept { return watchdog_; }

  // Sends one message ("READY=1", "STATUS=...", ...). Returns an error text, empty when sent or
  // when nobody listens.
  [[nodiscard]] std::string send(std::string_view message) const;

 private:
  bool active_ = false;
  std::optional<std::chrono::microseconds> watchdog_;
};

}  // namespace tickpath::platform
