#pragma once
#include <string>
#include <vector>

namespace tickpath::app {

struct TopologyOptions {
  std::string config_path;
  std::vector<std::string> overrides;
};

// Prints the discovered machine and the core plan the config would get. Runs nothing.
int topology_command(const TopologyOptions& options);

}  // namespace tickpath::app
