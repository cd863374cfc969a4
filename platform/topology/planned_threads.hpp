#pragma once
// Every thread a run starts and the cpu it is confined to: printed by `tickpath topology`, and
// the list the integration test holds a running appliance to (no thread but the hot ones on a
// hot cpu). DPDK's and io_uring's threads are listed too: they are threads of this process, and
// where they run is the core plan's doing (platform/dpdk/eal.cpp, platform/uring/file_writer.cpp).
#include <string>
#include <vector>

#include "platform/topology/core_plan.hpp"

namespace tickpath::platform {

struct PlannedThread {
  std::string name;  // as /proc/<pid>/task/<tid>/comm shows it; "iou-wrk-*" stands for many
  int cpu = 0;
  std::string job;
};

// What the run's config switches on or off.
struct RunThreadSwitches {
  bool analytics = true;
  bool http = true;
  bool ack_log = false;
  bool preflight_jitter = true;
  bool preflight_c2c = true;
};

[[nodiscard]] std::vector<PlannedThread> planned_threads(const CorePlan& plan, const RunThreadSwitches& run);
// Starts with "threads:", one line per thread.
[[nodiscard]] std::string format_threads(const std::vector<PlannedThread>& threads);

}  // namespace tickpath::platform
