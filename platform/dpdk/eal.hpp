#pragma once
// The EAL's lifetime as one object: rte_eal_init in start(), rte_eal_cleanup in the destructor.
// The EAL can be initialised once per process; a second start() is an error value, not a crash.
#include <memory>
#include <string>
#include <variant>
#include <vector>

namespace tickpath::platform {

class Eal {
 public:
  // On failure: the EAL's own reason (rte_strerror) and the arguments it was given.
  // DPDK's control threads (eal-intr-thread, rte_mp_handle, telemetry-v2, and any it creates
  // later) run on control_cpus (the core plan's housekeeping cpus); empty: wherever the EAL puts
  // them. Fails, before rte_eal_init, when the calling thread cannot be narrowed to them.
  static std::variant<std::unique_ptr<Eal>, std::string> start(const std::vector<std::string>& args,
                                                               const std::vector<int>& control_cpus);

  Eal(const Eal&) = delete;
  Eal& operator=(const Eal&) = delete;
  ~Eal();

  // Gives the calling (non-EAL) thread an lcore id, so mempool operations on it use a per-lcore
  // cache: mbufs then recycle LIFO and stay warm in cache instead of cycling through the whole
  // pool. Returns an error text, empty on success. Not compatible with DPDK secondary processes.
  [[nodiscard]] static std::string register_thread();

  // What the EAL really got after a --no-huge fallback, for the summary.
  [[nodiscard]] bool has_hugepages() const noexcept;
  [[nodiscard]] const std::vector<std::string>& args() const noexcept { return args_; }

 private:
  explicit Eal(std::vector<std::string> args) : args_(args), argv_storage_(std::move(args)) {}
  std::vector<std::string> args_;
  // The strings rte_eal_init saw (and may keep pointers into): alive as long as the EAL is.
  std::vector<std::string> argv_storage_;
};

}  // namespace tickpath::platform
