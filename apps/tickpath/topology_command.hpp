#pragma once
#include <string>
#include <vector>

namespace tickpath::app {

struct TopologyOptions {
  std::string config_path;
  std::vector<std::string> overrides;
  std::string systemd_dropin;  // --systemd FILE ("-": stdout): the CPUAffinity= drop-in
  std::string tuned_dir;       // --tuned DIR ("-": stdout): DIR/tuned.conf of tickpath-cpu-partitioning
};

// Prints the discovered machine and the core plan the config would get. Runs nothing. With
// --systemd / --tuned, writes the plan's service files instead (topology printed only with files).
int topology_command(const TopologyOptions& options);

}  // namespace tickpath::app
