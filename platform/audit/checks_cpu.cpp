// The hot cpus: isolation from the scheduler, the tick and RCU callbacks; frequency; idle
// states; and what runs on their SMT siblings.
#include <algorithm>
#include <cstdint>
#include <cstring>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "platform/audit/checks.hpp"

namespace tickpath::platform::audit {
namespace {

bool contains(const std::vector<int>& v, int x) { return std::find(v.begin(), v.end(), x) != v.end(); }

std::string cpu_dir(int cpu) { return fmt::format("/sys/devices/system/cpu/cpu{}", cpu); }

// The hot cpus missing from `list`.
std::vector<int> missing_from(const std::vector<int>& hot, const std::vector<int>& list) {
  std::vector<int> out;
  for (int c : hot) {
    if (!contains(list, c)) out.push_back(c);
  }
  return out;
}

std::optional<std::vector<int>> read_list(const AuditContext& ctx, const std::string& path) {
  auto text = ctx.fs.read(path);
  if (!text) return std::nullopt;
  // Kernels without the parameter print "(null)" in some versions, nothing in others.
  if (text->rfind("(null)", 0) == 0) return std::vector<int>{};
  return parse_cpu_list(*text).value_or(std::vector<int>{});
}

Row membership(const AuditContext& ctx, const std::string& name, const std::string& path, Status if_missing,
               const std::string& param) {
  const std::string expected = "hot cpus " + join_cpus(ctx.hot);
  if (ctx.hot.empty()) return skip_row(name, ctx.no_plan_reason, "hot cpus listed");
  auto list = read_list(ctx, path);
  if (!list) return skip_row(name, "no " + path + " (kernel without it)", expected, "boot with " + param + "=" + join_cpus(ctx.hot));
  const auto missing = missing_from(ctx.hot, *list);
  const std::string found = "listed: " + join_cpus(*list);
  if (missing.empty()) return make_row(Status::pass, name, found, expected, "");
  // managed_irq keeps managed (per-queue) device interrupts off the list too; domain is the default.
  const std::string flags = param == "isolcpus" ? "managed_irq,domain," : "";
  return make_row(if_missing, name, found, expected,
                  fmt::format("boot with {}={}{} ({}{})", param, flags, join_cpus(ctx.hot), path,
                              param == "isolcpus" ? "; or the tuned profile tickpath-cpu-partitioning: tickpath topology --tuned "
                                                          "/etc/tuned/tickpath-cpu-partitioning && tuned-adm profile "
                                                          "tickpath-cpu-partitioning, reboot" : ""));
}

// A cpu list as the kernel parses it on its command line: besides "2-5,8" it accepts "all" and
// "N" for the last cpu ("1-N").
std::vector<int> parse_kernel_cpu_list(const AuditContext& ctx, std::string text) {
  int last = 0;
  for (const Cpu& c : ctx.machine.cpus) last = std::max(last, c.os_index);
  if (text == "all") text = fmt::format("0-{}", last);
  for (std::size_t at = text.find('N'); at != std::string::npos; at = text.find('N')) {
    text.replace(at, 1, std::to_string(last));
  }
  return parse_cpu_list(text).value_or(std::vector<int>{});
}

Row rcu_nocbs(const AuditContext& ctx) {
  const std::string name = "cpu.rcu_nocbs";
  const std::string expected = "hot cpus " + join_cpus(ctx.hot);
  if (ctx.hot.empty()) return skip_row(name, ctx.no_plan_reason, "hot cpus offloaded");
  if (!ctx.fs.exists("/proc/cmdline")) return skip_row(name, "no /proc/cmdline", expected);
  // nohz_full= implies rcu_nocbs= for the same cpus (Documentation/timers/no_hz.rst).
  std::vector<int> offloaded;
  std::string found;
  for (const char* key : {"rcu_nocbs", "nohz_full"}) {
    if (auto v = cmdline_param(ctx, key)) {
      const auto cpus = parse_kernel_cpu_list(ctx, *v);
      offloaded.insert(offloaded.end(), cpus.begin(), cpus.end());
      found += fmt::format("{}{}={}", found.empty() ? "" : " ", key, v->empty() ? "(no list)" : *v);
    }
  }
  if (found.empty()) found = "neither rcu_nocbs= nor nohz_full= in /proc/cmdline";
  if (missing_from(ctx.hot, offloaded).empty()) return make_row(Status::pass, name, found, expected, "");
  return make_row(Status::warn, name, found, expected, "boot with rcu_nocbs=" + join_cpus(ctx.hot) + " (and rcu_nocb_poll)");
}

// Reads one cpufreq file for every hot cpu; nullopt when any is missing.
std::optional<std::vector<std::string>> per_hot(const AuditContext& ctx, const std::string& file) {
  std::vector<std::string> out;
  for (int c : ctx.hot) {
    auto v = ctx.fs.read_line(cpu_dir(c) + "/cpufreq/" + file);
    if (!v) return std::nullopt;
    out.push_back(*v);
  }
  return out;
}

std::string no_cpufreq_reason(const AuditContext& ctx) {
  return ctx.hypervisor ? "VM (hypervisor flag): the host controls frequency"
                        : "no cpufreq for the hot cpus: firmware controls frequency (check the BIOS power profile)";
}

Row governor(const AuditContext& ctx) {
  const std::string name = "cpufreq.governor";
  if (ctx.hot.empty()) return skip_row(name, ctx.no_plan_reason, "performance");
  auto govs = per_hot(ctx, "scaling_governor");
  if (!govs) return skip_row(name, no_cpufreq_reason(ctx), "performance");
  std::vector<std::string> parts;
  bool ok = true;
  for (std::size_t i = 0; i < ctx.hot.size(); ++i) {
    parts.push_back(fmt::format("cpu{} {}", ctx.hot[i], (*govs)[i]));
    ok = ok && (*govs)[i] == "performance";
  }
  return make_row(ok ? Status::pass : Status::warn, name, fmt::format("{}", fmt::join(parts, ", ")), "performance",
                  ok ? "" : fmt::format("echo performance > {}/cpufreq/scaling_governor (or cpupower frequency-set -g performance)",
                                        cpu_dir(ctx.hot.front())));
}

Row frequency_range(const AuditContext& ctx) {
  const std::string name = "cpufreq.range";
  const std::string expected = "scaling_min_freq = scaling_max_freq";
  if (ctx.hot.empty()) return skip_row(name, ctx.no_plan_reason, expected);
  auto lo = per_hot(ctx, "scaling_min_freq");
  auto hi = per_hot(ctx, "scaling_max_freq");
  if (!lo || !hi) return skip_row(name, no_cpufreq_reason(ctx), expected);
  std::vector<std::string> parts;
  bool ok = true;
  for (std::size_t i = 0; i < ctx.hot.size(); ++i) {
    parts.push_back(fmt::format("cpu{} {}-{} kHz", ctx.hot[i], (*lo)[i], (*hi)[i]));
    ok = ok && (*lo)[i] == (*hi)[i];
  }
  return make_row(ok ? Status::pass : Status::warn, name, fmt::format("{}", fmt::join(parts, ", ")), expected,
                  ok ? "" : fmt::format("cat {0}/cpufreq/scaling_max_freq > {0}/cpufreq/scaling_min_freq", cpu_dir(ctx.hot.front())));
}

Row turbo(const AuditContext& ctx) {
  const std::string name = "cpufreq.turbo";
  const std::string pstate = "/sys/devices/system/cpu/intel_pstate/no_turbo";
  const std::string boost = "/sys/devices/system/cpu/cpufreq/boost";
  if (auto no_turbo = ctx.fs.read_int(pstate)) {
    if (*no_turbo == 1) return make_row(Status::pass, name, "intel_pstate no_turbo=1", "turbo off", "");
    return make_row(Status::warn, name, "intel_pstate no_turbo=0 (turbo on)", "turbo off",
                    "echo 1 > " + pstate + " (turbo frequency drifts with temperature and load on other cores)");
  }
  if (auto b = ctx.fs.read_int(boost)) {
    if (*b == 0) return make_row(Status::pass, name, "cpufreq boost=0", "turbo off", "");
    return make_row(Status::warn, name, "cpufreq boost=1 (turbo on)", "turbo off",
                    "echo 0 > " + boost + " (boost frequency drifts with temperature and load on other cores)");
  }
  return skip_row(name, ctx.hypervisor ? "VM (hypervisor flag): the host controls turbo"
                                       : "neither " + pstate + " nor " + boost + ": check the BIOS",
                  "turbo off");
}

// The system-wide PM QoS cpu latency limit in us. The device returns it as a binary s32; a
// fixture tree stores it as text.
std::optional<long long> cpu_latency_qos_us(const HostFs& fs) {
  auto raw = fs.read("/dev/cpu_dma_latency");
  if (!raw) return std::nullopt;
  if (fs.is_live()) {
    if (raw->size() != sizeof(std::int32_t)) return std::nullopt;
    std::int32_t v = 0;
    std::memcpy(&v, raw->data(), sizeof v);
    return v;
  }
  return parse_int(*raw);
}

Row deep_cstates(const AuditContext& ctx) {
  const std::string name = "cpuidle.deep_states";
  // Deeper than C1: exit latency above 2 us (C1 is 1-2 us on Intel and AMD; C1E is 10, C6 ~100).
  constexpr long long kDeepLatencyUs = 2;
  const std::string expected = fmt::format("no enabled state with exit latency > {} us", kDeepLatencyUs);
  if (ctx.hot.empty()) return skip_row(name, ctx.no_plan_reason, expected);
  for (const char* key : {"intel_idle.max_cstate", "processor.max_cstate"}) {
    if (auto v = cmdline_param(ctx, key); v && parse_int(*v).value_or(99) <= 1) {
      return make_row(Status::pass, name, fmt::format("{}={} on the kernel command line", key, *v), expected, "");
    }
  }
  if (auto v = cmdline_param(ctx, "idle"); v && *v == "poll") {
    return make_row(Status::pass, name, "idle=poll on the kernel command line", expected, "");
  }
  // tuned's latency profiles hold /dev/cpu_dma_latency open with a small value (PM QoS) instead
  // of disabling states: the governor then never picks a state whose exit latency is above it.
  const auto qos_limit_us = cpu_latency_qos_us(ctx.fs);
  std::vector<std::string> enabled_deep;
  bool any_state = false;
  bool limited_by_qos = false;
  int first_deep_state = -1;
  for (int c : ctx.hot) {
    const std::string dir = cpu_dir(c) + "/cpuidle";
    for (const std::string& entry : ctx.fs.list(dir)) {
      if (entry.rfind("state", 0) != 0) continue;
      any_state = true;
      const std::string s = dir + "/" + entry;
      const auto latency = ctx.fs.read_int(s + "/latency").value_or(0);
      const auto disabled = ctx.fs.read_int(s + "/disable").value_or(0);
      if (latency > kDeepLatencyUs && disabled == 0 && qos_limit_us && latency > *qos_limit_us) {
        limited_by_qos = true;
        continue;
      }
      if (latency > kDeepLatencyUs && disabled == 0) {
        enabled_deep.push_back(fmt::format("cpu{} {}({}us)", c, ctx.fs.read_line(s + "/name").value_or(entry), latency));
        if (first_deep_state < 0) first_deep_state = static_cast<int>(parse_int(entry.substr(5)).value_or(0));
      }
    }
  }
  if (!any_state) {
    const auto driver = ctx.fs.read_line("/sys/devices/system/cpu/cpuidle/current_driver");
    return skip_row(name, fmt::format("no cpuidle states for the hot cpus (driver: {}){}", driver.value_or("none"),
                                      ctx.hypervisor ? "; VM: the host decides the physical C-state" : ""),
                    expected);
  }
  if (enabled_deep.empty()) {
    return make_row(Status::pass, name,
                    limited_by_qos ? fmt::format("deep states held off by PM QoS: /dev/cpu_dma_latency = {} us", *qos_limit_us)
                                   : std::string("deep states disabled"),
                    expected, "");
  }
  return make_row(Status::warn, name, fmt::format("{}", fmt::join(enabled_deep, " ")), expected,
                  fmt::format("echo 1 > {}/cpuidle/state{}/disable for each deep state (boot: intel_idle.max_cstate=1 "
                              "processor.max_cstate=1)",
                              cpu_dir(ctx.hot.front()), first_deep_state));
}

Row smt_siblings(const AuditContext& ctx) {
  const std::string name = "smt.siblings";
  const std::string expected = "each hot cpu's sibling isolated and not hot";
  if (ctx.hot.empty()) return skip_row(name, ctx.no_plan_reason, expected);
  if (ctx.hypervisor) {
    return skip_row(name, "VM (hypervisor flag): vCPU siblings need not be the host's; check the host's pinning", expected);
  }
  if (auto control = ctx.fs.read_line("/sys/devices/system/cpu/smt/control"); control && (*control == "off" || *control == "forceoff" || *control == "notsupported")) {
    return make_row(Status::pass, name, "SMT " + *control, expected, "");
  }
  std::vector<std::string> problems, fine;
  for (int c : ctx.hot) {
    const Cpu* cpu = ctx.machine.find(c);
    if (cpu == nullptr) continue;
    for (int s : cpu->smt_siblings) {
      if (contains(ctx.hot, s)) {
        problems.push_back(fmt::format("cpu{}'s sibling cpu{} is the other hot cpu", c, s));
      } else if (!contains(ctx.machine.isolated, s)) {
        problems.push_back(fmt::format("cpu{}'s sibling cpu{} not isolated", c, s));
      } else {
        fine.push_back(fmt::format("cpu{}~cpu{} isolated", c, s));
      }
    }
  }
  if (problems.empty()) {
    return make_row(Status::pass, name, fine.empty() ? std::string("no SMT siblings") : fmt::format("{}", fmt::join(fine, ", ")),
                    expected, "");
  }
  return make_row(Status::warn, name, fmt::format("{}", fmt::join(problems, "; ")), expected,
                  "isolate the siblings too (thread_siblings_list), or echo off > /sys/devices/system/cpu/smt/control");
}

Row isolated(const AuditContext& ctx) {
  return membership(ctx, "cpu.isolated", "/sys/devices/system/cpu/isolated", Status::fail, "isolcpus");
}

Row nohz_full(const AuditContext& ctx) {
  return membership(ctx, "cpu.nohz_full", "/sys/devices/system/cpu/nohz_full", Status::warn, "nohz_full");
}

}  // namespace

void add_cpu_checks(const AuditContext& ctx, std::vector<Row>& rows) {
  run_checks(ctx, rows, {isolated, nohz_full, rcu_nocbs, governor, frequency_range, turbo, deep_cstates, smt_siblings});
}

}  // namespace tickpath::platform::audit
