// Kernel housekeeping that interrupts the hot cpus: vmstat updates, timers armed there, the
// watchdogs' per-cpu timers, and RT throttling.
#include <algorithm>

#include <fmt/format.h>

#include "platform/audit/checks.hpp"

namespace tickpath::platform::audit {
namespace {

Row sysctl_row(const AuditContext& ctx, const std::string& key, bool (*good)(long long), const std::string& expected,
               const std::string& hint) {
  std::string path = "/proc/sys/" + key;
  for (char& ch : path) {
    if (ch == '.') ch = '/';
  }
  auto v = ctx.fs.read_int(path);
  if (!v) return skip_row(key, "no " + path, expected);
  if (good(*v)) return make_row(Status::pass, key, std::to_string(*v), expected, "");
  return make_row(Status::warn, key, std::to_string(*v), expected, hint);
}

Row soft_watchdog(const AuditContext& ctx) {
  const std::string name = "kernel.soft_watchdog";
  const std::string expected = "off, or watchdog_cpumask without hot cpus";
  auto watchdog = ctx.fs.read_int("/proc/sys/kernel/watchdog");
  auto soft = ctx.fs.read_int("/proc/sys/kernel/soft_watchdog");
  if (!watchdog && !soft) return skip_row(name, "no /proc/sys/kernel/watchdog (kernel without lockup detectors)", expected);
  const std::string found = fmt::format("watchdog={} soft_watchdog={}", watchdog ? std::to_string(*watchdog) : "-",
                                        soft ? std::to_string(*soft) : "-");
  if (watchdog.value_or(1) == 0 || soft.value_or(1) == 0) return make_row(Status::pass, name, found, expected, "");
  if (ctx.hot.empty()) return skip_row(name, found + "; " + ctx.no_plan_reason, expected);
  // The soft-lockup detector runs an hrtimer on every cpu of watchdog_cpumask (nohz_full cpus
  // are left out of its default).
  if (auto mask = ctx.fs.read("/proc/sys/kernel/watchdog_cpumask")) {
    const auto cpus = parse_cpu_list(*mask).value_or(std::vector<int>{});
    bool hot_in = false;
    for (int c : ctx.hot) hot_in = hot_in || std::find(cpus.begin(), cpus.end(), c) != cpus.end();
    const std::string with_mask = found + " watchdog_cpumask=" + join_cpus(cpus);
    if (!hot_in) return make_row(Status::pass, name, with_mask, expected, "");
    return make_row(Status::warn, name, with_mask, expected,
                    "sysctl -w kernel.soft_watchdog=0, or kernel.watchdog_cpumask=<housekeeping cpus> (boot: nowatchdog)");
  }
  return make_row(Status::warn, name, found, expected, "sysctl -w kernel.soft_watchdog=0 (boot: nowatchdog)");
}

}  // namespace

void add_kernel_checks(const AuditContext& ctx, std::vector<Row>& rows) {
  rows.push_back(sysctl_row(ctx, "vm.stat_interval", [](long long v) { return v >= 10; }, ">= 10 (s)",
                            "sysctl -w vm.stat_interval=10 (vmstat work wakes every cpu each interval)"));
  rows.push_back(sysctl_row(ctx, "kernel.timer_migration", [](long long v) { return v == 0; }, "0",
                            "sysctl -w kernel.timer_migration=0 (as tuned's network-latency profile)"));
  rows.push_back(sysctl_row(ctx, "kernel.nmi_watchdog", [](long long v) { return v == 0; }, "0",
                            "sysctl -w kernel.nmi_watchdog=0 (boot: nmi_watchdog=0; its perf NMI fires on every cpu)"));
  rows.push_back(soft_watchdog(ctx));
  rows.push_back(sysctl_row(ctx, "kernel.sched_rt_runtime_us", [](long long v) { return v == -1; }, "-1 (no RT throttling)",
                            "sysctl -w kernel.sched_rt_runtime_us=-1 (else a SCHED_FIFO spinner is stopped 50 ms of "
                            "every second; only safe with the hot cpus isolated)"));
}

}  // namespace tickpath::platform::audit
