#pragma once
// The transmit side of a Port, for `tickpath gen`: frames are copied into mbufs of the port's
// pool, stamped at the last moment (so the embedded send time is as close to the wire as user
// space gets), and sent with rte_eth_tx_burst. A full tx ring is retried, never silently
// dropped: the generator's report must match what really left.
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <span>

struct rte_mbuf;
struct rte_mempool;

namespace tickpath::platform {

inline constexpr std::size_t kMaxTxBurst = 32;

struct TxStats {
  std::uint64_t sent = 0;         // frames accepted by rte_eth_tx_burst
  std::uint64_t full_retries = 0; // tx_burst calls that took fewer than offered (ring full)
  std::uint64_t no_mbuf = 0;      // appends refused: the pool was empty
};

class TxQueue {
 public:
  TxQueue(std::uint16_t port, std::uint16_t queue, rte_mempool* pool) noexcept
      : port_(port), queue_(queue), pool_(pool) {}
  ~TxQueue();
  TxQueue(const TxQueue&) = delete;
  TxQueue& operator=(const TxQueue&) = delete;

  // Room for one frame of `length` bytes in the burst being built; nullptr when the burst is
  // full (flush first) or no mbuf is free.
  std::byte* append(std::size_t length) noexcept;
  [[nodiscard]] std::size_t pending() const noexcept { return count_; }
  // Sends the burst; retries what the ring did not take until it is all gone or `stop` is set.
  // Returns the frames sent (those not sent when stopped are freed).
  std::size_t flush(const std::atomic<bool>& stop) noexcept;

  [[nodiscard]] const TxStats& stats() const noexcept { return stats_; }

 private:
  std::uint16_t port_;
  std::uint16_t queue_;
  rte_mempool* pool_;
  rte_mbuf* burst_[kMaxTxBurst] = {};
  std::size_t count_ = 0;
  TxStats stats_;
};

}  // namespace tickpath::platform
