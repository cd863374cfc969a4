// Interrupts: the default affinity new IRQs get, each IRQ's allowed cpus, and irqbalance, which
// would move them back onto the hot cpus.
#include <algorithm>
#include <utility>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "platform/audit/checks.hpp"

namespace tickpath::platform::audit {
namespace {

bool overlaps(const std::vector<int>& a, const std::vector<int>& b) {
  return std::any_of(a.begin(), a.end(), [&b](int x) { return std::find(b.begin(), b.end(), x) != b.end(); });
}

// Every cpu of the machine that is not hot: where interrupts belong.
std::string housekeeping_list(const AuditContext& ctx) {
  std::vector<int> out;
  for (const Cpu& c : ctx.machine.cpus) {
    if (std::find(ctx.hot.begin(), ctx.hot.end(), c.os_index) == ctx.hot.end()) out.push_back(c.os_index);
  }
  return join_cpus(out);
}

bool is_number(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
}

// (n, first line of DIR/n/FILE) for every numbered entry of DIR whose FILE can be read: the
// IRQs of /proc/irq, the processes of /proc.
std::vector<std::pair<std::string, std::string>> numbered_entries(const HostFs& fs, const std::string& dir,
                                                                  const std::string& file) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const std::string& entry : fs.list(dir)) {
    if (!is_number(entry)) continue;
    if (auto line = fs.read_line(dir + "/" + entry + "/" + file)) out.emplace_back(entry, std::move(*line));
  }
  return out;
}

Row default_affinity(const AuditContext& ctx) {
  const std::string name = "irq.default_affinity";
  const std::string path = "/proc/irq/default_smp_affinity";
  const std::string expected = "excludes hot cpus " + join_cpus(ctx.hot);
  if (ctx.hot.empty()) return skip_row(name, ctx.no_plan_reason, "excludes hot cpus");
  auto text = ctx.fs.read_line(path);
  if (!text) return skip_row(name, "no " + path, expected);
  auto cpus = parse_cpu_mask(*text);
  if (!cpus) return make_row(Status::warn, name, "unreadable mask '" + *text + "'", expected, "check " + path);
  const std::string found = fmt::format("mask {} = cpus {}", *text, join_cpus(*cpus));
  if (!overlaps(*cpus, ctx.hot)) return make_row(Status::pass, name, found, expected, "");
  return make_row(Status::fail, name, found, expected,
                  fmt::format("write a mask of cpus {} to {} (tuned cpu-partitioning does)", housekeeping_list(ctx), path));
}

Row irq_affinity(const AuditContext& ctx) {
  const std::string name = "irq.affinity";
  const std::string expected = "no IRQ allowed on hot cpus";
  if (ctx.hot.empty()) return skip_row(name, ctx.no_plan_reason, expected);
  std::vector<int> on_hot;
  const auto irqs = numbered_entries(ctx.fs, "/proc/irq", "smp_affinity_list");
  const std::size_t total = irqs.size();
  for (const auto& [irq, cpus] : irqs) {
    if (overlaps(parse_cpu_list(cpus).value_or(std::vector<int>{}), ctx.hot)) on_hot.push_back(std::stoi(irq));
  }
  std::sort(on_hot.begin(), on_hot.end());
  if (total == 0) return skip_row(name, "no /proc/irq/<n>/smp_affinity_list", expected);
  if (on_hot.empty()) return make_row(Status::pass, name, fmt::format("{} IRQs, none on hot cpus", total), expected, "");
  constexpr std::size_t kShown = 8;
  std::string listed = fmt::format("{}", fmt::join(on_hot.begin(), on_hot.begin() + static_cast<long>(std::min(on_hot.size(), kShown)), ","));
  if (on_hot.size() > kShown) listed += fmt::format(",+{}", on_hot.size() - kShown);
  return make_row(Status::fail, name, fmt::format("{} of {} IRQs allowed on hot cpus: {}", on_hot.size(), total, listed),
                  expected,
                  fmt::format("echo {} > /proc/irq/<n>/smp_affinity_list for each (managed IRQs: isolcpus=managed_irq,...)",
                              housekeeping_list(ctx)));
}

Row irqbalance(const AuditContext& ctx) {
  const std::string name = "irq.irqbalance";
  const std::string expected = "not running";
  const auto processes = numbered_entries(ctx.fs, "/proc", "comm");
  for (const auto& [pid, comm] : processes) {
    if (comm == "irqbalance") {
      return make_row(Status::warn, name, "running (pid " + pid + ")", expected,
                      "systemctl disable --now irqbalance, or IRQBALANCE_BANNED_CPULIST=" + join_cpus(ctx.hot) +
                          " in /etc/default/irqbalance");
    }
  }
  if (processes.empty()) return skip_row(name, "no /proc/<pid>/comm readable", expected);
  return make_row(Status::pass, name, fmt::format("not among {} processes", processes.size()), expected, "");
}

}  // namespace

void add_irq_checks(const AuditContext& ctx, std::vector<Row>& rows) {
  run_checks(ctx, rows, {default_affinity, irq_affinity, irqbalance});
}

}  // namespace tickpath::platform::audit
