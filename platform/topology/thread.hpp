#pragma once
// Pinning and naming the calling thread. Names matter: tuned's cpu-partitioning profile leaves
// threads matching `.*pmd.*` where they are, so hot threads are called tp-pmd-*.
#include <optional>
#include <string>
#include <string_view>

namespace tickpath::platform {

// nullopt on success, else why it failed.
[[nodiscard]] std::optional<std::string> pin_current_thread(int cpu);

// Truncated to the kernel's 15 characters.
void name_current_thread(std::string_view name);

}  // namespace tickpath::platform
