#include "platform/topology/planned_threads.hpp"

#include <fmt/format.h>

namespace tickpath::platform {

std::vector<PlannedThread> planned_threads(const CorePlan& p, const RunThreadSwitches& run) {
  std::vector<PlannedThread> out;
  if (p.hot_shared) {
    out.push_back({"tp-pmd-hot", p.ingest_cpu, "ingest and execution poll loops, alternating"});
  } else {
    out.push_back({"tp-pmd-ingest", p.ingest_cpu, "ingest poll loop"});
    out.push_back({"tp-pmd-exec", p.execution_cpu, "execution poll loop"});
  }
  const int hk = p.housekeeping_cpu;
  out.push_back({"tickpath", hk, "main thread: control loop, report writer (io_uring), EAL main lcore"});
  if (run.analytics) out.push_back({"tp-analytics", hk, "analytics consumer"});
  if (run.http) {
    out.push_back({"tp-http", hk, "HTTP listener (http.listen)"});
    out.push_back({"tp-http-req", hk, "HTTP request worker"});
  }
  if (run.ack_log) out.push_back({"tp-acklog", hk, "ack log writer (report.ack_log)"});
  out.push_back({"eal-intr-thread", hk, "DPDK: interrupts (link state)"});
  out.push_back({"rte_mp_handle", hk, "DPDK: multi-process channel"});
  out.push_back({"telemetry-v2", hk, "DPDK: telemetry socket (dpdk-telemetry.py)"});
  out.push_back({"iou-wrk-*", hk, "io_uring workers, only while a report write blocks"});
  // Before warmup, for a fraction of a second, then gone: the floor measured on the hot cpus.
  if (run.preflight_jitter) {
    out.push_back({fmt::format("tp-pmd-jit{}", p.ingest_cpu), p.ingest_cpu, "preflight: jitter, before warmup"});
    if (!p.hot_shared) {
      out.push_back({fmt::format("tp-pmd-jit{}", p.execution_cpu), p.execution_cpu, "preflight: jitter, before warmup"});
    }
  }
  if (run.preflight_c2c && !p.hot_shared) {
    out.push_back({"tp-pmd-c2c-a", p.ingest_cpu, "preflight: core-to-core, before warmup"});
    out.push_back({"tp-pmd-c2c-b", p.execution_cpu, "preflight: core-to-core, before warmup"});
  }
  return out;
}

std::string format_threads(const std::vector<PlannedThread>& threads) {
  std::string out = "threads:\n";
  for (const PlannedThread& t : threads) out += fmt::format("  {:<16} cpu {:<3} {}\n", t.name, t.cpu, t.job);
  return out;
}

}  // namespace tickpath::platform
