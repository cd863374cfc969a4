#pragma once
// The live line moved to lib/control/plane/live_line.hpp (a function of the interval's two
// snapshots). What the commands still take from here is the number format they print with.
#include "report/number_format.hpp"

namespace tickpath::app {

using report::format_ns;
using report::format_rate;

}  // namespace tickpath::app
