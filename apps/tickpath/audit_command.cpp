// `tickpath audit`: the host preflight. Resolves the config like `tickpath run` (same cores, same
// port), hands the audit library what it needs, prints the rows. Starts nothing: no EAL, no
// threads, no writes, so it is safe on a production box.
#include "apps/tickpath/audit_command.hpp"

#include <filesystem>

#include <fmt/format.h>

#include "config/startup.hpp"
#include "platform/audit/audit.hpp"
#include "platform/topology/core_request.hpp"

namespace tickpath::app {

int audit_command(const AuditOptions& options) {
  auto resolved = config::load_startup(options.config_path, options.overrides);
  if (auto* error = std::get_if<std::string>(&resolved)) {
    fmt::print(stderr, "tickpath audit: {}\n", *error);
    return kAuditUsageError;
  }
  std::error_code ec;
  if (!std::filesystem::is_directory(options.root, ec)) {
    fmt::print(stderr, "tickpath audit: --root {}: not a directory\n", options.root);
    return kAuditUsageError;
  }
  const config::Config& c = std::get<config::Startup>(resolved).config;
  const config::Config::Ingest::Line port = config::ingest_line(c, 0);
  platform::audit::AuditRequest request;
  request.root = options.root;
  request.cores = platform::core_request(c);  // run_audit sets the node from the port and drops require_isolated
  request.pci = port.pci;
  request.vdev = port.vdev;
  request.hugepages_required = c.eal.hugepages == config::HugepagePolicy::required;

  const platform::audit::AuditReport report = platform::audit::run_audit(request);
  if (options.json) {
    fmt::print("{}\n", platform::audit::to_json(report).dump(2));
  } else {
    fmt::print("{}", platform::audit::format_table(report));
  }
  return platform::audit::exit_code(report.rows);
}

}  // namespace tickpath::app
