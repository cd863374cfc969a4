#pragma once
// The config a command starts from: the file (or the built-in defaults), --set overrides, then
// `tickpath run`'s own flags. Resolving it is where bad input is rejected (exit 2).
#include <string>
#include <variant>
#include <vector>

#include "apps/tickpath/run_command.hpp"
#include "config/startup.hpp"

namespace tickpath::app {

// `cli`'s flags (--duration, --events, --rate, --report-dir, --run-folder) are applied last, as
// --set overrides, so a bad value names its key and summary.json's effective config is exactly
// what ran. `cli` null: the config and --set only (topology, audit). Error: the message.
[[nodiscard]] std::variant<config::Startup, std::string> resolve_config(const std::string& config_path,
                                                                        const std::vector<std::string>& overrides,
                                                                        const RunOptions* cli);

}  // namespace tickpath::app
