#include "apps/tickpath/settings.hpp"

#include <filesystem>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace tickpath::app {

std::variant<config::Startup, std::string> resolve_config(const std::string& config_path,
                                                          const std::vector<std::string>& overrides,
                                                          const RunOptions* cli) {
  std::vector<std::string> all = overrides;
  if (cli != nullptr) {
    if (cli->duration_s) all.push_back(fmt::format("run.duration_s={}", *cli->duration_s));
    if (cli->events) all.push_back(fmt::format("run.events={}", *cli->events));
    if (cli->rate_pps) all.push_back(fmt::format("run.rate_pps={}", *cli->rate_pps));
    if (cli->report_dir) all.push_back(fmt::format("report.dir={}", nlohmann::json(*cli->report_dir).dump()));
    // --run-folder puts the run's files exactly there (a --repeat or sweep child): the folder it
    // sits in is the report.dir that really held them, so the recorded config says that.
    if (cli->run_folder) {
      std::filesystem::path folder = std::filesystem::absolute(*cli->run_folder).lexically_normal();
      if (folder.filename().empty()) folder = folder.parent_path();  // "…/run-1/"
      const std::string parent = folder.parent_path().string();
      all.push_back(fmt::format("report.dir={}", nlohmann::json(parent).dump()));
    }
  }
  return config::load_startup(config_path, all);
}

}  // namespace tickpath::app
