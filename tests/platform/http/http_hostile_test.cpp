// The control plane against clients that try to starve or abuse it: hundreds of idle or slow
// connections, a chunked body past the limit, a body declared and never sent, a POST without the
// bearer token. No timed assertions: each test checks that the request is served (with a
// generous client timeout that only turns a hang into a failure) and that the hostile state was
// really in place while it was served.
#include <netdb.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <httplib.h>

#include "http_fixture.hpp"
#include "platform/http/server.hpp"

namespace tickpath::platform {
namespace {

using namespace std::chrono_literals;

constexpr int kGenerousTimeoutS = 30;

httplib::Result get(int port, const char* path) {
  httplib::Client c("127.0.0.1", port);
  c.set_connection_timeout(kGenerousTimeoutS);
  c.set_read_timeout(kGenerousTimeoutS);
  return c.Get(path);
}

// Waits (bounded) until the server itself reports at least n connections open.
bool server_sees(const HttpServer& server, unsigned n) {
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(kGenerousTimeoutS);
  while (server.open_connections() < n) {
    if (std::chrono::steady_clock::now() > give_up) return false;
    std::this_thread::sleep_for(10ms);
  }
  return true;
}

struct OpenSockets {
  std::vector<int> fds;
  ~OpenSockets() {
    for (int fd : fds) ::close(fd);
  }
};

// A connection the server has not closed: a non-blocking peek finds no data and no EOF.
bool still_open(int fd) {
  char byte = 0;
  const ssize_t n = ::recv(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}

// The idle timeout is raised so that the idle connections are certainly still open when the
// probe is served, whatever the machine's load: the test is about starvation, not the timeout.
HttpOptions patient() {
  HttpOptions o;
  o.limits.idle_timeout_s = 120;
  return o;
}

TEST(HttpHostile, ProbesAreServedWhileTwoHundredIdleConnectionsAreOpen) {
  FakeAppliance fake;
  auto server = start_or_fail("127.0.0.1:0", fake.api(), patient());
  ASSERT_NE(server, nullptr);
  OpenSockets idle;
  for (int i = 0; i < 200; ++i) {
    const int fd = connect_raw(server->port());
    ASSERT_GE(fd, 0) << "connection " << i;
    idle.fds.push_back(fd);
  }
  ASSERT_TRUE(server_sees(*server, 200)) << "the server saw only " << server->open_connections();

  auto healthz = get(server->port(), "/healthz");
  auto readyz = get(server->port(), "/readyz");
  ASSERT_TRUE(healthz);
  ASSERT_TRUE(readyz);
  EXPECT_EQ(healthz->status, 200);
  EXPECT_EQ(readyz->status, 200);
  for (int fd : idle.fds) EXPECT_TRUE(still_open(fd)) << "an idle connection was closed before the probe ended";
  EXPECT_GE(server->open_connections(), 200u);
}

// Slowloris: each client sends part of its request line and headers, then stops.
TEST(HttpHostile, ProbesAreServedWhileTwoHundredClientsTrickleTheirHeaders) {
  FakeAppliance fake;
  auto server = start_or_fail("127.0.0.1:0", fake.api(), patient());
  ASSERT_NE(server, nullptr);
  OpenSockets slow;
  for (int i = 0; i < 200; ++i) {
    const int fd = connect_raw(server->port());
    ASSERT_GE(fd, 0);
    ASSERT_TRUE(send_all(fd, "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: a"));
    slow.fds.push_back(fd);
  }
  ASSERT_TRUE(server_sees(*server, 200));
  auto healthz = get(server->port(), "/healthz");
  ASSERT_TRUE(healthz);
  EXPECT_EQ(healthz->status, 200);
  for (int fd : slow.fds) EXPECT_TRUE(still_open(fd));
}

std::string hex(std::size_t n) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%zx", n);
  return buf;
}

std::string chunked_post(std::size_t total, std::size_t chunk) {
  std::string out =
      "POST /failure/market_data_outage/activate HTTP/1.1\r\nHost: 127.0.0.1\r\n"
      "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
  const std::string piece(chunk, 'x');
  for (std::size_t sent = 0; sent < total; sent += chunk) {
    out += hex(chunk) + "\r\n" + piece + "\r\n";
  }
  return out + "0\r\n\r\n";
}

TEST(HttpHostile, AChunkedTenMegabytePostIsRefusedWith413AndNeverReachesTheInjector) {
  FakeAppliance fake;
  auto server = start_or_fail("127.0.0.1:0", fake.api());
  ASSERT_NE(server, nullptr);
  const std::string response = raw_exchange(server->port(), chunked_post(10 << 20, 64 << 10));
  EXPECT_EQ(response.rfind("HTTP/1.1 413", 0), 0u) << response.substr(0, 200);
  auto alive = get(server->port(), "/healthz");
  ASSERT_TRUE(alive);
  EXPECT_EQ(alive->status, 200);
  std::lock_guard lock(fake.mutex);
  EXPECT_TRUE(fake.failure_calls.empty());
}

// The limit is on the body's size, not on its encoding: a small chunked body is served.
TEST(HttpHostile, ASmallChunkedPostIsServed) {
  FakeAppliance fake;
  auto server = start_or_fail("127.0.0.1:0", fake.api());
  ASSERT_NE(server, nullptr);
  const std::string response = raw_exchange(server->port(), chunked_post(100, 10));
  EXPECT_EQ(response.rfind("HTTP/1.1 200", 0), 0u) << response.substr(0, 200);
  std::lock_guard lock(fake.mutex);
  EXPECT_EQ(fake.failure_calls.size(), 1u);
}

TEST(HttpHostile, ADeclaredOversizedBodyIsRefusedWith413BeforeItIsSent) {
  FakeAppliance fake;
  auto server = start_or_fail("127.0.0.1:0", fake.api());
  ASSERT_NE(server, nullptr);
  // Only the headers are sent: the 413 must come without waiting for the 10 MB.
  const std::string response = raw_exchange(server->port(),
                                            "POST /failure/market_data_outage/activate HTTP/1.1\r\n"
                                            "Host: 127.0.0.1\r\nContent-Length: 10485760\r\n\r\n");
  EXPECT_EQ(response.rfind("HTTP/1.1 413", 0), 0u) << response;
  std::lock_guard lock(fake.mutex);
  EXPECT_TRUE(fake.failure_calls.empty());
}

// A body declared and never sent holds a connection slot (no thread) until the idle timeout,
// then the connection is closed without acting on the half request.
TEST(HttpHostile, ABodyDeclaredButNeverSentIsDroppedAfterTheIdleTimeoutWithoutActing) {
  FakeAppliance fake;
  HttpOptions quick;
  quick.limits.idle_timeout_s = 1;
  auto server = start_or_fail("127.0.0.1:0", fake.api(), quick);
  ASSERT_NE(server, nullptr);
  const int fd = connect_raw(server->port());
  ASSERT_GE(fd, 0);
  ASSERT_TRUE(send_all(fd,
                       "POST /failure/market_data_outage/activate HTTP/1.1\r\n"
                       "Host: 127.0.0.1\r\nContent-Length: 100\r\n\r\n"));
  ASSERT_TRUE(server_sees(*server, 1));
  auto healthz = get(server->port(), "/healthz");  // served while the half request is pending
  ASSERT_TRUE(healthz);
  EXPECT_EQ(healthz->status, 200);
  // The server closes it: recv sees EOF (or a reset), not our 30 s receive timeout.
  const auto t0 = std::chrono::steady_clock::now();
  const std::string rest = read_until_closed(fd, kGenerousTimeoutS);
  ::close(fd);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(kGenerousTimeoutS - 5))
      << "the server never closed the stalled connection";
  EXPECT_EQ(rest.find("HTTP/1.1 200"), std::string::npos) << rest;
  std::lock_guard lock(fake.mutex);
  EXPECT_TRUE(fake.failure_calls.empty());
}

// With the table full, the next client is not refused: it waits in the listen backlog and is
// served once the idle timeout frees a slot.
TEST(HttpHostile, PastTheConnectionLimitANewClientWaitsForAFreeSlotAndIsServed) {
  FakeAppliance fake;
  HttpOptions small;
  small.limits.connections = 4;
  small.limits.idle_timeout_s = 1;
  auto server = start_or_fail("127.0.0.1:0", fake.api(), small);
  ASSERT_NE(server, nullptr);
  OpenSockets idle;
  for (int i = 0; i < 4; ++i) {
    const int fd = connect_raw(server->port());
    ASSERT_GE(fd, 0);
    idle.fds.push_back(fd);
  }
  ASSERT_TRUE(server_sees(*server, 4));
  auto healthz = get(server->port(), "/healthz");
  ASSERT_TRUE(healthz) << httplib::to_string(healthz.error());
  EXPECT_EQ(healthz->status, 200);
}

TEST(HttpHostile, WithATokenAPostNeedsItAndAProbeDoesNot) {
  FakeAppliance fake;
  HttpOptions options;
  options.bearer_token = "s3cret-token";
  auto server = start_or_fail("127.0.0.1:0", fake.api(), options);
  ASSERT_NE(server, nullptr);
  httplib::Client c("127.0.0.1", server->port());
  c.set_read_timeout(kGenerousTimeoutS);

  auto none = c.Post("/failure/market_data_outage/activate");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 401);
  EXPECT_EQ(none->get_header_value("WWW-Authenticate"), "Bearer");
  auto wrong = c.Post("/failure/market_data_outage/activate", httplib::Headers{{"Authorization", "Bearer s3cret-tokeN"}},
                      "", "text/plain");
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 401);
  {
    std::lock_guard lock(fake.mutex);
    EXPECT_TRUE(fake.failure_calls.empty());
  }
  auto right = c.Post("/failure/market_data_outage/activate", httplib::Headers{{"Authorization", "Bearer s3cret-token"}},
                      "", "text/plain");
  ASSERT_TRUE(right);
  EXPECT_EQ(right->status, 200);
  auto probe = c.Get("/readyz");
  ASSERT_TRUE(probe);
  EXPECT_EQ(probe->status, 200);
  std::lock_guard lock(fake.mutex);
  EXPECT_EQ(fake.failure_calls.size(), 1u);
}

