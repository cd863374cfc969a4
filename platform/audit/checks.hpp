#pragma once
// Internal to the audit: what every check sees, and the groups of checks. Each group appends
// its rows in a fixed order so the table reads the same on every host.
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "platform/audit/host_fs.hpp"
#include "platform/audit/report.hpp"
#include "platform/topology/machine.hpp"

namespace tickpath::platform::audit {

struct AuditContext {
  const HostFs& fs;
  const Machine& machine;
  std::vector<int> hot;         // ingest and execution cpus; empty when there is no plan
  std::string no_plan_reason;   // why `hot` is empty
  int hot_node = -1;            // NUMA node of the ingest cpu
  int port_node = -1;           // port's NUMA node, -1 unknown or virtual
  bool hypervisor = false;      // "hypervisor" in /proc/cpuinfo flags
  std::vector<std::string> cpu_flags;
  std::map<std::string, std::string> cmdline;  // kernel parameters before "--"; bare ones map to ""
  std::string pci;
  std::string vdev;
  bool hugepages_required = false;
};

// Helpers shared by the groups.
[[nodiscard]] Row make_row(Status status, std::string name, std::string found, std::string expected,
                           std::string hint);
[[nodiscard]] Row skip_row(std::string name, std::string reason, std::string expected, std::string hint = {});
[[nodiscard]] std::string join_cpus(const std::vector<int>& cpus);  // "2,4"; "none" when empty
[[nodiscard]] bool has_flag(const AuditContext& ctx, const std::string& flag);
// The whitespace-separated fields of each line of a /proc table (/proc/mounts, /proc/swaps).
[[nodiscard]] std::vector<std::vector<std::string>> fields_per_line(const std::string& text, bool skip_header = false);
[[nodiscard]] std::optional<std::string> cmdline_param(const AuditContext& ctx, const std::string& key);

// One check: a row from what the host shows. A group runs its checks in a fixed order.
using Check = Row (*)(const AuditContext&);
void run_checks(const AuditContext& ctx, std::vector<Row>& rows, std::initializer_list<Check> checks);

void add_time_checks(const AuditContext& ctx, std::vector<Row>& rows);
void add_cpu_checks(const AuditContext& ctx, std::vector<Row>& rows);
void add_irq_checks(const AuditContext& ctx, std::vector<Row>& rows);
void add_memory_checks(const AuditContext& ctx, std::vector<Row>& rows);
void add_kernel_checks(const AuditContext& ctx, std::vector<Row>& rows);
void add_port_checks(const AuditContext& ctx, std::vector<Row>& rows);

}  // namespace tickpath::platform::audit
