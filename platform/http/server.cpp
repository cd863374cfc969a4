#include "platform/http/server.hpp"

#include <sys/socket.h>

#include <atomic>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstring>
#include <future>
#include <thread>

#include <fmt/format.h>
#include <httplib.h>

#include "core/state/lifecycle.hpp"
#include "platform/topology/thread.hpp"

namespace tickpath::platform {
namespace {

constexpr std::string_view kListenerName = "tp-http";
constexpr std::string_view kWorkerName = "tp-http-req";
constexpr const char* kPrometheusType = "text/plain; version=0.0.4; charset=utf-8";
constexpr const char* kJson = "application/json";
constexpr const char* kText = "text/plain; charset=utf-8";
// Nothing here takes a body: the limit only has to make an oversized POST cheap to refuse.
constexpr std::size_t kPayloadLimit = 4096;
constexpr time_t kSocketTimeoutS = 1;

constexpr std::string_view kListenExample = "expected host:port, e.g. 127.0.0.1:9109 or [::1]:9109";

// One worker, named and pinned before it takes its first connection: the constructor queues the
// set-up ahead of any request (the pool is FIFO). Affinity would be inherited from tp-http, which
// creates the pool, anyway; pinning again states the intent and survives a change of creator.
class WorkerQueue final : public httplib::TaskQueue {
 public:
  explicit WorkerQueue(int cpu) : pool_(1) {
    pool_.enqueue([cpu] {
      name_current_thread(kWorkerName);
      if (cpu >= 0) (void)pin_current_thread(cpu);  // the listener already pinned to it: cannot fail differently
    });
  }
  void enqueue(std::function<void()> fn) override { pool_.enqueue(std::move(fn)); }
  void shutdown() override { pool_.shutdown(); }

