// tickpath: parse, build, run. Each subcommand lives in its own file; this one only dispatches.
#include <exception>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "apps/tickpath/build_info.hpp"
#include "apps/tickpath/cli_error.hpp"
#include "apps/tickpath/command_line.hpp"
#include "apps/tickpath/repeat_command.hpp"
#include "config/arguments.hpp"

int tickpath_main(int argc, char** argv) {
  using namespace tickpath::app;

  const auto [cli_argc, eal_extra] = tickpath::config::split_eal_arguments(argc, argv);

  CLI::App app{"tickpath: a kernel-bypass reference appliance for low-latency infrastructure"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("tickpath ") + build_version() + " (git " + build_commit() + ")",
                       "print the version and the git commit it was built from");

  CommandLine c;
  c.run.eal_extra = c.sweep.eal_extra = c.gen.eal_extra = eal_extra;
  add_commands(app, c);
  const bool parsing_audit = argc > 1 && std::string(argv[1]) == "audit";

  if (const auto bad = tickpath::config::first_non_utf8_argument(std::vector<std::string>(argv + 1, argv + argc))) {
    return fail(parsing_audit ? kAuditUsageError : 2,
                fmt::format("{}: not valid UTF-8 (tickpath writes every value into UTF-8 JSON)", *bad));
  }
  std::vector<std::string> known;
  for (const CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) known.push_back(sub->get_name());
  if (cli_argc > 1) {  // CLI11 says only "A subcommand is required" for a word it does not know
    if (const auto unknown = tickpath::config::unknown_subcommand(argv[1], known)) return fail(2, *unknown);
  }
  try {
    app.parse(cli_argc, argv);
  } catch (const CLI::ParseError& e) {
    // CLI11 returns 0 for --help, 106/109 etc. for usage errors: map usage errors to 2, the
    // convention for "bad input, nothing was started" (64 for audit, see above).
    const int code = app.exit(e);
    if (code == 0) return 0;
    return parsing_audit ? kAuditUsageError : 2;
  }

  if (*c.run_cmd) return c.repeat ? repeat_command(c.run, *c.repeat) : run_command(c.run);
  if (*c.topo_cmd) return topology_command(c.topo);
  if (*c.audit_cmd) return audit_command(c.audit);
  if (*c.jitter_cmd) return jitter_command(c.jit);
  if (*c.c2c_cmd) return c2c_command(c.c2c);
  if (*c.sweep_cmd) return sweep_command(c.sweep);
  if (*c.report_cmd) return report_command(c.report_opts);
  if (*c.compare_cmd) return compare_command(c.compare_opts);
  if (*c.acks_cmd) return acks_command(c.acks);
  if (*c.selftest_cmd) return selftest_command(c.selftest);
  if (*c.gen_cmd) return gen_command(c.gen);
  return 2;
}

// A last resort: every expected failure is a named error and an exit code from the command itself.
// Anything that still escapes is a bug; it gets one clean line and exit 1, never std::terminate.
int main(int argc, char** argv) {
  try {
    return tickpath_main(argc, argv);
  } catch (const std::exception& e) {
    return tickpath::app::fail(1, fmt::format("internal error (a bug, please report it): {}", e.what()));
  } catch (...) {
    return tickpath::app::fail(1, "internal error (a bug, please report it): unknown exception");
  }
}
