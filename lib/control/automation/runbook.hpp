#pragma once
// The runbook (automation.enabled): what an on-call engineer would do, done by the control
// thread once per interval. When the feed goes stale, declare a market data outage (the
// lifecycle degrades: acks become provisional); when events flow again, end it (the lifecycle
// returns to what it was). It only ends outages it started itself: an operator's manual
// activation is never undone by automation.
#include <optional>
#include <string>

#include "control/failure/scenario.hpp"

namespace tickpath::control {

class Runbook {
 public:
  explicit Runbook(FailureInjector& failures) noexcept : failures_(&failures) {}

  // `feed_stale`: the feed_stale probe's verdict this interval. Returns a line describing the
  // action taken, if any.
  std::optional<std::string> step(bool feed_stale);

  [[nodiscard]] bool engaged() const noexcept { return engaged_; }
  [[nodiscard]] unsigned actions() const noexcept { return actions_; }

 private:
  FailureInjector* failures_;
  bool engaged_ = false;
  unsigned actions_ = 0;
};

}  // namespace tickpath::control
