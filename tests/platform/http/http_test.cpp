// The operator HTTP interface, served for real on 127.0.0.1:<ephemeral> and driven with
// httplib::Client and raw sockets, against a fake ControlApi whose answers each test sets.
// Hostile clients (idle, slow, oversized, unauthenticated): http_hostile_test.cpp.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <httplib.h>

#include "platform/http/server.hpp"
#include "http_fixture.hpp"

namespace tickpath::platform {
namespace {

using namespace std::chrono_literals;

class HttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = start_or_fail("127.0.0.1:0", fake_.api());
    ASSERT_NE(server_, nullptr);
    ASSERT_GT(server_->port(), 0);
  }

  httplib::Client client() const {
    httplib::Client c("127.0.0.1", server_->port());
    c.set_connection_timeout(2);
    c.set_read_timeout(2);
    return c;
  }

  FakeAppliance fake_;
  std::unique_ptr<HttpServer> server_;
};

TEST_F(HttpServerTest, MetricsServesThePrometheusBodyWithTheExpositionContentType) {
  auto res = client().Get("/metrics");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Type").rfind("text/plain; version=0.0.4", 0), 0u)
      << res->get_header_value("Content-Type");
  EXPECT_EQ(res->body, "# TYPE tickpath_frames_total counter\ntickpath_frames_total 1000\n");
}

TEST_F(HttpServerTest, HealthzAnswersOkWhileServing) {
  auto res = client().Get("/healthz");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, "ok");
}

TEST_F(HttpServerTest, ReadyzFollowsTheSnapshotAndGivesTheReasonWhenNotReady) {
  auto c = client();
  auto ready = c.Get("/readyz");
  ASSERT_TRUE(ready);
  EXPECT_EQ(ready->status, 200);
  EXPECT_EQ(ready->body, "ready");
  {
    std::lock_guard lock(fake_.mutex);
    fake_.snapshot.ready = false;
    fake_.snapshot.ready_reason = "link down";
  }
  auto not_ready = c.Get("/readyz");
  ASSERT_TRUE(not_ready);
  EXPECT_EQ(not_ready->status, 503);
  EXPECT_EQ(not_ready->body, "link down");
}

TEST_F(HttpServerTest, StateIsTheSnapshotAsJson) {
  auto res = client().Get("/state");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/json");
  const auto j = nlohmann::json::parse(res->body);
  EXPECT_EQ(j["state"], "READY");
  EXPECT_EQ(j["ready"], true);
  EXPECT_EQ(j["ready_reason"], "ready");
  EXPECT_EQ(j["link_up"], true);
  EXPECT_DOUBLE_EQ(j["uptime_s"].get<double>(), 12.5);
  EXPECT_EQ(j["counters"]["frames"], 1000);
  EXPECT_EQ(j["counters"]["published"], 990);
  EXPECT_EQ(j["counters"]["drops"]["ring_full"], 7);
  ASSERT_EQ(j["consumers"].size(), 1u);
  EXPECT_EQ(j["consumers"][0]["name"], "strategy");
  EXPECT_EQ(j["consumers"][0]["lag"], 8);
  EXPECT_TRUE(j["active_failures"].is_array());
}

TEST_F(HttpServerTest, HealthIsTheProbeJson) {
  auto res = client().Get("/health");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(nlohmann::json::parse(res->body), (nlohmann::json{{"link", {{"ok", true}}}, {"ok", true}}));
}

TEST_F(HttpServerTest, ActivateCallsTheInjectorAndReturnsItsResultAsJson) {
  auto res = client().Post("/failure/market_data_outage/activate");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  const auto j = nlohmann::json::parse(res->body);
  EXPECT_EQ(j["ok"], true);
  EXPECT_EQ(j["changed"], true);
  EXPECT_EQ(j["from"], "READY");
  EXPECT_EQ(j["to"], "DEGRADED");
  EXPECT_EQ(j["message"], "market_data_outage active: READY -> DEGRADED");

  auto off = client().Post("/failure/execution_failure/deactivate");
  ASSERT_TRUE(off);
  EXPECT_EQ(off->status, 200);
  std::lock_guard lock(fake_.mutex);
  ASSERT_EQ(fake_.failure_calls.size(), 2u);
  EXPECT_EQ(fake_.failure_calls[0], (std::pair<std::string, bool>{"market_data_outage", true}));
  EXPECT_EQ(fake_.failure_calls[1], (std::pair<std::string, bool>{"execution_failure", false}));
}

