#include "control/metrics/drop_counts.hpp"

namespace tickpath::control {

std::vector<std::pair<std::string, std::uint64_t>> drops_by_reason(const core::IngestCounters& in) {
  std::vector<std::pair<std::string, std::uint64_t>> out;
  out.reserve(core::kDropReasonCount - 1);
  for (std::size_t i = 1; i < core::kDropReasonCount; ++i) {  // 0 is "none", never counted
    out.emplace_back(std::string(core::to_string(static_cast<core::DropReason>(i))), in.drops[i].load());
  }
  return out;
}

}  // namespace tickpath::control