TEST(HttpHostile, ANonLoopbackListenWithoutATokenIsRefusedNamingTokenFile) {
  FakeAppliance fake;
  auto refused = HttpServer::start("0.0.0.0:0", fake.api());
  ASSERT_TRUE(std::holds_alternative<std::string>(refused));
  EXPECT_NE(std::get<std::string>(refused).find("http.token_file"), std::string::npos) << std::get<std::string>(refused);
  EXPECT_NE(std::get<std::string>(refused).find("not a loopback address"), std::string::npos);

  HttpOptions with_token;
  with_token.bearer_token = "t";
  auto started = HttpServer::start("0.0.0.0:0", fake.api(), with_token);
  EXPECT_TRUE(std::holds_alternative<std::unique_ptr<HttpServer>>(started))
      << std::get<std::string>(started);
}

TEST(HttpHostile, LoopbackIsOnly127Slash8AndColonColon1) {
  const auto check = [](const char* host) {
    addrinfo hints{};
    hints.ai_flags = AI_NUMERICHOST;
    addrinfo* found = nullptr;
    if (::getaddrinfo(host, "1", &hints, &found) != 0) {
      ADD_FAILURE() << host;
      return false;
    }
    const bool loopback = is_loopback(found->ai_addr);
    ::freeaddrinfo(found);
    return loopback;
  };
  EXPECT_TRUE(check("127.0.0.1"));
  EXPECT_TRUE(check("127.10.0.3"));
  EXPECT_TRUE(check("::1"));
  EXPECT_TRUE(check("::ffff:127.0.0.1"));
  EXPECT_FALSE(check("0.0.0.0"));
  EXPECT_FALSE(check("::"));
  EXPECT_FALSE(check("10.0.0.1"));
  EXPECT_FALSE(check("128.0.0.1"));
  EXPECT_FALSE(check("::ffff:10.0.0.1"));
}

}  // namespace
}  // namespace tickpath::platform
