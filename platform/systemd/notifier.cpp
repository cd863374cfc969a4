#include "platform/systemd/notifier.hpp"

#include <cstdlib>
#include <cstring>

#include <systemd/sd-daemon.h>

namespace tickpath::platform {

SystemdNotifier::SystemdNotifier() {
  const char* socket = std::getenv("NOTIFY_SOCKET");
  active_ = socket != nullptr && socket[0] != '\0';
  std::uint64_t usec = 0;
  // > 0: WATCHDOG_USEC is set and WATCHDOG_PID (if set) is this process.
  if (active_ && sd_watchdog_enabled(0, &usec) > 0 && usec > 0) watchdog_ = std::chrono::microseconds(usec);
}

std::string SystemdNotifier::send(std::string_view message) const {
  if (!active_) return {};
  const std::string text(message);
  // unset_environment = 0: children (run --repeat) do not inherit it anyway; keep it readable.
  const int r = sd_notify(0, text.c_str());
  if (r < 0) return "sd_notify(" + text + "): " + std::strerror(-r);
  return {};
}

}  // namespace tickpath::platform
