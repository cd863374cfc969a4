#include "platform/dpdk/tx_queue.hpp"

#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_pause.h>

namespace tickpath::platform {

TxQueue::~TxQueue() {
  if (count_ != 0) rte_pktmbuf_free_bulk(burst_, static_cast<unsigned>(count_));
}

std::byte* TxQueue::append(std::size_t length) noexcept {
  if (count_ == kMaxTxBurst) return nullptr;
  rte_mbuf* m = rte_pktmbuf_alloc(pool_);
  if (m == nullptr) {
    ++stats_.no_mbuf;
    return nullptr;
  }
  char* data = rte_pktmbuf_append(m, static_cast<std::uint16_t>(length));
  if (data == nullptr) {  // longer than the mbuf's room: the caller validated sizes, so a bug
    rte_pktmbuf_free(m);
    return nullptr;
  }
  burst_[count_++] = m;
  return reinterpret_cast<std::byte*>(data);
}

std::size_t TxQueue::flush(const std::atomic<bool>& stop) noexcept {
  std::size_t done = 0;
  while (done < count_) {
    const std::uint16_t n = rte_eth_tx_burst(port_, queue_, burst_ + done, static_cast<std::uint16_t>(count_ - done));
    done += n;
    if (done < count_) {
      ++stats_.full_retries;
      // relaxed: a stop request carries no data.
      if (stop.load(std::memory_order_relaxed)) break;
      rte_pause();
    }
  }
  if (done < count_) rte_pktmbuf_free_bulk(burst_ + done, static_cast<unsigned>(count_ - done));
  stats_.sent += done;
  count_ = 0;
  return done;
}

}  // namespace tickpath::platform
