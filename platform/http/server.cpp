#include "platform/http/server.hpp"

#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <future>
#include <memory>
#include <thread>

#include <fmt/format.h>
#include <microhttpd.h>

#include "platform/http/router.hpp"
#include "platform/topology/thread.hpp"

namespace tickpath::platform {
namespace {

constexpr std::string_view kThreadName = "tp-http";
constexpr std::string_view kListenExample = "expected host:port, e.g. 127.0.0.1:9109 or [::1]:9109";
// Per-connection buffer for the request line and headers: a larger header block is refused by
// libmicrohttpd itself (431 / 414), so a client cannot make one connection cost more than this.
constexpr std::size_t kConnectionMemory = 32 * 1024;
// Upper bound on one poll when libmicrohttpd has no timer due: how late a stop() is noticed if
// the wake-up were ever lost (it is not: the eventfd is level-triggered).
constexpr int kMaxPollMs = 1000;

// What libmicrohttpd's callbacks see: the api, the options, and the connection gauge.
struct Handler {
  control::ControlApi api;
  HttpOptions options;
  // Written by tp-http only (libmicrohttpd's connection notifications), read by anyone: relaxed,
  // it is a gauge, not a synchronisation point.
  std::atomic<unsigned> open_connections{0};
};

// One request's state across the handler's calls (headers, body pieces, end).
struct RequestBody {
  std::size_t bytes = 0;
  bool too_large = false;
};

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

bool is_loopback(const sockaddr* address) noexcept {
  if (address->sa_family == AF_INET) {
    const auto* v4 = reinterpret_cast<const sockaddr_in*>(address);
    return (ntohl(v4->sin_addr.s_addr) >> 24) == 127;
  }
  if (address->sa_family == AF_INET6) {
    const in6_addr& a = reinterpret_cast<const sockaddr_in6*>(address)->sin6_addr;
    if (IN6_IS_ADDR_LOOPBACK(&a)) return true;
    return IN6_IS_ADDR_V4MAPPED(&a) && a.s6_addr[12] == 127;
  }
  return false;
}

struct HttpServer::Impl {
  Handler handler;  // the callbacks point at it: Impl never moves
  MHD_Daemon* daemon = nullptr;
  int wake_fd = -1;  // an eventfd: stop() writes it, tp-http polls it beside the daemon's epoll fd
  std::thread thread;

  ~Impl() {
    if (daemon != nullptr) MHD_stop_daemon(daemon);  // closes the connections and the listening socket
    if (wake_fd >= 0) ::close(wake_fd);
  }