 private:
  httplib::ThreadPool pool_;
};

// The errors httplib produces by itself (its own table is not exported by the Debian build).
std::string_view reason_phrase(int status) noexcept {
  switch (status) {
    case 400: return "bad request";
    case 404: return "not found";
    case 405: return "method not allowed";
    case 413: return "payload too large";
    case 414: return "uri too long";
    case 416: return "range not satisfiable";
    default: return "error";
  }
}

void method_not_allowed(httplib::Response& res, const char* allow) {
  res.status = 405;
  res.set_header("Allow", allow);
  res.set_content(fmt::format("method not allowed (allowed: {})\n", allow), kText);
}

nlohmann::json failure_json(const control::FailureResult& r) {
  return {{"ok", r.ok},
          {"changed", r.changed},
          {"from", core::to_string(r.from)},
          {"to", core::to_string(r.to)},
          {"message", r.message}};
}

void reply_json(httplib::Response& res, int status, const nlohmann::json& body) {
  res.status = status;
  // replace: a reason string is not guaranteed to be UTF-8, and a bad byte must not throw here.
  res.set_content(body.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n", kJson);
}

void handle_failure(const ControlApi& api, const httplib::Request& req, httplib::Response& res) {
  const std::string name = req.matches[1];
  const std::string action = req.matches[2];
  if (action != "activate" && action != "deactivate") {
    reply_json(res, 404, {{"ok", false},
                          {"message", fmt::format("unknown action '{}' (activate | deactivate)", action)}});
    return;
  }
  if (!control::parse_scenario(name)) {
    std::string known;
    for (control::Scenario s : control::kScenarios) {
      if (!known.empty()) known += ", ";
      known += control::to_string(s);
    }
    reply_json(res, 404, {{"ok", false},
                          {"message", fmt::format("unknown scenario '{}' (known: {})", name, known)}});
    return;
  }
  const control::FailureResult r = api.failure(name, action == "activate");
  // 409: the request was understood but the appliance's state refuses it (e.g. still INIT).
  reply_json(res, r.ok ? 200 : 409, failure_json(r));
}

void add_routes(httplib::Server& svr, const ControlApi& api) {
  const auto get_only = [&svr](const std::string& path, httplib::Server::Handler handler) {
    svr.Get(path, std::move(handler));
    const auto refuse = [](const httplib::Request&, httplib::Response& res) {
      method_not_allowed(res, "GET, HEAD");
    };
    svr.Post(path, refuse).Put(path, refuse).Patch(path, refuse).Delete(path, refuse).Options(path, refuse);
  };

  get_only("/metrics", [&api](const httplib::Request&, httplib::Response& res) {
    res.set_content(api.prometheus(), kPrometheusType);
  });
  // Liveness: answering at all is the signal.
  get_only("/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("ok", kText);
  });
  get_only("/readyz", [&api](const httplib::Request&, httplib::Response& res) {
    const control::ControlSnapshot s = api.snapshot();
    res.status = s.ready ? 200 : 503;
    res.set_content(s.ready ? std::string("ready") : s.ready_reason, kText);
  });
  get_only("/state", [&api](const httplib::Request&, httplib::Response& res) {
    reply_json(res, 200, state_json(api.snapshot()));
  });
  get_only("/health", [&api](const httplib::Request&, httplib::Response& res) {
    reply_json(res, 200, api.health());
  });

  const std::string failure_path = R"(/failure/([^/]+)/([^/]+))";
  svr.Post(failure_path, [&api](const httplib::Request& req, httplib::Response& res) {
    handle_failure(api, req, res);
  });
  const auto post_only = [](const httplib::Request&, httplib::Response& res) {
    method_not_allowed(res, "POST");
  };
  svr.Get(failure_path, post_only)
      .Put(failure_path, post_only)
      .Patch(failure_path, post_only)
      .Delete(failure_path, post_only)
      .Options(failure_path, post_only);
}

void configure(httplib::Server& svr, int cpu) {
  svr.new_task_queue = [cpu] { return new WorkerQueue(cpu); };
  // One request per connection: with one worker, a kept-alive connection would make every other
  // client wait for its idle timeout.
  svr.set_keep_alive_max_count(1);
  svr.set_keep_alive_timeout(kSocketTimeoutS);
  svr.set_read_timeout(kSocketTimeoutS, 0);
  svr.set_write_timeout(kSocketTimeoutS, 0);
  svr.set_payload_max_length(kPayloadLimit);
  // SO_REUSEADDR only. httplib's default also sets SO_REUSEPORT, which would let a second
  // appliance bind the same port silently and answer half of the scrapes.
  svr.set_socket_options([](socket_t sock) {
    int yes = 1;
    (void)setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  // Routed errors carry their own body; httplib's own (unknown path, oversized body, bad request
  // line) come without one.
  svr.set_error_handler(httplib::Server::HandlerWithResponse(
      [](const httplib::Request&, httplib::Response& res) {
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        res.set_content(fmt::format("{} {}\n", res.status, reason_phrase(res.status)), kText);
        return httplib::Server::HandlerResponse::Handled;
      }));
  // A throwing callback (a bug, or the aggregator gone) is a 500, never a dead thread.
  svr.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
    std::string what = "unknown exception";
    try {
      std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    res.status = 500;
    res.set_content(fmt::format("internal error: {}\n", what), kText);
  });
}

}  // namespace

std::variant<ListenAddress, std::string> parse_listen(std::string_view listen) {
  const auto bad = [&](std::string_view why) {
    return fmt::format("http.listen \"{}\": {} ({})", listen, why, kListenExample);
  };
  const std::size_t colon = listen.rfind(':');
  if (colon == std::string_view::npos) return bad("no port");
  std::string_view host = listen.substr(0, colon);
  const std::string_view port = listen.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string_view::npos) {
    return bad("an IPv6 address needs brackets");
  }
  if (host.empty()) return bad("no host");
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (port.empty() || ec != std::errc{} || end != port.data() + port.size() || value > 65535) {
    return bad(fmt::format("port \"{}\" is not a number in 0..65535", port));
  }
  return ListenAddress{std::string(host), static_cast<std::uint16_t>(value)};
}

nlohmann::json state_json(const control::ControlSnapshot& s) {
  nlohmann::json drops = nlohmann::json::object();
  for (const auto& [reason, n] : s.drops) drops[reason] = n;
  nlohmann::json consumers = nlohmann::json::array();
  for (const control::ConsumerSnapshot& c : s.consumers) {
    consumers.push_back({{"name", c.name},
                         {"consumed", c.consumed},
                         {"overruns", c.overruns},
                         {"lost", c.lost},
                         {"lag", c.lag}});
  }
  return {
      {"state", s.state},
      {"ready", s.ready},
      {"ready_reason", s.ready_reason},
      {"link_up", s.link_up},
      {"uptime_s", s.uptime_s},
      {"counters",
       {{"frames", s.frames},
        {"published", s.published},
        {"heartbeats", s.heartbeats},
        {"malformed", s.malformed},
        {"foreign", s.foreign},
        {"feed_gaps", s.feed_gaps},
        {"drops", std::move(drops)},
        {"executed", s.executed},
        {"provisional", s.provisional},
        {"nic",
         {{"ipackets", s.nic_ipackets},
          {"missed", s.nic_missed},
          {"errors", s.nic_errors},
          {"rx_nombuf", s.nic_rx_nombuf}}}}},
      {"consumers", std::move(consumers)},
      {"active_failures", s.active_failures},
  };
}

struct HttpServer::Impl {
  ControlApi api;  // the routes hold references to it: Impl never moves
  httplib::Server svr;
  std::thread listener;
  std::atomic<bool> listener_done{false};
};

HttpServer::HttpServer(std::unique_ptr<Impl> impl, int port) noexcept
    : impl_(std::move(impl)), port_(port) {}

HttpServer::~HttpServer() { stop(); }

std::variant<std::unique_ptr<HttpServer>, std::string> HttpServer::start(const std::string& listen,
                                                                           ControlApi api, int cpu) {
  auto parsed = parse_listen(listen);
  if (auto* err = std::get_if<std::string>(&parsed)) return std::move(*err);
  const ListenAddress address = std::get<ListenAddress>(std::move(parsed));
  if (!api.complete()) return std::string("http: the control api is missing a callback");

  auto impl = std::make_unique<Impl>();
  impl->api = std::move(api);
  configure(impl->svr, cpu);
  add_routes(impl->svr, impl->api);

  // tp-http names and pins itself, then binds: the socket is created on the thread that owns it,
  // and the outcome comes back here so start() reports it synchronously.
  // The promise moves into the thread: set_value may still be returning when start() wakes.
  std::promise<std::variant<int, std::string>> bound;
  std::future<std::variant<int, std::string>> bound_result = bound.get_future();
  Impl* raw = impl.get();
  raw->listener = std::thread([raw, address, cpu, bound = std::move(bound)]() mutable {
    name_current_thread(kListenerName);
    if (cpu >= 0) {
      if (auto err = pin_current_thread(cpu)) {
        raw->listener_done.store(true, std::memory_order_release);
        bound.set_value(fmt::format("http: {}", *err));
        return;
      }
    }
    errno = 0;
    const int port = address.port == 0 ? raw->svr.bind_to_any_port(address.host)
                                       : (raw->svr.bind_to_port(address.host, address.port) ? address.port : -1);
    if (port < 0) {
      const int err = errno;  // bind's, or 0 when the host did not resolve
      raw->listener_done.store(true, std::memory_order_release);
      const bool v6 = address.host.find(':') != std::string::npos;
      bound.set_value(fmt::format("http.listen: cannot listen on {}{}{}:{}: {}", v6 ? "[" : "", address.host,
                                  v6 ? "]" : "", address.port,
                                  err != 0 ? std::strerror(err) : "the host does not resolve"));
      return;
    }
    bound.set_value(port);
    raw->svr.listen_after_bind();
    // release: partner of the acquire in start(); nothing else is published through it.
    raw->listener_done.store(true, std::memory_order_release);
  });

  auto result = bound_result.get();
  if (auto* err = std::get_if<std::string>(&result)) {
    raw->listener.join();
    return std::move(*err);
  }
  // Server::stop() only acts once the accept loop runs: wait for it, so a stop() right after
  // start() cannot be lost and leave join() waiting forever.
  // acquire: partner of the release stores in the listener (a failed listen ends the wait).
  while (!raw->svr.is_running() && !raw->listener_done.load(std::memory_order_acquire)) {
    std::this_thread::sleep_for(std::chrono::microseconds(100));
  }
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl), std::get<int>(result)));
}

void HttpServer::stop() {
  if (!impl_ || !impl_->listener.joinable()) return;
  impl_->svr.stop();  // closes the listening socket: accept() returns, then the worker is joined
  impl_->listener.join();
}

}  // namespace tickpath::platform
