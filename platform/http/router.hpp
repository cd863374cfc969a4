#pragma once
// The operator API as a pure function: a parsed request in, the reply out. No sockets and no
// HTTP library: the server (server.cpp) only moves bytes, so the routing rules (404 vs 405,
// the bearer token on POST, the body limit's 413) are tested, and can be fuzzed, on their own.
#include <string>
#include <string_view>

#include "control/api/control_api.hpp"

namespace tickpath::platform {

struct HttpRequest {
  std::string_view method;         // "GET", "POST", ... as sent
  std::string_view path;           // decoded, without the query string
  std::string_view authorization;  // the Authorization header, "" when absent
  bool body_too_large = false;     // the body (Content-Length or chunked) passed the limit
};

struct HttpReply {
  int status = 200;
  std::string content_type;
  std::string body;
  std::string allow;             // the Allow header of a 405, else ""
  bool bearer_challenge = false;  // a 401: send WWW-Authenticate: Bearer
};

// bearer_token empty: POST needs no token (loopback). Otherwise every POST endpoint needs
// "Authorization: Bearer <token>" and answers 401 before looking at the scenario name. GETs
// (probes, scrapes) never need it. A throwing callback becomes a 500 naming the exception.
[[nodiscard]] HttpReply route(const control::ControlApi& api, const HttpRequest& request, std::string_view bearer_token);

}  // namespace tickpath::platform
