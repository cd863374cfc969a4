#pragma once
// The operator HTTP interface: /metrics, /healthz, /readyz, /state, /health and the failure
// switches, served by libmicrohttpd on one housekeeping thread (tp-http) that polls every
// connection through epoll.
//
// Everything comes through ControlApi: the server holds no pointer into the pipeline, so the
// worst a client can do is keep tp-http busy. Event-driven, so an idle or slow client costs a
// connection slot and no thread: probes are served while hundreds of connections sit open.
// Each connection is closed after HttpLimits::idle_timeout_s without a byte, the table is capped
// at HttpLimits::connections (the next one waits in the kernel's backlog), and a body past
// HttpLimits::body_bytes is a 413 whether it was declared (Content-Length) or chunked. A POST
// without Content-Length or Transfer-Encoding has an empty body (RFC 9112 6.3), as curl -X POST
// sends it. Why libmicrohttpd and not cpp-httplib: docs/operations.md.
//
// libmicrohttpd stays out of this header (pimpl): only this directory's meson.build pulls it in.
#include <sys/socket.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <variant>

#include <nlohmann/json.hpp>

#include "control/snapshot.hpp"
#include "control/api/control_api.hpp"

namespace tickpath::platform {

struct ListenAddress {
  std::string host;  // as given, without IPv6 brackets
  std::uint16_t port = 0;  // 0: an ephemeral port, read back with HttpServer::port()
};

// "127.0.0.1:9109", "0.0.0.0:9109", "[::1]:9109", "localhost:0". Errors name http.listen.
[[nodiscard]] std::variant<ListenAddress, std::string> parse_listen(std::string_view listen);

// True for 127.0.0.0/8, ::1 and ::ffff:127.0.0.0/104: the addresses only this host can reach.
[[nodiscard]] bool is_loopback(const sockaddr* address) noexcept;

struct HttpLimits {
  unsigned connections = 512;     // open at once; must stay under RLIMIT_NOFILE with room to spare
  unsigned idle_timeout_s = 2;    // a connection silent this long is closed, mid-request or not
  std::size_t body_bytes = 4096;  // nothing here takes a body: a larger one is refused with 413
};

struct HttpOptions {
  int cpu = -1;  // >= 0: tp-http is pinned there; -1 leaves it where it was created
  // Non-empty: POST endpoints need "Authorization: Bearer <token>". Empty is refused unless the
  // listen address is loopback.
  std::string bearer_token;
  HttpLimits limits;
};

class HttpServer {
 public:
  // Resolves, binds and listens on the calling thread (so a taken port is reported here, with the
  // address and the errno text), then serves from tp-http. After rte_eal_init a thread starts on
  // the main lcore: pin it (options.cpu) in production.
  [[nodiscard]] static std::variant<std::unique_ptr<HttpServer>, std::string> start(
      const std::string& listen, control::ControlApi api, HttpOptions options = {});

  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;
  ~HttpServer();  // stop()

  // The bound port (the ephemeral one when listen asked for port 0).
  [[nodiscard]] int port() const noexcept { return port_; }

  // Connections accepted and not yet closed, as libmicrohttpd reported them to tp-http.
  [[nodiscard]] unsigned open_connections() const noexcept;

  // Wakes tp-http, joins it, then closes every connection and the listening socket. Prompt even
  // with clients mid-request; idempotent.
  void stop();

 private:
  struct Impl;
  HttpServer(std::unique_ptr<Impl> impl, int port) noexcept;

  std::unique_ptr<Impl> impl_;
  int port_;
};

}  // namespace tickpath::platform
