#include "runtime/readiness.hpp"

namespace tickpath::runtime {

Readiness evaluate_readiness(core::LifecycleState state, bool link_up) {
  if (state != core::LifecycleState::ready) {
    std::string why = "lifecycle is ";
    why += core::to_string(state);
    why += ", not READY";
    if (!link_up) why += "; link is down";
    return {false, why};
  }
  if (!link_up) return {false, "link is down"};
  return {true, "ready"};
}

}  // namespace tickpath::runtime
