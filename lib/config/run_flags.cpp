#include "config/run_flags.hpp"

#include <filesystem>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace tickpath::config {

std::vector<std::string> run_overrides(const RunFlags& f) {
  std::vector<std::string> all = f.overrides;
  if (f.duration_s) all.push_back(fmt::format("run.duration_s={}", *f.duration_s));
  if (f.events) all.push_back(fmt::format("run.events={}", *f.events));
  if (f.rate_pps) all.push_back(fmt::format("run.rate_pps={}", *f.rate_pps));
  if (f.report_dir) all.push_back(fmt::format("report.dir={}", nlohmann::json(*f.report_dir).dump()));
  if (f.run_folder) {
    std::filesystem::path folder = std::filesystem::absolute(*f.run_folder).lexically_normal();
    if (folder.filename().empty()) folder = folder.parent_path();  // "…/run-1/"
    all.push_back(fmt::format("report.dir={}", nlohmann::json(folder.parent_path().string()).dump()));
  }
  return all;
}

std::variant<Startup, std::string> load_run_startup(const RunFlags& flags) {
  return load_startup(flags.config_path, run_overrides(flags));
}

std::vector<std::string> child_run_args(const RunFlags& f) {
  std::vector<std::string> args = {"run"};
  if (!f.config_path.empty()) args.insert(args.end(), {"--config", f.config_path});
  if (f.duration_s) args.insert(args.end(), {"--duration", fmt::format("{}", *f.duration_s)});
  if (f.events) args.insert(args.end(), {"--events", fmt::format("{}", *f.events)});
  if (f.rate_pps) args.insert(args.end(), {"--rate", fmt::format("{}", *f.rate_pps)});
  for (const std::string& s : f.overrides) args.insert(args.end(), {"--set", s});
  return args;
}

}  // namespace tickpath::config
