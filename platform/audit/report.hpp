#pragma once
// One audit row per check, and the three ways out of it: the table for people, JSON for scripts,
// and the exit code (0 all PASS/SKIP, 1 some WARN, 2 some FAIL), in the style of
// `tuned-adm verify`.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "platform/topology/core_plan.hpp"

namespace tickpath::platform::audit {

// Ordered by severity: the worst row decides the exit code.
enum class Status { pass, skip, warn, fail };

struct Row {
  Status status = Status::skip;
  std::string name;      // stable, dotted: "cpu.isolated", "port.driver"
  std::string found;     // what the host has; for SKIP, why the check cannot apply here
  std::string expected;  // what a low-latency host has
  std::string hint;      // how to fix: the sysfs/procfs path, kernel parameter or command
};

struct AuditReport {
  std::string root;
  std::optional<CorePlan> plan;  // absent when the config's cores cannot be planned
  std::vector<int> hot_cpus;
  std::vector<Row> rows;
};

[[nodiscard]] std::string_view status_name(Status status) noexcept;  // "PASS", "WARN", ...
[[nodiscard]] int exit_code(const std::vector<Row>& rows) noexcept;

// One line per check: status, name, found, expected, hint; then a count line.
[[nodiscard]] std::string format_table(const AuditReport& report);

// {"schema": "tickpath.audit/1", "root", "plan", "hot_cpus", "summary": {pass, warn, fail, skip,
// exit_code}, "checks": [{status, name, found, expected, hint}]} (docs/tuning.md).
[[nodiscard]] nlohmann::ordered_json to_json(const AuditReport& report);

}  // namespace tickpath::platform::audit
