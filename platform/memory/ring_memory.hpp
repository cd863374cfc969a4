#pragma once
// Backing memory for the broadcast ring's slots, placed where the hot cores read it.
//   hugepages: rte_zmalloc_socket on the NIC's NUMA node (2 MiB or 1 GiB pages: few TLB entries
//              for the whole ring)
//   otherwise: anonymous 4 KiB pages, mlock'ed so they never page out
// Either way every page is touched before warmup, so no event ever pays a first-touch fault.
#include <cstddef>
#include <memory>
#include <string>
#include <variant>

namespace tickpath::platform {

enum class PageKind { hugepages, locked_4k, unlocked_4k };

[[nodiscard]] const char* to_string(PageKind kind) noexcept;

class RingMemory {
 public:
  // numa_node < 0: any node. Errors name the size, the node and the failing call.
  static std::variant<std::unique_ptr<RingMemory>, std::string> allocate(std::size_t bytes,
                                                                       int numa_node,
                                                                       bool use_hugepages);
  RingMemory(const RingMemory&) = delete;
  RingMemory& operator=(const RingMemory&) = delete;
  ~RingMemory();

  [[nodiscard]] void* data() const noexcept { return data_; }
  [[nodiscard]] std::size_t bytes() const noexcept { return bytes_; }
  [[nodiscard]] PageKind kind() const noexcept { return kind_; }
  [[nodiscard]] int numa_node() const noexcept { return numa_node_; }
  // Why the pages are not locked (RLIMIT_MEMLOCK, usually), empty otherwise.
  [[nodiscard]] const std::string& note() const noexcept { return note_; }

 private:
  RingMemory() = default;
  void* data_ = nullptr;
  std::size_t bytes_ = 0;
  std::size_t mapped_bytes_ = 0;
  PageKind kind_ = PageKind::unlocked_4k;
  int numa_node_ = -1;
  std::string note_;
};

// Writes one byte per 4 KiB so the kernel (or the EAL) has backed every page before warmup.
void prefault(void* data, std::size_t bytes) noexcept;

}  // namespace tickpath::platform
