// `tickpath topology`: the machine as hwloc and the kernel see it, and the core plan the config
// would get, and every thread a run would start. Starts nothing (no EAL, no threads), so it is safe on a production box.
#include "apps/tickpath/topology_command.hpp"

#include <filesystem>

#include <fmt/format.h>

#include "config/startup.hpp"
#include "platform/topology/core_plan.hpp"
#include "platform/topology/core_request.hpp"
#include "platform/topology/format.hpp"
#include "platform/topology/machine.hpp"
#include "platform/topology/planned_threads.hpp"
#include "platform/topology/service_files.hpp"
#include "platform/uring/text_file.hpp"

namespace tickpath::app {
namespace {

// "-": stdout. Otherwise the file, its parent folders created. Returns an error text.
std::string write_text(const std::string& path, const std::string& text) {
  if (path == "-") {
    fmt::print("{}", text);
    return {};
  }
  std::string e = platform::write_text_file(path, text, true);
  if (e.empty()) fmt::print(stderr, "tickpath: wrote {}\n", path);
  return e;
}

}  // namespace

int topology_command(const TopologyOptions& options) {
  auto resolved = config::load_startup(options.config_path, options.overrides);
  if (auto* error = std::get_if<std::string>(&resolved)) {
    fmt::print(stderr, "tickpath: {}\n", *error);
    return 2;
  }
  const config::Config& c = std::get<config::Startup>(resolved).config;
  const platform::Machine machine = platform::discover_machine();
  // Service files only: their text may go to stdout, so nothing else is printed there.
  const bool files_only = !options.systemd_dropin.empty() || !options.tuned_dir.empty();
  if (!files_only) fmt::print("{}\n", platform::format_machine(machine));

  const platform::CoreRequest request = platform::core_request(c);
  const std::string pci = config::ingest_line(c, 0).pci;
  if (!pci.empty()) fmt::print("port {}: NUMA node {}\n", pci, request.nic_numa_node);
  auto planned = platform::plan_cores(machine, request);
  if (auto* error = std::get_if<std::string>(&planned)) {
    fmt::print(stderr, "tickpath: {}\n", *error);
    return 2;
  }
  const platform::CorePlan& plan = std::get<platform::CorePlan>(planned);
  if (!files_only) {
    fmt::print("{}", platform::format_plan(plan));
    fmt::print("{}", platform::format_threads(platform::planned_threads(plan, platform::run_thread_switches(c))));
    return 0;
  }
  if (!options.systemd_dropin.empty()) {
    if (std::string e = write_text(options.systemd_dropin, platform::systemd_affinity_dropin(machine, plan)); !e.empty()) {
      fmt::print(stderr, "tickpath: --systemd: {}\n", e);
      return 1;
    }
  }
  if (!options.tuned_dir.empty()) {
    const std::string path = options.tuned_dir == "-" ? "-" : (std::filesystem::path(options.tuned_dir) / "tuned.conf").string();
    if (std::string e = write_text(path, platform::tuned_profile(plan)); !e.empty()) {
      fmt::print(stderr, "tickpath: --tuned: {}\n", e);
      return 1;
    }
  }
  return 0;
}

}  // namespace tickpath::app