TEST_F(HttpServerTest, ARefusedTransitionIs409WithTheReason) {
  {
    std::lock_guard lock(fake_.mutex);
    fake_.next_failure = {.ok = false,
                          .changed = false,
                          .from = core::LifecycleState::init,
                          .to = core::LifecycleState::degraded,
                          .message = "market_data_outage refused: INIT -> DEGRADED"};
  }
  auto res = client().Post("/failure/market_data_outage/activate");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 409);
  const auto j = nlohmann::json::parse(res->body);
  EXPECT_EQ(j["ok"], false);
  EXPECT_EQ(j["from"], "INIT");
  EXPECT_EQ(j["message"], "market_data_outage refused: INIT -> DEGRADED");
}

TEST_F(HttpServerTest, AnUnknownScenarioOrActionIs404AndNeverReachesTheInjector) {
  auto c = client();
  auto scenario = c.Post("/failure/meteor_strike/activate");
  ASSERT_TRUE(scenario);
  EXPECT_EQ(scenario->status, 404);
  EXPECT_NE(nlohmann::json::parse(scenario->body)["message"].get<std::string>().find("market_data_outage"),
            std::string::npos);
  auto action = c.Post("/failure/market_data_outage/toggle");
  ASSERT_TRUE(action);
  EXPECT_EQ(action->status, 404);
  auto too_deep = c.Post("/failure/market_data_outage/activate/now");
  ASSERT_TRUE(too_deep);
  EXPECT_EQ(too_deep->status, 404);
  std::lock_guard lock(fake_.mutex);
  EXPECT_TRUE(fake_.failure_calls.empty());
}

// A known path with the wrong method is 405 with Allow (not 404): the operator typed the right
// URL and needs to know which verb it takes.
TEST_F(HttpServerTest, AWrongMethodOnAKnownPathIs405WithAllow) {
  auto c = client();
  auto get_failure = c.Get("/failure/market_data_outage/activate");
  ASSERT_TRUE(get_failure);
  EXPECT_EQ(get_failure->status, 405);
  EXPECT_EQ(get_failure->get_header_value("Allow"), "POST");
  auto post_metrics = c.Post("/metrics");
  ASSERT_TRUE(post_metrics);
  EXPECT_EQ(post_metrics->status, 405);
  EXPECT_EQ(post_metrics->get_header_value("Allow"), "GET, HEAD");
  auto delete_state = c.Delete("/state");
  ASSERT_TRUE(delete_state);
  EXPECT_EQ(delete_state->status, 405);
  std::lock_guard lock(fake_.mutex);
  EXPECT_TRUE(fake_.failure_calls.empty());
}

TEST_F(HttpServerTest, AnUnknownPathIs404) {
  auto res = client().Get("/admin");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 404);
  EXPECT_FALSE(res->body.empty());
}

TEST_F(HttpServerTest, AnOversizedBodyIsRefusedAndTheServerKeepsServing) {
  auto big = client().Post("/failure/market_data_outage/activate", std::string(64 * 1024, 'x'), "text/plain");
  if (big) {  // else the server closed the connection mid-upload, which is as good
    EXPECT_EQ(big->status, 413);
  }
  auto res = client().Get("/healthz");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  std::lock_guard lock(fake_.mutex);
  EXPECT_TRUE(fake_.failure_calls.empty());
}

TEST_F(HttpServerTest, AThrowingCallbackIs500AndTheServerKeepsServing) {
  {
    std::lock_guard lock(fake_.mutex);
    fake_.throw_on_snapshot = true;
  }
  auto res = client().Get("/state");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 500);
  EXPECT_NE(res->body.find("aggregator gone"), std::string::npos);
  auto alive = client().Get("/healthz");
  ASSERT_TRUE(alive);
  EXPECT_EQ(alive->status, 200);
}

