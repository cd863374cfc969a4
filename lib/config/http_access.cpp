#include "config/http_access.hpp"

#include <arpa/inet.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <utility>

#include <fmt/format.h>

namespace tickpath::config {
namespace {

constexpr std::size_t kMinTokenChars = 16;
constexpr std::size_t kMaxTokenChars = 4096;

}  // namespace

bool listen_is_loopback(std::string_view listen) {
  std::string_view host = listen.substr(0, listen.rfind(':'));
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (host == "localhost") return true;
  const std::string text(host);
  in_addr v4{};
  if (::inet_pton(AF_INET, text.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  return ::inet_pton(AF_INET6, text.c_str(), &v6) == 1 && IN6_IS_ADDR_LOOPBACK(&v6);
}

std::variant<BearerToken, std::string> read_bearer_token(const std::string& path) {
  const auto bad = [&](std::string_view why) { return fmt::format("http.token_file \"{}\": {}", path, why); };
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return bad(std::strerror(errno));
  if (!S_ISREG(st.st_mode)) return bad("not a regular file");
  if ((st.st_mode & 077) != 0) {
    return bad(fmt::format("readable by group or others (mode {:04o}): chmod 600 it", st.st_mode & 07777));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return bad(std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  std::string token = text.str();
  if (token.size() > kMaxTokenChars + 2) return bad(fmt::format("longer than {} characters", kMaxTokenChars));
  if (token.size() >= 1 && token.back() == '\n') token.pop_back();
  if (token.size() >= 1 && token.back() == '\r') token.pop_back();
  if (token.empty()) return bad("empty: put one token on one line (e.g. openssl rand -hex 32)");
  for (const char ch : token) {
    if (ch == '\n') return bad("more than one line");
    if (static_cast<unsigned char>(ch) <= ' ' || static_cast<unsigned char>(ch) >= 0x7f) {
      return bad("blanks or control characters in the token");
    }
  }
  if (token.size() < kMinTokenChars) {
    return bad(fmt::format("{} characters, fewer than {}: too easy to guess", token.size(), kMinTokenChars));
  }
  return BearerToken{std::move(token)};
}

}  // namespace tickpath::config