  void serve();
};

namespace {

MHD_Result send_reply(MHD_Connection* connection, const HttpReply& reply) {
  MHD_Response* response = MHD_create_response_from_buffer(reply.body.size(), const_cast<char*>(reply.body.data()),
                                                            MHD_RESPMEM_MUST_COPY);
  if (response == nullptr) return MHD_NO;  // out of memory: libmicrohttpd closes the connection
  MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE, reply.content_type.c_str());
  if (!reply.allow.empty()) MHD_add_response_header(response, MHD_HTTP_HEADER_ALLOW, reply.allow.c_str());
  if (reply.bearer_challenge) MHD_add_response_header(response, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer");
  const MHD_Result queued = MHD_queue_response(connection, static_cast<unsigned>(reply.status), response);
  MHD_destroy_response(response);
  return queued;
}

std::string_view header(MHD_Connection* connection, const char* name) {
  const char* value = MHD_lookup_connection_value(connection, MHD_HEADER_KIND, name);
  return value != nullptr ? std::string_view(value) : std::string_view();
}

// libmicrohttpd calls this once after the headers, once per piece of body, and once at the end
// (upload_size 0). A request with neither Content-Length nor Transfer-Encoding has no body
// pieces: the end comes right after the headers, as for Content-Length: 0.
MHD_Result on_request(void* cls, MHD_Connection* connection, const char* url, const char* method,
                      const char* /*version*/, const char* upload_data, size_t* upload_size, void** request_state) {
  auto* handler = static_cast<Handler*>(cls);
  const std::size_t limit = handler->options.limits.body_bytes;
  auto* body = static_cast<RequestBody*>(*request_state);
  if (body == nullptr) {  // the headers: refuse a declared oversized body before reading a byte of it
    body = new RequestBody;
    *request_state = body;
    std::uint64_t declared = 0;
    const std::string_view length = header(connection, MHD_HTTP_HEADER_CONTENT_LENGTH);
    const auto [end, ec] = std::from_chars(length.data(), length.data() + length.size(), declared);
    if (!length.empty() && ec == std::errc{} && end == length.data() + length.size() && declared > limit) {
      body->too_large = true;
      // Answered now, libmicrohttpd discards the rest of the request and closes the connection.
      return send_reply(connection, route(handler->api, {method, url, {}, true}, handler->options.bearer_token));
    }
    return MHD_YES;
  }
  if (upload_data != nullptr && *upload_size != 0) {
    // A chunked body has no declared length: count it as it comes. A reply cannot be queued
    // while a body is being read, so the excess is read and dropped, and the end answers 413.
    body->bytes += *upload_size;
    body->too_large = body->too_large || body->bytes > limit;
    *upload_size = 0;
    return MHD_YES;
  }
  const HttpRequest request{method, url, header(connection, MHD_HTTP_HEADER_AUTHORIZATION), body->too_large};
  return send_reply(connection, route(handler->api, request, handler->options.bearer_token));
}

void on_request_done(void* /*cls*/, MHD_Connection* /*connection*/, void** request_state,
                     MHD_RequestTerminationCode /*why*/) {
  delete static_cast<RequestBody*>(*request_state);
  *request_state = nullptr;
}

void on_connection(void* cls, MHD_Connection* /*connection*/, void** /*socket_state*/,
                   MHD_ConnectionNotificationCode what) {
  auto* open = static_cast<std::atomic<unsigned>*>(cls);
  if (what == MHD_CONNECTION_NOTIFY_STARTED) {
    open->fetch_add(1, std::memory_order_relaxed);
  } else {
    open->fetch_sub(1, std::memory_order_relaxed);
  }
}

std::string where(const ListenAddress& address) {
  const bool v6 = address.host.find(':') != std::string::npos;
  return fmt::format("{}{}{}:{}", v6 ? "[" : "", address.host, v6 ? "]" : "", address.port);
}

// A bound, listening, non-blocking socket, or the error naming http.listen.
std::variant<int, std::string> open_listener(const ListenAddress& address, bool have_token) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string port = std::to_string(address.port);
  if (::getaddrinfo(address.host.c_str(), port.c_str(), &hints, &found) != 0 || found == nullptr) {
    return fmt::format("http.listen: cannot listen on {}: the host does not resolve", where(address));
  }
  const std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> owned(found, &::freeaddrinfo);
  if (!have_token && !is_loopback(found->ai_addr)) {
    return fmt::format(
        "http.listen: {} is not a loopback address, so the failure switches would be open to the network: "
        "set http.token_file to a file holding a bearer token",
        where(address));
  }
  const int fd = ::socket(found->ai_family, found->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, found->ai_protocol);
  if (fd < 0) return fmt::format("http.listen: cannot listen on {}: {}", where(address), std::strerror(errno));
  // SO_REUSEADDR only: SO_REUSEPORT would let a second appliance bind the same port silently and
  // answer half of the scrapes.
  int yes = 1;
  (void)::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  if (::bind(fd, found->ai_addr, found->ai_addrlen) != 0 || ::listen(fd, SOMAXCONN) != 0) {
    const int err = errno;
    ::close(fd);
    return fmt::format("http.listen: cannot listen on {}: {}", where(address), std::strerror(err));
  }
  return fd;
}

int bound_port(int fd) {
  sockaddr_storage bound{};
  socklen_t size = sizeof bound;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &size) != 0) return -1;
  if (bound.ss_family == AF_INET6) return ntohs(reinterpret_cast<const sockaddr_in6*>(&bound)->sin6_port);
  return ntohs(reinterpret_cast<const sockaddr_in*>(&bound)->sin_port);
}

}  // namespace

