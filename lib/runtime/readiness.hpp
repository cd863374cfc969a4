#pragma once
// Binary readiness: ready means READY and the port's link up.
// The reason says which half failed, for /readyz bodies and the live line.
#include <string>

#include "core/state/lifecycle.hpp"

namespace tickpath::runtime {

struct Readiness {
  bool ready;
  std::string reason;  // "ready", or why not
};

[[nodiscard]] Readiness evaluate_readiness(core::LifecycleState state, bool link_up);

}  // namespace tickpath::runtime
