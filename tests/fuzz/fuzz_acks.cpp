// libFuzzer: acks.bin through the ack log reader (`tickpath acks`).
//
// Invariants: a log the reader accepts hands over exactly the records its header announces, whole
// (the file is header + records * 64 bytes); a refused one hands over none; never a crash or hang.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "report/ack_log_format.hpp"
#include "tests/fuzz/fuzz_input_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tickpath::report::acklog;
  const std::string path = tickpath::fuzz::write_input("acks.bin", data, size);
  std::uint64_t seen = 0;
  bool header_seen = false;
  const ReadResult r = read_ack_log(
      path, [&](const tickpath::core::Ack&) { ++seen; }, [&](const Header&) { header_seen = true; });
  if (r.error) {
    if (seen != 0 && seen != r.records) std::abort();
    return 0;
  }
  if (!header_seen || seen != r.records || r.records != r.header.records) std::abort();
  if (size != kHeaderSize + seen * kRecordSize) std::abort();
  return 0;
}
