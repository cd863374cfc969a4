#pragma once
// The contract between the ingest stage and whatever delivers frames (DPDK rx queue, synthetic
// frames in memory, a paced wrapper around either). Chosen once at start-up as a template
// parameter: no virtual call and no branch per burst on which source is in use.
#include <concepts>
#include <cstddef>
#include <span>

#include "core/ingest/frame.hpp"

namespace tickpath::core {

// receive(): non-blocking; fills at most out.size() views and returns how many. The views stay
//            valid until the next release().
// release(): hands every frame of the last receive() back to the source (DPDK: bulk free).
template <class S>
concept FrameSource = requires(S s, std::span<FrameView> out) {
  { s.receive(out) } noexcept -> std::same_as<std::size_t>;
  { s.release() } noexcept -> std::same_as<void>;
};

}  // namespace tickpath::core
