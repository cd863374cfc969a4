#include "control/views/state_view.hpp"

#include "core/state/lifecycle.hpp"

namespace tickpath::control {

nlohmann::json state_json(const ControlSnapshot& s) {
  nlohmann::json drops = nlohmann::json::object();
  for (const auto& [reason, n] : s.drops) drops[reason] = n;
  nlohmann::json consumers = nlohmann::json::array();
  for (const ConsumerSnapshot& c : s.consumers) {
    consumers.push_back({{"name", c.name},
                         {"consumed", c.consumed},
                         {"overruns", c.overruns},
                         {"lost", c.lost},
                         {"lag", c.lag}});
  }
  const nlohmann::json nic = {
      {"ipackets", s.nic_ipackets}, {"missed", s.nic_missed}, {"errors", s.nic_errors}, {"rx_nombuf", s.nic_rx_nombuf}};
  return {
      {"state", s.state},
      {"ready", s.ready},
      {"ready_reason", s.ready_reason},
      {"link_up", s.link_up},
      {"uptime_s", s.uptime_s},
      {"counters",
       {{"frames", s.frames},
        {"published", s.published},
        {"heartbeats", s.heartbeats},
        {"malformed", s.malformed},
        {"foreign", s.foreign},
        {"feed_gaps", s.feed_gaps},
        {"drops", std::move(drops)},
        {"executed", s.executed},
        {"provisional", s.provisional},
        {"nic", nic}}},
      {"consumers", std::move(consumers)},
      {"active_failures", s.active_failures},
  };
}

nlohmann::json failure_json(const FailureResult& r) {
  return {{"ok", r.ok},
          {"changed", r.changed},
          {"from", core::to_string(r.from)},
          {"to", core::to_string(r.to)},
          {"message", r.message}};
}

}  // namespace tickpath::control
