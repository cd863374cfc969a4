#pragma once
// The cpus a measurement may use (`tickpath jitter`, `tickpath c2c`): a --cores list checked
// against the machine, or every cpu in this process's affinity mask. A cpu that does not exist
// or that taskset/cgroups forbid is bad input, named, before any thread starts.
#include <string>
#include <variant>
#include <vector>

#include "platform/topology/machine.hpp"

namespace tickpath::platform {

// `list` "0-3,8" (or "" for every allowed cpu). The cpus in ascending order, or the error.
[[nodiscard]] std::variant<std::vector<int>, std::string> choose_cpus(const std::string& list, const Machine& machine);

}  // namespace tickpath::platform