// libmicrohttpd in its external, epoll mode: it never starts a thread of its own, so the one that
// runs it is ours, named and pinned like every housekeeping thread.
void HttpServer::Impl::serve() {
  const MHD_DaemonInfo* info = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_EPOLL_FD);
  pollfd fds[2] = {{info->epoll_fd, POLLIN, 0}, {wake_fd, POLLIN, 0}};
  for (;;) {
    MHD_UNSIGNED_LONG_LONG due_ms = 0;
    const int timeout_ms = MHD_get_timeout(daemon, &due_ms) == MHD_YES
                               ? static_cast<int>(std::min<MHD_UNSIGNED_LONG_LONG>(due_ms, kMaxPollMs))
                               : kMaxPollMs;
    if (::poll(fds, 2, timeout_ms) < 0 && errno != EINTR) break;
    if (fds[1].revents != 0) break;  // stop()
    (void)MHD_run(daemon);           // accepts, reads, answers, times out: whatever is ready
  }
}

HttpServer::HttpServer(std::unique_ptr<Impl> impl, int port) noexcept : impl_(std::move(impl)), port_(port) {}

HttpServer::~HttpServer() { stop(); }

unsigned HttpServer::open_connections() const noexcept {
  return impl_ ? impl_->handler.open_connections.load(std::memory_order_relaxed) : 0;
}

std::variant<std::unique_ptr<HttpServer>, std::string> HttpServer::start(const std::string& listen, control::ControlApi api,
                                                                           HttpOptions options) {
  auto parsed = parse_listen(listen);
  if (auto* err = std::get_if<std::string>(&parsed)) return std::move(*err);
  const ListenAddress address = std::get<ListenAddress>(std::move(parsed));
  if (!api.complete()) return std::string("http: the control api is missing a callback");

  auto listener = open_listener(address, !options.bearer_token.empty());
  if (auto* err = std::get_if<std::string>(&listener)) return std::move(*err);
  const int listen_fd = std::get<int>(listener);
  const int port = bound_port(listen_fd);

  auto impl = std::make_unique<Impl>();
  impl->handler.api = std::move(api);
  impl->handler.options = std::move(options);
  impl->wake_fd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (impl->wake_fd < 0) {
    ::close(listen_fd);
    return fmt::format("http: eventfd: {}", std::strerror(errno));
  }
  const HttpLimits& limits = impl->handler.options.limits;
  impl->daemon = MHD_start_daemon(
      MHD_USE_EPOLL, 0, nullptr, nullptr, &on_request, &impl->handler,
      MHD_OPTION_LISTEN_SOCKET, listen_fd,
      MHD_OPTION_CONNECTION_LIMIT, limits.connections,
      MHD_OPTION_CONNECTION_TIMEOUT, limits.idle_timeout_s,
      MHD_OPTION_CONNECTION_MEMORY_LIMIT, kConnectionMemory,
      MHD_OPTION_NOTIFY_COMPLETED, &on_request_done, nullptr,
      MHD_OPTION_NOTIFY_CONNECTION, &on_connection, &impl->handler.open_connections,
      MHD_OPTION_END);
  if (impl->daemon == nullptr) {
    ::close(listen_fd);
    return fmt::format("http: libmicrohttpd refused to start on {}", where(address));
  }

  // tp-http names and pins itself before serving; a pin failure comes back here so start()
  // reports it synchronously. The promise moves into the thread: set_value may still be
  // returning when start() wakes.
  std::promise<std::string> pinned;
  std::future<std::string> pin_result = pinned.get_future();
  Impl* raw = impl.get();
  const int cpu = raw->handler.options.cpu;
  raw->thread = std::thread([raw, cpu, pinned = std::move(pinned)]() mutable {
    name_current_thread(kThreadName);
    if (cpu >= 0) {
      if (auto err = pin_current_thread(cpu)) {
        pinned.set_value(fmt::format("http: {}", *err));
        return;
      }
    }
    pinned.set_value({});
    raw->serve();
  });
  if (std::string err = pin_result.get(); !err.empty()) {
    raw->thread.join();
    return err;  // ~Impl stops the daemon
  }
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl), port));
}

void HttpServer::stop() {
  if (!impl_ || !impl_->thread.joinable()) return;
  const std::uint64_t one = 1;
  (void)::write(impl_->wake_fd, &one, sizeof one);
  impl_->thread.join();
  MHD_stop_daemon(impl_->daemon);  // closes every connection and the listening socket
  impl_->daemon = nullptr;
}

}  // namespace tickpath::platform
