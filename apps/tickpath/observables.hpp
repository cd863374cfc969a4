#pragma once
// The control plane's sources now live in lib/control/plane/observables.hpp; these names keep the
// commands that fill or read them (run, selftest, summary) unchanged while they move.
#include "control/plane/observables.hpp"

namespace tickpath::app {

using control::NicCounters;
using control::Observables;

}  // namespace tickpath::app
