#include "platform/http/http_transport.hpp"

namespace tickpath::platform {

std::string HttpTransport::start(const control::ControlApi& api) {
  if (listen_.empty()) return {};
  auto started = HttpServer::start(listen_, api, options_);
  if (auto* error = std::get_if<std::string>(&started)) return std::move(*error);
  server_ = std::move(std::get<std::unique_ptr<HttpServer>>(started));
  return {};
}

}  // namespace tickpath::platform
