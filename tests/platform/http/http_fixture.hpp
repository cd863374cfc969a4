#pragma once
// What the HTTP tests share: a fake appliance behind the ControlApi, a server started on an
// ephemeral loopback port, and raw sockets for the requests no well-behaved client sends.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "platform/http/server.hpp"

namespace tickpath::platform {

// What the appliance would answer, owned by the test; the api's closures read it under a lock
// because the server calls them from tp-http-req.
struct FakeAppliance {
  std::mutex mutex;
  control::ControlSnapshot snapshot;
  control::FailureResult next_failure;
  std::vector<std::pair<std::string, bool>> failure_calls;
  bool throw_on_snapshot = false;

  FakeAppliance() {
    snapshot.state = "READY";
    snapshot.ready = true;
    snapshot.ready_reason = "ready";
    snapshot.link_up = true;
    snapshot.uptime_s = 12.5;
    snapshot.frames = 1000;
    snapshot.published = 990;
    snapshot.drops = {{"ring_full", 7}, {"malformed", 3}};
    snapshot.consumers = {{"strategy", 980, 1, 2, 8}};
    snapshot.active_failures = {};
    next_failure = {.ok = true,
                    .changed = true,
                    .from = core::LifecycleState::ready,
                    .to = core::LifecycleState::degraded,
                    .message = "market_data_outage active: READY -> DEGRADED"};
  }

  control::ControlApi api() {
    control::ControlApi a;
    a.snapshot = [this] {
      std::lock_guard lock(mutex);
      if (throw_on_snapshot) throw std::runtime_error("aggregator gone");
      return snapshot;
    };
    a.prometheus = [] { return std::string("# TYPE tickpath_frames_total counter\ntickpath_frames_total 1000\n"); };
    a.health = [] { return nlohmann::json{{"link", {{"ok", true}}}, {"ok", true}}; };
    a.failure = [this](std::string_view name, bool activate) {
      std::lock_guard lock(mutex);
      failure_calls.emplace_back(std::string(name), activate);
      return next_failure;
    };
    return a;
  }
};

inline std::unique_ptr<HttpServer> start_or_fail(const std::string& listen, control::ControlApi api, HttpOptions options = {}) {
  auto started = HttpServer::start(listen, std::move(api), std::move(options));
  if (auto* err = std::get_if<std::string>(&started)) {
    ADD_FAILURE() << *err;
    return nullptr;
  }
  return std::move(std::get<std::unique_ptr<HttpServer>>(started));
}

inline int connect_raw(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// Sends all of data (false on a closed or failed socket).
inline bool send_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

// Everything the server sends until it closes the connection or `timeout_s` passes without a
// byte (a generous bound: it only turns a hang into a failure).
inline std::string read_until_closed(int fd, int timeout_s = 10) {
  timeval tv{timeout_s, 0};
  (void)::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  std::string out;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  return out;
}

// One raw request on a fresh connection; the whole response (the server closes after it, or the
// request said Connection: close).
inline std::string raw_exchange(int port, std::string_view request) {
  const int fd = connect_raw(port);
  if (fd < 0) return {};
  std::string response;
  if (send_all(fd, request)) response = read_until_closed(fd);
  ::close(fd);
  return response;
}

}  // namespace tickpath::platform
