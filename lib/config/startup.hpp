#pragma once
// What a command starts from: the validated config, and what start-up reads because of it. Read
// once, before the EAL or any thread starts, so an unreadable token file is a config error (exit
// 2) like a bad key. Kept beside Config rather than in it: the token is a secret derived from a
// key (http.token_file), not a key, and summary.json's effective config (to_json) must never
// carry it.
#include <string>
#include <variant>
#include <vector>

#include "config/config.hpp"

namespace tickpath::config {

struct Startup {
  Config config;
  std::string http_token;  // http.token_file's bearer token; "" = none (POST needs no token: loopback only)
};

// load_config(path, overrides), then http.token_file. Error: the message, prefixed "config: ".
[[nodiscard]] std::variant<Startup, std::string> load_startup(const std::string& path,
                                                              const std::vector<std::string>& overrides);

}  // namespace tickpath::config
