// Who may flip the failure switches: a listen address off loopback needs http.token_file, and
// the token file itself is checked before anything starts.
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "config/config.hpp"
#include "config/http_access.hpp"

namespace tickpath::config {
namespace {

class TokenFile {
 public:
  TokenFile(const std::string& text, mode_t mode) {
    path_ = std::filesystem::temp_directory_path() /
            ("tp-token-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    std::ofstream(path_, std::ios::binary) << text;
    ::chmod(path_.c_str(), mode);
  }
  ~TokenFile() { std::filesystem::remove(path_); }
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

std::string refusal(const std::variant<BearerToken, std::string>& r) {
  if (const auto* error = std::get_if<std::string>(&r)) return *error;
  ADD_FAILURE() << "the token was accepted: " << std::get<BearerToken>(r).value;
  return {};
}

TEST(HttpAccess, LoopbackListenAddressesAreRecognisedAndNothingElse) {
  for (const char* listen : {"127.0.0.1:9109", "127.1.2.3:0", "[::1]:9109", "localhost:9109"}) {
    EXPECT_TRUE(listen_is_loopback(listen)) << listen;
  }
  for (const char* listen : {"0.0.0.0:9109", "[::]:9109", "10.1.2.3:9109", "128.0.0.1:9109", "myhost:9109",
                             "[::ffff:10.0.0.1]:9109", "not-an-address"}) {
    EXPECT_FALSE(listen_is_loopback(listen)) << listen;
  }
}

TEST(HttpAccess, ANonLoopbackListenWithoutATokenFileIsAConfigErrorNamingTokenFile) {
  const auto r = load_config("", {"http.listen=0.0.0.0:9109"});
  ASSERT_TRUE(std::holds_alternative<ConfigError>(r));
  const ConfigError& e = std::get<ConfigError>(r);
  EXPECT_EQ(e.key, "http.token_file");
  EXPECT_NE(e.message.find("0.0.0.0:9109"), std::string::npos) << e.message;
  EXPECT_NE(e.message.find("not a loopback address"), std::string::npos) << e.message;
}

TEST(HttpAccess, ANonLoopbackListenWithATokenFileOrHttpOffIsAccepted) {
  EXPECT_TRUE(std::holds_alternative<Config>(load_config("", {"http.listen=0.0.0.0:9109", "http.token_file=/etc/tp"})));
  EXPECT_TRUE(std::holds_alternative<Config>(load_config("", {"http.listen=\"\""})));
  EXPECT_TRUE(std::holds_alternative<Config>(load_config("", {})));  // the default is loopback
}

TEST(HttpAccess, TheIdleTimeoutIsOneSecondToAnHour) {
  EXPECT_EQ(std::get<Config>(load_config("", {})).http.idle_timeout_s, 2);
  EXPECT_EQ(std::get<Config>(load_config("", {"http.idle_timeout_s=3600"})).http.idle_timeout_s, 3600);
  for (const char* bad : {"http.idle_timeout_s=0", "http.idle_timeout_s=3601", "http.idle_timeout_s=-1"}) {
    const auto r = load_config("", {bad});
    ASSERT_TRUE(std::holds_alternative<ConfigError>(r)) << bad;
    EXPECT_EQ(std::get<ConfigError>(r).key, "http.idle_timeout_s") << bad;
  }
}

TEST(HttpAccess, TheTokenIsTheFilesOneLineWithoutItsNewline) {
  TokenFile f("0123456789abcdef0123\n", 0600);
  const auto r = read_bearer_token(f.path());
  ASSERT_TRUE(std::holds_alternative<BearerToken>(r)) << std::get<std::string>(r);
  EXPECT_EQ(std::get<BearerToken>(r).value, "0123456789abcdef0123");
}

TEST(HttpAccess, AnUnsafeOrMalformedTokenFileIsRefusedWithTheReason) {
  {
    TokenFile f("0123456789abcdef0123\n", 0644);
    EXPECT_NE(refusal(read_bearer_token(f.path())).find("chmod 600"), std::string::npos);
  }
  {
    TokenFile f("\n", 0600);
    EXPECT_NE(refusal(read_bearer_token(f.path())).find("empty"), std::string::npos);
  }
  {
    TokenFile f("short\n", 0600);
    EXPECT_NE(refusal(read_bearer_token(f.path())).find("fewer than 16"), std::string::npos);
  }
  {
    TokenFile f("0123456789abcdef\nsecond line\n", 0600);
    EXPECT_NE(refusal(read_bearer_token(f.path())).find("more than one line"), std::string::npos);
  }
  {
    TokenFile f("0123456789 abcdef0123\n", 0600);
    EXPECT_NE(refusal(read_bearer_token(f.path())).find("blanks"), std::string::npos);
  }
  const std::string missing = refusal(read_bearer_token("/nonexistent/tp-token"));
  EXPECT_NE(missing.find("http.token_file"), std::string::npos) << missing;
  EXPECT_NE(missing.find("No such file"), std::string::npos) << missing;
}

}  // namespace
}  // namespace tickpath::config
