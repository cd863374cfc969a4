#pragma once
// The DPDK rx queue as the hot path's FrameSource: rte_eth_rx_burst, views into the mbufs, and
// one bulk free per burst. Hot-path code: includes only lib/core and DPDK (checked by
// tests/architecture), never allocates, locks, logs or makes a system call of its own.
//
// Hardware timestamps are a template parameter chosen at start-up from what the port offers,
// so the loop without them carries no per-frame "are timestamps on?" branch.
#include <cstddef>
#include <cstdint>
#include <span>

#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "core/ingest/frame.hpp"
#include "core/ingest/source.hpp"

namespace tickpath::platform {

template <bool kHwTimestamps = false>
class DpdkRxSource {
 public:
  // timestamp_offset/flag: from Port (rte_mbuf_dyn_rx_timestamp_register); unused without them.
  DpdkRxSource(std::uint16_t port, std::uint16_t queue, int timestamp_offset = -1,
               std::uint64_t timestamp_flag = 0) noexcept
      : port_(port), queue_(queue), ts_offset_(timestamp_offset), ts_flag_(timestamp_flag) {}

  std::size_t receive(std::span<core::FrameView> out) noexcept {
    const std::uint16_t n = rte_eth_rx_burst(port_, queue_, mbufs_, static_cast<std::uint16_t>(
                                                                          out.size() < core::kMaxRxBurst ? out.size() : core::kMaxRxBurst));
    for (std::uint16_t i = 0; i < n; ++i) {
      rte_mbuf* m = mbufs_[i];
      out[i].data = rte_pktmbuf_mtod(m, const std::byte*);
      out[i].length = rte_pktmbuf_data_len(m);  // first segment: market data fits one
      if constexpr (kHwTimestamps) {
        out[i].hw_timestamp = (m->ol_flags & ts_flag_) != 0
                                  ? *RTE_MBUF_DYNFIELD(m, ts_offset_, const std::uint64_t*)
                                  : 0;
      } else {
        out[i].hw_timestamp = 0;
      }
    }
    held_ = n;
    return n;
  }

  void release() noexcept {
    rte_pktmbuf_free_bulk(mbufs_, held_);
    held_ = 0;
  }

 private:
  std::uint16_t port_;
  std::uint16_t queue_;
  int ts_offset_;
  std::uint64_t ts_flag_;
  unsigned held_ = 0;
  rte_mbuf* mbufs_[core::kMaxRxBurst];
};

static_assert(core::FrameSource<DpdkRxSource<false>>);
static_assert(core::FrameSource<DpdkRxSource<true>>);

}  // namespace tickpath::platform
