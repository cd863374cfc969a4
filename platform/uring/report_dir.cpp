#include "platform/uring/report_dir.hpp"

#include <ctime>
#include <filesystem>
#include <system_error>

#include <fmt/format.h>

namespace tickpath::platform {

ReportDir make_report_dir(const std::string& parent) {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &utc);
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(parent, ec);
  if (ec) return {{}, fmt::format("report.dir {}: {}", parent, ec.message())};
  for (int n = 0; n < 1000; ++n) {
    const fs::path dir = fs::path(parent) / (n == 0 ? std::string(stamp) : fmt::format("{}-{}", stamp, n));
    if (fs::create_directory(dir, ec)) return {fs::absolute(dir).string(), {}};
    if (ec) return {{}, fmt::format("report folder {}: {}", dir.string(), ec.message())};
  }
  return {{}, "could not create a report folder under " + parent};
}

ReportDir make_exact_report_dir(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path dir(path);
  if (dir.has_parent_path()) fs::create_directories(dir.parent_path(), ec);
  if (ec) return {{}, fmt::format("run folder {}: {}", path, ec.message())};
  if (!fs::create_directory(dir, ec)) {
    return {{}, fmt::format("run folder {}: {}", path, ec ? ec.message() : std::string("already exists"))};
  }
  return {fs::absolute(dir).string(), {}};
}

int unreadable_run_exit_code(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path dir(path);
  if (!fs::is_directory(dir, ec)) return 2;
  if (!fs::exists(dir / "summary.json", ec) && !fs::is_directory(dir / "run-1", ec)) return 2;
  return 1;
}

}  // namespace tickpath::platform
