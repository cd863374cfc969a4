#include "platform/audit/host_fs.hpp"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

namespace tickpath::platform::audit {

namespace fs = std::filesystem;

namespace {

// "/tmp/x/" -> "/tmp/x"; "" and "/" -> "/". Built by substr, not by assigning a literal: GCC 12
// reports a false -Wrestrict for string = "/" after pop_back at -O3.
std::string normalized_root(const std::string& root) {
  std::size_t end = root.size();
  while (end > 1 && root[end - 1] == '/') --end;
  return end == 0 ? std::string(1, '/') : root.substr(0, end);
}

}  // namespace

HostFs::HostFs(std::string root) : root_(normalized_root(root)) {
  std::error_code ec;
  live_ = root_ == "/" || fs::equivalent(root_, "/", ec);
}

std::string HostFs::under_root(std::string_view path) const {
  // append() rather than operator+: GCC 12 reports a false -Wrestrict on string + string at -O3.
  std::string out = root_ == "/" ? std::string() : root_;
  out.append(path);
  return out;
}

std::optional<std::string> HostFs::read(std::string_view path) const {
  std::ifstream in(under_root(path));
  if (!in) return std::nullopt;
  std::stringstream s;
  s << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return s.str();
}

std::optional<std::string> HostFs::read_line(std::string_view path) const {
  auto text = read(path);
  if (!text) return std::nullopt;
  std::string line = text->substr(0, text->find('\n'));
  while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r')) line.pop_back();
  return line;
}

std::optional<long long> HostFs::read_int(std::string_view path) const {
  auto line = read_line(path);
  if (!line) return std::nullopt;
  return parse_int(*line);
}

bool HostFs::exists(std::string_view path) const {
  std::error_code ec;
  return fs::exists(fs::symlink_status(under_root(path), ec));
}

std::vector<std::string> HostFs::list(std::string_view path) const {
  std::vector<std::string> names;
  std::error_code ec;
  for (fs::directory_iterator it(under_root(path), ec), end; !ec && it != end; it.increment(ec)) {
    names.push_back(it->path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::optional<std::string> HostFs::link_name(std::string_view path) const {
  std::error_code ec;
  const fs::path target = fs::read_symlink(under_root(path), ec);
  if (ec || target.empty()) return std::nullopt;
  return target.filename().string();
}

std::optional<long long> parse_int(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\n' || text.back() == '\t')) text.remove_suffix(1);
  long long v = 0;
  const auto r = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || r.ec != std::errc() || r.ptr != text.data() + text.size()) return std::nullopt;
  return v;
}

std::optional<std::vector<int>> parse_cpu_mask(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.remove_suffix(1);
  if (text.empty()) return std::nullopt;
  std::vector<std::string_view> groups;
  for (std::size_t at = 0;;) {
    const std::size_t comma = text.find(',', at);
    groups.push_back(text.substr(at, comma == std::string_view::npos ? std::string_view::npos : comma - at));
    if (comma == std::string_view::npos) break;
    at = comma + 1;
  }
  std::vector<int> cpus;
  // The last group holds cpus 0-31.
  for (std::size_t g = 0; g < groups.size(); ++g) {
    const std::string_view hex = groups[groups.size() - 1 - g];
    unsigned long long bits = 0;
    const auto r = std::from_chars(hex.data(), hex.data() + hex.size(), bits, 16);
    if (hex.empty() || hex.size() > 8 || r.ec != std::errc() || r.ptr != hex.data() + hex.size()) return std::nullopt;
    for (int b = 0; b < 32; ++b) {
      if ((bits >> b) & 1U) cpus.push_back(static_cast<int>(g) * 32 + b);
    }
  }
  return cpus;
}

}  // namespace tickpath::platform::audit
