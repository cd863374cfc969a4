#pragma once
// HttpServer as a control::Transport: the wiring builds it from the config (listen address,
// token, limits, cpu) and ControlPlane::start starts it with the control plane's api. An empty
// listen address means no HTTP: start() succeeds and serves nothing.
#include <memory>
#include <string>

#include "control/api/transport.hpp"
#include "platform/http/server.hpp"

namespace tickpath::platform {

class HttpTransport final : public control::Transport {
 public:
  HttpTransport(std::string listen, HttpOptions options) : listen_(std::move(listen)), options_(std::move(options)) {}
  ~HttpTransport() override { stop(); }

  [[nodiscard]] std::string start(const control::ControlApi& api) override;
  void stop() noexcept override { server_.reset(); }
  [[nodiscard]] int port() const noexcept override { return server_ ? server_->port() : 0; }

 private:
  std::string listen_;
  HttpOptions options_;
  std::unique_ptr<HttpServer> server_;
};

}  // namespace tickpath::platform
