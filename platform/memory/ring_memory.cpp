#include "platform/memory/ring_memory.hpp"

#include <sys/mman.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>
#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_memory.h>

namespace tickpath::platform {
namespace {
constexpr std::size_t kSmallPage = 4096;
constexpr std::size_t kAlign = 128;  // the ring's false-sharing range
}  // namespace

const char* to_string(PageKind kind) noexcept {
  switch (kind) {
    case PageKind::hugepages: return "hugepages";
    case PageKind::locked_4k: return "4k-locked";
    case PageKind::unlocked_4k: return "4k-unlocked";
  }
  return "?";
}

void prefault(void* data, std::size_t bytes) noexcept {
  auto* p = static_cast<volatile unsigned char*>(data);
  // A write, not a read: a read of an untouched anonymous page maps the shared zero page and
  // the first real write would still fault.
  for (std::size_t i = 0; i < bytes; i += kSmallPage) p[i] = p[i];
  if (bytes != 0) p[bytes - 1] = p[bytes - 1];
}

std::variant<std::unique_ptr<RingMemory>, std::string> RingMemory::allocate(std::size_t bytes,
                                                                          int numa_node,
                                                                          bool use_hugepages) {
  std::unique_ptr<RingMemory> m(new RingMemory());
  m->bytes_ = bytes;
  if (use_hugepages) {
    const int socket = numa_node < 0 ? SOCKET_ID_ANY : numa_node;
    m->data_ = rte_zmalloc_socket("tickpath_ring", bytes, kAlign, socket);
    if (m->data_ == nullptr) {
      return fmt::format("ring memory: rte_zmalloc_socket of {} bytes on NUMA node {} failed: {}",
                         bytes, numa_node, rte_strerror(rte_errno));
    }
    m->kind_ = PageKind::hugepages;
    m->numa_node_ = numa_node;
    prefault(m->data_, bytes);
    return m;
  }
  m->mapped_bytes_ = (bytes + kSmallPage - 1) / kSmallPage * kSmallPage;
  void* p = mmap(nullptr, m->mapped_bytes_, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
  if (p == MAP_FAILED) {
    return fmt::format("ring memory: mmap of {} bytes failed: {}", m->mapped_bytes_, std::strerror(errno));
  }
  m->data_ = p;
  if (mlock(p, m->mapped_bytes_) == 0) {
    m->kind_ = PageKind::locked_4k;
  } else {
    m->note_ = fmt::format("mlock of {} bytes failed ({}): raise RLIMIT_MEMLOCK or run as root",
                           m->mapped_bytes_, std::strerror(errno));
  }
  prefault(m->data_, m->mapped_bytes_);
  return m;
}

RingMemory::~RingMemory() {
  if (data_ == nullptr) return;
  if (kind_ == PageKind::hugepages) {
    rte_free(data_);
  } else {
    if (kind_ == PageKind::locked_4k) munlock(data_, mapped_bytes_);
    munmap(data_, mapped_bytes_);
  }
}

}  // namespace tickpath::platform
