#pragma once
// Who may flip the failure switches over HTTP. On a loopback listen address only this host can
// reach them; anywhere else POST needs a bearer token, read once from http.token_file before the
// EAL starts, so a missing or unsafe token is a config error (exit 2), never an open switch.
#include <string>
#include <string_view>
#include <variant>

namespace tickpath::config {

// True when the host of a "host:port" listen string is "localhost", in 127.0.0.0/8, or ::1
// (brackets allowed). Anything else, including a name that would resolve to loopback, is not.
[[nodiscard]] bool listen_is_loopback(std::string_view listen);

struct BearerToken {
  std::string value;
};

// The token held in `path`: its one line without the newline. Refused, with the reason and the
// key named: an unreadable file, one that group or others may read (chmod 600), an empty one,
// more than one line, blanks or control characters, fewer than 16 characters.
[[nodiscard]] std::variant<BearerToken, std::string> read_bearer_token(const std::string& path);

}  // namespace tickpath::config
