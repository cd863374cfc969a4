#include "control/automation/runbook.hpp"

namespace tickpath::control {

std::optional<std::string> Runbook::step(bool feed_stale) {
  if (feed_stale && !engaged_) {
    if (failures_->active(Scenario::market_data_outage)) return std::nullopt;  // an operator's
    const FailureResult r = failures_->activate(Scenario::market_data_outage);
    if (!r.ok || !r.changed) return "runbook: feed stale, but " + r.message;
    engaged_ = true;
    ++actions_;
    return "runbook: feed stale -> " + r.message;
  }
  if (!feed_stale && engaged_) {
    const FailureResult r = failures_->deactivate(Scenario::market_data_outage);
    engaged_ = false;
    ++actions_;
    return "runbook: feed back -> " + r.message;
  }
  return std::nullopt;
}

}  // namespace tickpath::control
