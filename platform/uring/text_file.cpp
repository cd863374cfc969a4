#include "platform/uring/text_file.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

namespace tickpath::platform {

std::string write_text_file(const std::string& path, std::string_view text, bool create_parents) {
  const std::filesystem::path p(path);
  if (create_parents && p.has_parent_path()) {
    std::error_code ec;
    std::filesystem::create_directories(p.parent_path(), ec);
    if (ec) return fmt::format("cannot create {}: {}", p.parent_path().string(), ec.message());
  }
  errno = 0;
  std::ofstream out(p);
  out << text;
  out.close();
  if (!out) return fmt::format("{}: could not write: {}", path, errno != 0 ? std::strerror(errno) : "stream error");
  return {};
}

}  // namespace tickpath::platform
