#include "platform/dpdk/eal.hpp"

#include <atomic>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>

namespace tickpath::platform {
namespace {
std::atomic<bool> g_started{false};
}

std::variant<std::unique_ptr<Eal>, std::string> Eal::start(const std::vector<std::string>& args) {
  if (g_started.exchange(true)) return std::string("the EAL was already started in this process");
  std::unique_ptr<Eal> eal(new Eal(args));
  // rte_eal_init may permute argv; it gets its own mutable copies, which live as long as eal.
  std::vector<char*> argv;
  for (std::string& a : eal->argv_storage_) argv.push_back(a.data());
  argv.push_back(nullptr);
  if (rte_eal_init(static_cast<int>(argv.size() - 1), argv.data()) < 0) {
    return fmt::format("DPDK EAL initialisation failed: {} (EAL arguments: {})",
                       rte_strerror(rte_errno), fmt::join(args, " "));
  }
  return eal;
}

Eal::~Eal() { rte_eal_cleanup(); }

std::string Eal::register_thread() {
  if (rte_thread_register() != 0) return fmt::format("rte_thread_register failed: {}", rte_strerror(rte_errno));
  return {};
}

bool Eal::has_hugepages() const noexcept { return rte_eal_has_hugepages() != 0; }

}  // namespace tickpath::platform
