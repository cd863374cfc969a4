#include "control/failure/scenario.hpp"

#include <fmt/format.h>

namespace tickpath::control {

using core::LifecycleState;

std::string_view to_string(Scenario s) noexcept {
  switch (s) {
    case Scenario::market_data_outage: return "market_data_outage";
    case Scenario::execution_failure: return "execution_failure";
  }
  return "unknown";
}

std::optional<Scenario> parse_scenario(std::string_view name) noexcept {
  for (Scenario s : kScenarios) {
    if (to_string(s) == name) return s;
  }
  return std::nullopt;
}

FailureResult FailureInjector::activate(Scenario s) {
  std::lock_guard lock(mutex_);
  return activate_locked(s, true);
}

FailureResult FailureInjector::deactivate(Scenario s) {
  std::lock_guard lock(mutex_);
  return deactivate_locked(s, true);
}

std::optional<FailureResult> FailureInjector::try_activate(Scenario s) {
  std::unique_lock lock(mutex_, std::try_to_lock);
  if (!lock.owns_lock()) return std::nullopt;
  return activate_locked(s, false);
}

std::optional<FailureResult> FailureInjector::try_deactivate(Scenario s) {
  std::unique_lock lock(mutex_, std::try_to_lock);
  if (!lock.owns_lock()) return std::nullopt;
  return deactivate_locked(s, false);
}

FailureResult FailureInjector::activate_locked(Scenario s, bool describe) {
  const auto i = static_cast<std::size_t>(s);
  FailureResult r;
  if (active_[i]) {
    r.ok = true;
    r.from = r.to = lifecycle_->current();
    if (describe) r.message = fmt::format("{} already active", to_string(s));
    return r;
  }
  if (active_count_ > 0) {
    // Another scenario already degraded the state and remembered what to restore.
    active_[i] = true;
    ++active_count_;
    r.ok = true;
    r.changed = true;
    r.from = r.to = lifecycle_->current();
    if (describe) r.message = fmt::format("{} active (state already DEGRADED by another scenario)", to_string(s));
    return r;
  }
  // CAS from what we read: if the execution thread finishes warmup in between, read again.
  for (int attempt = 0; attempt < 8; ++attempt) {
    const LifecycleState current = lifecycle_->current();
    const core::TransitionResult t = lifecycle_->transition_from(current, LifecycleState::degraded);
    if (t.ok) {
      remembered_ = current;
      active_[i] = true;
      active_count_ = 1;
      r.ok = true;
      r.changed = true;
      r.from = current;
      r.to = LifecycleState::degraded;
      if (describe) r.message = fmt::format("{} active: {} -> DEGRADED", to_string(s), core::to_string(current));
      return r;
    }
    if (!core::is_valid_transition(current, LifecycleState::degraded)) {
      r.from = current;
      r.to = LifecycleState::degraded;
      if (describe) r.message = fmt::format("{} refused: {}", to_string(s), t.error().message());
      return r;
    }
  }
  if (describe) r.message = fmt::format("{} refused: the lifecycle kept changing", to_string(s));
  return r;
}

FailureResult FailureInjector::deactivate_locked(Scenario s, bool describe) {
  const auto i = static_cast<std::size_t>(s);
  FailureResult r;
  r.from = r.to = lifecycle_->current();
  if (!active_[i]) {
    r.ok = true;
    if (describe) r.message = fmt::format("{} already inactive", to_string(s));
    return r;
  }
  active_[i] = false;
  --active_count_;
  r.ok = true;
  r.changed = true;
  if (active_count_ > 0) {
    if (describe) r.message = fmt::format("{} inactive (another scenario keeps the state DEGRADED)", to_string(s));
    return r;
  }
  const core::TransitionResult t = lifecycle_->transition_from(LifecycleState::degraded, remembered_);
  if (!t.ok) {
    r.ok = false;
    if (describe) r.message = fmt::format("{} deactivated but the state could not be restored: {}", to_string(s), t.error().message());
    return r;
  }
  r.from = LifecycleState::degraded;
  r.to = remembered_;
  if (describe) r.message = fmt::format("{} inactive: DEGRADED -> {}", to_string(s), core::to_string(remembered_));
  return r;
}

bool FailureInjector::active(Scenario s) const {
  std::lock_guard lock(mutex_);
  return active_[static_cast<std::size_t>(s)];
}

std::vector<std::string> FailureInjector::active_names() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> out;
  for (Scenario s : kScenarios) {
    if (active_[static_cast<std::size_t>(s)]) out.emplace_back(to_string(s));
  }
  return out;
}

}  // namespace tickpath::control
