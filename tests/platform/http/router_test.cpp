// The routing rules on their own, with no socket: which status each (method, path, token, body)
// gets, and that nothing but an authorized, well-formed POST reaches the injector.
#include <string>

#include <gtest/gtest.h>

#include "http_fixture.hpp"
#include "platform/http/router.hpp"

namespace tickpath::platform {
namespace {

HttpReply ask(FakeAppliance& fake, std::string_view method, std::string_view path, std::string_view token = {},
              std::string_view authorization = {}, bool too_large = false) {
  return route(fake.api(), {method, path, authorization, too_large}, token);
}

TEST(Router, EveryProbeAnswersGetAndHeadAndRefusesOtherMethodsWith405) {
  FakeAppliance fake;
  for (const char* path : {"/metrics", "/healthz", "/readyz", "/state", "/health"}) {
    EXPECT_EQ(ask(fake, "GET", path).status, 200) << path;
    EXPECT_EQ(ask(fake, "HEAD", path).status, 200) << path;
    for (const char* method : {"POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE"}) {
      const HttpReply r = ask(fake, method, path);
      EXPECT_EQ(r.status, 405) << method << " " << path;
      EXPECT_EQ(r.allow, "GET, HEAD");
    }
  }
  std::lock_guard lock(fake.mutex);
  EXPECT_TRUE(fake.failure_calls.empty());
}

TEST(Router, OnlyPostReachesAFailureSwitch) {
  FakeAppliance fake;
  for (const char* method : {"GET", "HEAD", "PUT", "DELETE"}) {
    const HttpReply r = ask(fake, method, "/failure/market_data_outage/activate");
    EXPECT_EQ(r.status, 405) << method;
    EXPECT_EQ(r.allow, "POST");
  }
  EXPECT_EQ(ask(fake, "POST", "/failure/market_data_outage/activate").status, 200);
  std::lock_guard lock(fake.mutex);
  EXPECT_EQ(fake.failure_calls.size(), 1u);
}

TEST(Router, PathsThatAreNotExactlyFailureNameActionAre404) {
  FakeAppliance fake;
  for (const char* path : {"/", "/failure", "/failure/", "/failure//activate", "/failure/market_data_outage/",
                           "/failure/market_data_outage", "/failure/a/b/c", "/metricsx", "/healthz/"}) {
    EXPECT_EQ(ask(fake, "POST", path).status, 404) << path;
  }
  std::lock_guard lock(fake.mutex);
  EXPECT_TRUE(fake.failure_calls.empty());
}

TEST(Router, ABodyPastTheLimitIs413WhateverThePath) {
  FakeAppliance fake;
  EXPECT_EQ(ask(fake, "POST", "/failure/market_data_outage/activate", {}, {}, true).status, 413);
  EXPECT_EQ(ask(fake, "GET", "/healthz", {}, {}, true).status, 413);
  std::lock_guard lock(fake.mutex);
  EXPECT_TRUE(fake.failure_calls.empty());
}

TEST(Router, WithATokenPostNeedsExactlyBearerAndTheToken) {
  FakeAppliance fake;
  const std::string token = "0123456789abcdef";
  for (const char* auth : {"", "Bearer", "Bearer ", "bearer 0123456789abcdef", "Basic 0123456789abcdef",
                           "Bearer 0123456789abcde", "Bearer 0123456789abcdefX", "Bearer  0123456789abcdef"}) {
    const HttpReply r = ask(fake, "POST", "/failure/market_data_outage/activate", token, auth);
    EXPECT_EQ(r.status, 401) << "'" << auth << "'";
    EXPECT_TRUE(r.bearer_challenge);
  }
  // 401 comes before the name is looked at: an unauthenticated client learns no scenario names.
  EXPECT_EQ(ask(fake, "POST", "/failure/meteor/activate", token).status, 401);
  {
    std::lock_guard lock(fake.mutex);
    EXPECT_TRUE(fake.failure_calls.empty());
  }
  EXPECT_EQ(ask(fake, "POST", "/failure/market_data_outage/activate", token, "Bearer 0123456789abcdef").status, 200);
  EXPECT_EQ(ask(fake, "GET", "/metrics", token).status, 200);  // scrapes and probes need no token
  std::lock_guard lock(fake.mutex);
  EXPECT_EQ(fake.failure_calls.size(), 1u);
}

TEST(Router, AThrowingCallbackIs500NamingTheException) {
  FakeAppliance fake;
  {
    std::lock_guard lock(fake.mutex);
    fake.throw_on_snapshot = true;
  }
  const HttpReply r = ask(fake, "GET", "/readyz");
  EXPECT_EQ(r.status, 500);
  EXPECT_NE(r.body.find("aggregator gone"), std::string::npos);
}

}  // namespace
}  // namespace tickpath::platform
