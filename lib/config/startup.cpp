#include "config/startup.hpp"

#include <utility>

#include "config/http_access.hpp"

namespace tickpath::config {

std::variant<Startup, std::string> load_startup(const std::string& path, const std::vector<std::string>& overrides) {
  LoadResult loaded = load_config(path, overrides);
  if (auto* error = std::get_if<ConfigError>(&loaded)) return "config: " + error->message;
  Startup out{std::move(std::get<Config>(loaded)), {}};
  if (!out.config.http.token_file.empty()) {
    auto token = read_bearer_token(out.config.http.token_file);
    if (auto* error = std::get_if<std::string>(&token)) return "config: " + *error;
    out.http_token = std::move(std::get<BearerToken>(token).value);
  }
  return out;
}

}  // namespace tickpath::config