// RFC 9112 6.3: a request with neither Content-Length nor Transfer-Encoding has an empty body.
// curl -X POST sends exactly this; it must do what Content-Length: 0 does.
TEST_F(HttpServerTest, APostWithoutContentLengthIsServedExactlyLikeContentLengthZero) {
  const std::string bare = raw_exchange(server_->port(),
                                        "POST /failure/market_data_outage/activate HTTP/1.1\r\n"
                                        "Host: 127.0.0.1\r\nConnection: close\r\n\r\n");
  const std::string zero = raw_exchange(server_->port(),
                                        "POST /failure/market_data_outage/activate HTTP/1.1\r\n"
                                        "Host: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
  const std::string old = raw_exchange(server_->port(), "POST /failure/execution_failure/deactivate HTTP/1.0\r\n\r\n");
  EXPECT_EQ(bare.rfind("HTTP/1.1 200", 0), 0u) << bare;
  EXPECT_EQ(zero.rfind("HTTP/1.1 200", 0), 0u) << zero;
  EXPECT_EQ(old.rfind("HTTP/1.0 200", 0) == 0 || old.rfind("HTTP/1.1 200", 0) == 0, true) << old;
  // The same body after the headers, byte for byte (the Date header differs, the JSON must not).
  ASSERT_NE(bare.find("\r\n\r\n"), std::string::npos);
  ASSERT_NE(zero.find("\r\n\r\n"), std::string::npos);
  EXPECT_EQ(bare.substr(bare.find("\r\n\r\n")), zero.substr(zero.find("\r\n\r\n")));
  std::lock_guard lock(fake_.mutex);
  ASSERT_EQ(fake_.failure_calls.size(), 3u);
  EXPECT_EQ(fake_.failure_calls[0], (std::pair<std::string, bool>{"market_data_outage", true}));
  EXPECT_EQ(fake_.failure_calls[1], (std::pair<std::string, bool>{"market_data_outage", true}));
  EXPECT_EQ(fake_.failure_calls[2], (std::pair<std::string, bool>{"execution_failure", false}));
}

TEST_F(HttpServerTest, HeadOnAProbeAnswersTheStatusWithoutABody) {
  auto res = client().Head("/healthz");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_TRUE(res->body.empty());
}

TEST_F(HttpServerTest, AGarbageRequestIs400AndTheServerKeepsServing) {
  const int fd = connect_raw(server_->port());
  ASSERT_GE(fd, 0);
  const std::string junk = "\x16\x03\x01 not http at all\r\n\r\n";
  ASSERT_EQ(::send(fd, junk.data(), junk.size(), 0), static_cast<ssize_t>(junk.size()));
  char buf[256] = {};
  const ssize_t n = ::recv(fd, buf, sizeof buf - 1, 0);
  ::close(fd);
  ASSERT_GT(n, 0);
  EXPECT_EQ(std::string(buf, static_cast<std::size_t>(n)).rfind("HTTP/1.1 400", 0), 0u) << buf;
  auto alive = client().Get("/healthz");
  ASSERT_TRUE(alive);
  EXPECT_EQ(alive->status, 200);
}

// A client that connects and says nothing costs a connection slot, never the next operator's turn.
TEST_F(HttpServerTest, ASilentClientDoesNotBlockTheNextOne) {
  const int fd = connect_raw(server_->port());
  ASSERT_GE(fd, 0);
  auto res = client().Get("/healthz");
  ::close(fd);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
}

TEST_F(HttpServerTest, StopIsPromptEvenWithAClientConnected) {
  const int fd = connect_raw(server_->port());
  ASSERT_GE(fd, 0);
  const auto t0 = std::chrono::steady_clock::now();
  server_->stop();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 1500ms);
  ::close(fd);
  server_->stop();  // idempotent
  EXPECT_FALSE(client().Get("/healthz"));
}

TEST(HttpServer, StopRightAfterStartReturnsPromptly) {
  FakeAppliance fake;
  for (int i = 0; i < 20; ++i) {
    auto server = start_or_fail("127.0.0.1:0", fake.api());
    ASSERT_NE(server, nullptr);
    const auto t0 = std::chrono::steady_clock::now();
    server.reset();  // the destructor stops and joins
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 500ms);
  }
}

TEST(HttpServer, BadListenStringsAreRefusedNamingHttpListen) {
  FakeAppliance fake;
  for (const char* bad : {"", "9109", "127.0.0.1", "127.0.0.1:", ":9109", "127.0.0.1:http",
                          "127.0.0.1:65536", "127.0.0.1:-1", "127.0.0.1:91 09", "::1:9109", "[]:9109"}) {
    auto started = HttpServer::start(bad, fake.api());
    ASSERT_TRUE(std::holds_alternative<std::string>(started)) << bad;
    EXPECT_NE(std::get<std::string>(started).find("http.listen"), std::string::npos)
        << bad << ": " << std::get<std::string>(started);
  }
}

