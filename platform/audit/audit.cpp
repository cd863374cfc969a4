#include "platform/audit/audit.hpp"

#include <algorithm>
#include <sstream>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "platform/audit/checks.hpp"
#include "platform/audit/host_machine.hpp"

namespace tickpath::platform::audit {

Row make_row(Status status, std::string name, std::string found, std::string expected, std::string hint) {
  return Row{status, std::move(name), std::move(found), std::move(expected), std::move(hint)};
}

Row skip_row(std::string name, std::string reason, std::string expected, std::string hint) {
  return Row{Status::skip, std::move(name), std::move(reason), std::move(expected), std::move(hint)};
}

void run_checks(const AuditContext& ctx, std::vector<Row>& rows, std::initializer_list<Check> checks) {
  for (const Check check : checks) rows.push_back(check(ctx));
}

std::vector<std::vector<std::string>> fields_per_line(const std::string& text, bool skip_header) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream lines(text);
  std::string line;
  if (skip_header) std::getline(lines, line);
  while (std::getline(lines, line)) {
    std::istringstream in(line);
    std::vector<std::string> fields;
    for (std::string field; in >> field;) fields.push_back(std::move(field));
    rows.push_back(std::move(fields));
  }
  return rows;
}

std::string join_cpus(const std::vector<int>& cpus) {
  return cpus.empty() ? std::string("none") : fmt::format("{}", fmt::join(cpus, ","));
}

bool has_flag(const AuditContext& ctx, const std::string& flag) {
  return std::find(ctx.cpu_flags.begin(), ctx.cpu_flags.end(), flag) != ctx.cpu_flags.end();
}

std::optional<std::string> cmdline_param(const AuditContext& ctx, const std::string& key) {
  auto it = ctx.cmdline.find(key);
  if (it == ctx.cmdline.end()) return std::nullopt;
  return it->second;
}

namespace {

std::vector<std::string> read_cpu_flags(const HostFs& fs) {
  std::vector<std::string> flags;
  auto cpuinfo = fs.read("/proc/cpuinfo");
  if (!cpuinfo) return flags;
  std::istringstream lines(*cpuinfo);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("flags", 0) != 0) continue;
    std::istringstream words(line.substr(line.find(':') == std::string::npos ? line.size() : line.find(':') + 1));
    for (std::string w; words >> w;) flags.push_back(w);
    break;  // the first cpu's flags; the kernel reports the common set on every line
  }
  return flags;
}

// Kernel parameters up to "--" (what follows goes to init). The last occurrence wins, as in the
// kernel's own parsing of most parameters.
std::map<std::string, std::string> read_cmdline(const HostFs& fs) {
  std::map<std::string, std::string> params;
  auto text = fs.read("/proc/cmdline");
  if (!text) return params;
  std::istringstream words(*text);
  for (std::string w; words >> w;) {
    if (w == "--") break;
    const auto eq = w.find('=');
    params[w.substr(0, eq)] = eq == std::string::npos ? std::string() : w.substr(eq + 1);
  }
  return params;
}

Row plan_row(const std::optional<CorePlan>& plan, const std::string& error) {
  const std::string expected = "ingest, execution, hk apart";
  if (!plan) {
    return make_row(Status::fail, "cores.plan", error, expected, "set cores.ingest / cores.execution to cpus of this host");
  }
  const std::string found = fmt::format("ingest {}, execution {}, housekeeping {}", plan->ingest_cpu,
                                        plan->execution_cpu, plan->housekeeping_cpu);
  if (plan->hot_shared || plan->housekeeping_shared_with_hot) {
    return make_row(Status::warn, "cores.plan", found + (plan->hot_shared ? " (hot roles share a cpu)" : " (housekeeping on a hot cpu)"),
                    expected, "a host with at least 3 usable cpus; see `tickpath topology`");
  }
  return make_row(Status::pass, "cores.plan", found, expected, "");
}

}  // namespace

AuditReport run_audit(const AuditRequest& request) {
  const HostFs fs(request.root);
  const Machine machine = audit_machine(fs);

  AuditReport report;
  report.root = fs.root();

  CoreRequest cores = request.cores;
  const int port_node = request.pci.empty() ? -1 : static_cast<int>(
      fs.read_int("/sys/bus/pci/devices/" + request.pci + "/numa_node").value_or(-1));
  cores.nic_numa_node = port_node;
  // The audit reports isolation as its own check instead of refusing to plan.
  cores.require_isolated = false;
  std::string plan_error;
  if (machine.cpus.empty()) {
    plan_error = "no cpus found under " + fs.root() + "/sys/devices/system/cpu";
  } else {
    auto planned = plan_cores(machine, cores);
    if (auto* p = std::get_if<CorePlan>(&planned)) {
      report.plan = *p;
    } else {
      plan_error = std::get<std::string>(planned);
    }
  }

  AuditContext ctx{fs, machine, {}, {}, -1, port_node, false, read_cpu_flags(fs), read_cmdline(fs),
                   request.pci, request.vdev, request.hugepages_required};
  ctx.hypervisor = has_flag(ctx, "hypervisor");
  if (report.plan) {
    ctx.hot = {report.plan->ingest_cpu};
    if (report.plan->execution_cpu != report.plan->ingest_cpu) ctx.hot.push_back(report.plan->execution_cpu);
    if (const Cpu* c = machine.find(report.plan->ingest_cpu)) ctx.hot_node = c->numa_node;
  } else {
    ctx.no_plan_reason = "no core plan (see cores.plan)";
  }
  report.hot_cpus = ctx.hot;

  report.rows.push_back(plan_row(report.plan, plan_error));
  add_time_checks(ctx, report.rows);
  add_cpu_checks(ctx, report.rows);
  add_irq_checks(ctx, report.rows);
  add_memory_checks(ctx, report.rows);
  add_kernel_checks(ctx, report.rows);
  add_port_checks(ctx, report.rows);
  return report;
}

}  // namespace tickpath::platform::audit
