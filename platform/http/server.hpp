#pragma once
// The operator HTTP interface: /metrics, /healthz, /readyz, /state, /health and the failure
// switches, served by cpp-httplib on its own housekeeping threads (tp-http, tp-http-req).
//
// Everything comes through ControlApi: the server holds no pointer into the pipeline, so the
// worst a client can do is keep tp-http busy. It is built to shrug clients off rather than serve
// many: one request per connection, one worker, one-second socket timeouts and a 4 KiB body
// limit (nothing here takes a body). A client that trickles bytes can hold the single worker
// for as long as it keeps each read under the timeout; that delays other operators, never the
// appliance, and is why the default listen address is loopback.
//
// httplib stays out of this header (pimpl): its pkg-config defines (OpenSSL, zlib) must match the
// library it was built as, and only this directory's meson.build pulls them in.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <variant>

#include <nlohmann/json.hpp>

#include "control/snapshot.hpp"
#include "platform/http/control_api.hpp"

namespace tickpath::platform {

struct ListenAddress {
  std::string host;  // as given, without IPv6 brackets
  std::uint16_t port = 0;  // 0: an ephemeral port, read back with HttpServer::port()
};

// "127.0.0.1:9109", "0.0.0.0:9109", "[::1]:9109", "localhost:0". Errors name http.listen.
[[nodiscard]] std::variant<ListenAddress, std::string> parse_listen(std::string_view listen);

// The /state document: state, ready, ready_reason, link_up, uptime_s, counters, consumers,
// active_failures.
[[nodiscard]] nlohmann::json state_json(const control::ControlSnapshot& snapshot);

class HttpServer {
 public:
  // Binds on the calling thread (so a taken port is reported here, with the address and the
  // errno text), then serves from tp-http. cpu >= 0 pins the listener and its worker to that cpu;
  // -1 leaves them where they were created (after rte_eal_init that is the main lcore: pin
  // explicitly in production).
  [[nodiscard]] static std::variant<std::unique_ptr<HttpServer>, std::string> start(
      const std::string& listen, ControlApi api, int cpu = -1);

  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;
  ~HttpServer();  // stop()

  // The bound port (the ephemeral one when listen asked for port 0).
  [[nodiscard]] int port() const noexcept { return port_; }

  // Closes the listening socket and joins both threads. Returns within about the socket timeout
  // even with a client mid-request; idempotent.
  void stop();

 private:
  struct Impl;
  HttpServer(std::unique_ptr<Impl> impl, int port) noexcept;

  std::unique_ptr<Impl> impl_;
  int port_;
};

}  // namespace tickpath::platform