TEST(HttpServer, ParseListenAcceptsHostPortAndBracketedIpv6) {
  auto v4 = parse_listen("127.0.0.1:9109");
  ASSERT_TRUE(std::holds_alternative<ListenAddress>(v4));
  EXPECT_EQ(std::get<ListenAddress>(v4).host, "127.0.0.1");
  EXPECT_EQ(std::get<ListenAddress>(v4).port, 9109);
  auto v6 = parse_listen("[::1]:0");
  ASSERT_TRUE(std::holds_alternative<ListenAddress>(v6));
  EXPECT_EQ(std::get<ListenAddress>(v6).host, "::1");
  EXPECT_EQ(std::get<ListenAddress>(v6).port, 0);
}

TEST(HttpServer, AnIpv6LoopbackListenServes) {
  FakeAppliance fake;
  auto server = start_or_fail("[::1]:0", fake.api());
  ASSERT_NE(server, nullptr);
  httplib::Client c("::1", server->port());
  c.set_read_timeout(10);
  auto res = c.Get("/healthz");
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  EXPECT_EQ(res->status, 200);
}

TEST(HttpServer, ATakenPortIsReportedWithTheAddressAndTheErrnoText) {
  FakeAppliance fake;
  auto first = start_or_fail("127.0.0.1:0", fake.api());
  ASSERT_NE(first, nullptr);
  const std::string listen = "127.0.0.1:" + std::to_string(first->port());
  auto second = HttpServer::start(listen, fake.api());
  ASSERT_TRUE(std::holds_alternative<std::string>(second));
  const std::string& err = std::get<std::string>(second);
  EXPECT_NE(err.find("http.listen"), std::string::npos) << err;
  EXPECT_NE(err.find(listen), std::string::npos) << err;
  EXPECT_NE(err.find("Address already in use"), std::string::npos) << err;
}

TEST(HttpServer, AnIncompleteApiIsRefusedAtStart) {
  FakeAppliance fake;
  control::ControlApi api = fake.api();
  api.health = nullptr;
  auto started = HttpServer::start("127.0.0.1:0", std::move(api));
  ASSERT_TRUE(std::holds_alternative<std::string>(started));
  EXPECT_NE(std::get<std::string>(started).find("missing a callback"), std::string::npos);
}

HttpOptions pinned_to(int cpu) {
  HttpOptions o;
  o.cpu = cpu;
  return o;
}

// The threads' names and cpus as the kernel reports them, by /proc/self/task.
std::vector<std::pair<std::string, cpu_set_t>> http_threads() {
  std::vector<std::pair<std::string, cpu_set_t>> out;
  for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
    std::string name;
    std::getline(std::ifstream(task.path() / "comm"), name);
    if (name.rfind("tp-http", 0) != 0) continue;
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(std::stoi(task.path().filename().string()), sizeof set, &set) == 0) {
      out.emplace_back(name, set);
    }
  }
  return out;
}

TEST(HttpServer, PinsAndNamesItsOneThread) {
  cpu_set_t allowed;
  ASSERT_EQ(sched_getaffinity(0, sizeof allowed, &allowed), 0);
  int cpu = 0;
  while (!CPU_ISSET(cpu, &allowed)) ++cpu;  // the last allowed cpu would do as well

  FakeAppliance fake;
  auto server = start_or_fail("127.0.0.1:0", fake.api(), pinned_to(cpu));
  ASSERT_NE(server, nullptr);
  httplib::Client c("127.0.0.1", server->port());
  ASSERT_TRUE(c.Get("/healthz"));

  const auto threads = http_threads();
  std::vector<std::string> names;
  for (const auto& [name, set] : threads) {
    names.push_back(name);
    EXPECT_EQ(CPU_COUNT(&set), 1) << name;
    EXPECT_TRUE(CPU_ISSET(cpu, &set)) << name;
  }
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"tp-http"}));
}

TEST(HttpServer, AnImpossibleCpuIsAnErrorAtStart) {
  FakeAppliance fake;
  auto started = HttpServer::start("127.0.0.1:0", fake.api(), pinned_to(CPU_SETSIZE + 1));
  ASSERT_TRUE(std::holds_alternative<std::string>(started));
  EXPECT_NE(std::get<std::string>(started).find(std::to_string(CPU_SETSIZE + 1)), std::string::npos)
      << std::get<std::string>(started);
}

}  // namespace
}  // namespace tickpath::platform
