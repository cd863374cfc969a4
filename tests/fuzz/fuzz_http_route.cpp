// libFuzzer: the operator API's routing (platform/http/router.cpp), the pure function between
// libmicrohttpd's bytes and the appliance. Input: one flags byte, then method, path,
// Authorization header and the configured token, separated by '\n'.
//
// Invariants, each an abort when broken:
// - route() returns (no exception escapes) with a status from the documented set;
// - with a token configured, no failure scenario is ever applied without the exact bearer token,
//   and every POST to /failure/... without it is a 401 (the scenario callback is not reached);
// - an oversized body is a 413 whatever the path or method;
// - a throwing callback is a 500, never a crash.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "platform/http/router.hpp"

namespace {

std::vector<std::string_view> fields(std::string_view in, std::size_t n) {
  std::vector<std::string_view> out;
  while (out.size() + 1 < n) {
    const std::size_t nl = in.find('\n');
    if (nl == std::string_view::npos) break;
    out.push_back(in.substr(0, nl));
    in.remove_prefix(nl + 1);
  }
  out.push_back(in);
  out.resize(n);
  return out;
}

bool known_status(int s) {
  for (int k : {200, 401, 404, 405, 409, 413, 500, 503}) {
    if (s == k) return true;
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tickpath;
  if (size == 0) return 0;
  const std::uint8_t flags = data[0];
  const auto f = fields(std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1), 4);
  const bool throwing = (flags & 1) != 0;
  bool applied = false;

  control::ControlApi api;
  api.snapshot = [&] {
    if (throwing) throw std::runtime_error("snapshot gone");
    control::ControlSnapshot s;
    s.ready = (flags & 2) != 0;
    s.ready_reason = "warming up";
    return s;
  };
  api.prometheus = [&] {
    if (throwing) throw std::runtime_error("scrape failed");
    return std::string("tickpath_up 1\n");
  };
  api.health = [&] { return nlohmann::json::object(); };
  api.failure = [&](std::string_view, bool) {
    applied = true;
    if (throwing) throw std::runtime_error("injector gone");
    return control::FailureResult{};
  };

  platform::HttpRequest req;
  req.method = f[0];
  req.path = f[1];
  req.authorization = f[2];
  req.body_too_large = (flags & 4) != 0;
  const std::string_view token = f[3];

  const platform::HttpReply r = platform::route(api, req, token);
  if (!known_status(r.status)) std::abort();
  if (req.body_too_large && r.status != 413) std::abort();
  const bool exact_bearer = req.authorization.size() == token.size() + 7 &&
                            req.authorization.substr(0, 7) == "Bearer " && req.authorization.substr(7) == token;
  if (applied && !token.empty() && !exact_bearer) std::abort();
  if (!token.empty() && !exact_bearer && req.method == "POST" && req.path.starts_with("/failure/") &&
      r.status != 401 && r.status != 404 && r.status != 413) {
    std::abort();
  }
  if (r.status == 401 && !r.bearer_challenge) std::abort();
  return 0;
}
