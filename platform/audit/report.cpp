#include "platform/audit/report.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace tickpath::platform::audit {

std::string_view status_name(Status status) noexcept {
  switch (status) {
    case Status::pass: return "PASS";
    case Status::skip: return "SKIP";
    case Status::warn: return "WARN";
    case Status::fail: return "FAIL";
  }
  return "?";
}

int exit_code(const std::vector<Row>& rows) noexcept {
  Status worst = Status::pass;
  for (const Row& r : rows) worst = std::max(worst, r.status);
  switch (worst) {
    case Status::fail: return 2;
    case Status::warn: return 1;
    default: return 0;
  }
}

namespace {

std::array<int, 4> counts(const std::vector<Row>& rows) {
  std::array<int, 4> n{};
  for (const Row& r : rows) ++n[static_cast<std::size_t>(r.status)];
  return n;
}

std::string plan_line(const AuditReport& report) {
  if (!report.plan) return "core plan: none (see cores.plan)";
  const CorePlan& p = *report.plan;
  return fmt::format("core plan: ingest cpu {}, execution cpu {}, housekeeping cpu {}", p.ingest_cpu,
                     p.execution_cpu, p.housekeeping_cpu);
}

}  // namespace

std::string format_table(const AuditReport& report) {
  // Found values can be long (IRQ lists); cap the column so expected and hint stay readable
  // on most rows, and let an overlong value push its own row only.
  constexpr std::size_t kFoundCap = 44, kExpectedCap = 28;
  std::size_t name_w = 5, found_w = 5, expected_w = 8;
  for (const Row& r : report.rows) {
    name_w = std::max(name_w, r.name.size());
    found_w = std::max(found_w, std::min(kFoundCap, r.found.size()));
    expected_w = std::max(expected_w, std::min(kExpectedCap, r.expected.size()));
  }
  auto line = [&](std::string_view status, std::string_view name, std::string_view found, std::string_view expected,
                  std::string_view hint) {
    std::string l = fmt::format("{:<6} {:<{}}  {:<{}}  {:<{}}  {}", status, name, name_w, found, found_w, expected,
                                expected_w, hint);
    while (!l.empty() && l.back() == ' ') l.pop_back();
    return l + "\n";
  };
  std::string out = fmt::format("tickpath audit of {}; {}\n", report.root, plan_line(report));
  out += line("STATUS", "CHECK", "FOUND", "EXPECTED", "HOW TO FIX");
  for (const Row& r : report.rows) out += line(status_name(r.status), r.name, r.found, r.expected, r.hint);
  const auto n = counts(report.rows);
  out += fmt::format("{} PASS, {} WARN, {} FAIL, {} SKIP -> exit {}\n", n[0], n[2], n[3], n[1], exit_code(report.rows));
  return out;
}

nlohmann::ordered_json to_json(const AuditReport& report) {
  nlohmann::ordered_json checks = nlohmann::ordered_json::array();
  for (const Row& r : report.rows) {
    checks.push_back({{"status", status_name(r.status)},
                      {"name", r.name},
                      {"found", r.found},
                      {"expected", r.expected},
                      {"hint", r.hint}});
  }
  nlohmann::ordered_json plan = nullptr;
  if (report.plan) {
    plan = {{"ingest_cpu", report.plan->ingest_cpu},
            {"execution_cpu", report.plan->execution_cpu},
            {"housekeeping_cpu", report.plan->housekeeping_cpu}};
  }
  const auto n = counts(report.rows);
  return {{"schema", "tickpath.audit/1"},
          {"root", report.root},
          {"plan", plan},
          {"hot_cpus", report.hot_cpus},
          {"summary",
           {{"pass", n[0]}, {"warn", n[2]}, {"fail", n[3]}, {"skip", n[1]}, {"exit_code", exit_code(report.rows)}}},
          {"checks", checks}};
}

}  // namespace tickpath::platform::audit
