#include "platform/http/router.hpp"

#include <array>
#include <exception>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "control/views/state_view.hpp"

namespace tickpath::platform {
namespace {

constexpr const char* kPrometheusType = "text/plain; version=0.0.4; charset=utf-8";
constexpr const char* kJson = "application/json";
constexpr const char* kText = "text/plain; charset=utf-8";
constexpr std::string_view kFailurePrefix = "/failure/";
constexpr std::string_view kBearerPrefix = "Bearer ";

HttpReply text(int status, std::string body) { return {status, kText, std::move(body), {}, false}; }

HttpReply error(int status, std::string_view reason) { return text(status, fmt::format("{} {}\n", status, reason)); }

HttpReply json(int status, const nlohmann::json& body) {
  // replace: a reason string is not guaranteed to be UTF-8, and a bad byte must not throw here.
  return {status, kJson, body.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n", {}, false};
}

HttpReply method_not_allowed(const char* allow) {
  HttpReply r = text(405, fmt::format("method not allowed (allowed: {})\n", allow));
  r.allow = allow;
  return r;
}

// Compares every byte whatever the first difference: the time taken says nothing about how much
// of a guessed token was right.
bool same_secret(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

bool authorized(std::string_view authorization, std::string_view token) noexcept {
  if (token.empty()) return true;
  if (authorization.substr(0, kBearerPrefix.size()) != kBearerPrefix) return false;
  return same_secret(authorization.substr(kBearerPrefix.size()), token);
}

HttpReply failure(const control::ControlApi& api, std::string_view name, std::string_view action) {
  if (action != "activate" && action != "deactivate") {
    return json(404, {{"ok", false}, {"message", fmt::format("unknown action '{}' (activate | deactivate)", action)}});
  }
  if (!control::parse_scenario(name)) {
    std::string known;
    for (control::Scenario s : control::kScenarios) {
      if (!known.empty()) known += ", ";
      known += control::to_string(s);
    }
    return json(404, {{"ok", false}, {"message", fmt::format("unknown scenario '{}' (known: {})", name, known)}});
  }
  const control::FailureResult r = api.failure(name, action == "activate");
  // 409: the request was understood but the appliance's state refuses it (e.g. still INIT).
  return json(r.ok ? 200 : 409, control::failure_json(r));
}

// "/failure/<name>/<action>" with both parts non-empty and no further '/': the two parts.
bool split_failure_path(std::string_view path, std::string_view& name, std::string_view& action) {
  if (path.substr(0, kFailurePrefix.size()) != kFailurePrefix) return false;
  const std::string_view rest = path.substr(kFailurePrefix.size());
  const std::size_t slash = rest.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == rest.size()) return false;
  if (rest.find('/', slash + 1) != std::string_view::npos) return false;
  name = rest.substr(0, slash);
  action = rest.substr(slash + 1);
  return true;
}

HttpReply get(const control::ControlApi& api, std::string_view path) {
  if (path == "/metrics") return {200, kPrometheusType, api.prometheus(), {}, false};
  if (path == "/healthz") return text(200, "ok");  // liveness: answering at all is the signal
  if (path == "/readyz") {
    const control::ControlSnapshot s = api.snapshot();
    return text(s.ready ? 200 : 503, s.ready ? std::string("ready") : s.ready_reason);
  }
  if (path == "/state") return json(200, control::state_json(api.snapshot()));
  return json(200, api.health());  // "/health": the caller checked the path
}

bool is_get_path(std::string_view path) {
  constexpr std::array<std::string_view, 5> kGetPaths = {"/metrics", "/healthz", "/readyz", "/state", "/health"};
  for (std::string_view p : kGetPaths) {
    if (p == path) return true;
  }
  return false;
}

HttpReply dispatch(const control::ControlApi& api, const HttpRequest& req, std::string_view token) {
  if (req.body_too_large) return error(413, "payload too large");
  if (is_get_path(req.path)) {
    if (req.method != "GET" && req.method != "HEAD") return method_not_allowed("GET, HEAD");
    return get(api, req.path);
  }
  std::string_view name;
  std::string_view action;
  if (!split_failure_path(req.path, name, action)) return error(404, "not found");
  if (req.method != "POST") return method_not_allowed("POST");
  if (!authorized(req.authorization, token)) {
    HttpReply r = text(401, "401 unauthorized: this endpoint needs Authorization: Bearer <the token in http.token_file>\n");
    r.bearer_challenge = true;
    return r;
  }
  return failure(api, name, action);
}

}  // namespace

HttpReply route(const control::ControlApi& api, const HttpRequest& request, std::string_view bearer_token) {
  // A throwing callback (a bug, or the aggregator gone) is a 500, never a dead server thread.
  try {
    return dispatch(api, request, bearer_token);
  } catch (const std::exception& e) {
    return text(500, fmt::format("internal error: {}\n", e.what()));
  } catch (...) {
    return text(500, "internal error: unknown exception\n");
  }
}

}  // namespace tickpath::platform
