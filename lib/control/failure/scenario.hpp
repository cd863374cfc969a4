#pragma once
// Failure injection.
//
// A scenario degrades the lifecycle while it is active and restores what it found when it is
// deactivated. Several scenarios may overlap: the first activation remembers the state and moves
// to DEGRADED, the last deactivation restores the remembered state, so any interleaving of
// activations and deactivations ends where it started (no drift). Both calls are idempotent.
// An activation that would be an invalid transition (from INIT) is refused and changes nothing.
//
// Runs on housekeeping threads only (HTTP, telemetry, the schedule, the runbook): the hot path
// only ever reads the lifecycle. Calls are serialised by a mutex; the lifecycle itself is changed
// with compare-and-swap so a concurrent warmup (WARMUP -> READY on the execution thread) is never
// overwritten.
#include <array>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/state/lifecycle.hpp"

namespace tickpath::control {

enum class Scenario : std::uint8_t { market_data_outage, execution_failure };
inline constexpr std::array<Scenario, 2> kScenarios{Scenario::market_data_outage, Scenario::execution_failure};

[[nodiscard]] std::string_view to_string(Scenario s) noexcept;
[[nodiscard]] std::optional<Scenario> parse_scenario(std::string_view name) noexcept;

struct FailureResult {
  bool ok = false;
  bool changed = false;  // false: idempotent no-op (already active / already inactive)
  core::LifecycleState from = core::LifecycleState::init;
  core::LifecycleState to = core::LifecycleState::init;
  std::string message;   // what happened, or why it was refused
};

class FailureInjector {
 public:
  explicit FailureInjector(core::Lifecycle& lifecycle) noexcept : lifecycle_(&lifecycle) {}

  FailureResult activate(Scenario s);
  FailureResult deactivate(Scenario s);
  // For the execution thread's schedule: never waits, never allocates (no message). nullopt when
  // an operator call holds the lock right now; the caller retries between its next batches.
  std::optional<FailureResult> try_activate(Scenario s);
  std::optional<FailureResult> try_deactivate(Scenario s);

  [[nodiscard]] bool active(Scenario s) const;
  [[nodiscard]] std::vector<std::string> active_names() const;

 private:
  // describe = false: leave FailureResult::message empty (no formatting, no allocation).
  FailureResult activate_locked(Scenario s, bool describe);
  FailureResult deactivate_locked(Scenario s, bool describe);

  core::Lifecycle* lifecycle_;
  mutable std::mutex mutex_;
  std::array<bool, kScenarios.size()> active_{};
  std::size_t active_count_ = 0;
  core::LifecycleState remembered_ = core::LifecycleState::init;
};

}  // namespace tickpath::control
