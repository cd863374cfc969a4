// libFuzzer: acks.bin through the ack log reader (`tickpath acks`) and its summary.
//
// Invariants: a log the reader accepts hands over exactly the records its header announces, whole
// (the file is header + records * 64 bytes); a refused one hands over none; never a crash or hang.
// The summary of every log salvage reads covers the range of the records it was handed, and its
// `missing` is exact when no record was too far back to tell, else at most too_old above the
// truth (a reference here counts the distinct numbers with a set: the inputs are small).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>

#include "report/ack_log_format.hpp"
#include "report/ack_log_summary.hpp"
#include "tests/fuzz/fuzz_input_file.hpp"

namespace {

using namespace tickpath::report::acklog;

void check_summary(const std::string& path) {
  std::set<std::uint64_t> seqs;
  const ReadResult r = read_ack_log(path, [&](const tickpath::core::Ack& a) { seqs.insert(a.event_seq); }, {},
                                    ReadMode::salvage);
  const LogSummary s = summarize_log(path, ReadMode::salvage);
  if (r.error.has_value() != s.read.error.has_value()) std::abort();
  if (r.error || s.records == 0) return;
  if (s.records != r.records) std::abort();
  if (s.lowest_seq != *seqs.begin() || s.highest_seq != *seqs.rbegin()) std::abort();
  if (s.reordered != s.late + s.duplicates + s.too_old || s.reordered >= s.records) std::abort();
  // Numbers in the range that no record carries (written so that a range of 2^64 cannot wrap).
  const std::uint64_t absent = (s.highest_seq - s.lowest_seq) - (seqs.size() - 1);
  if (s.missing < absent || s.missing - absent > s.too_old) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = tickpath::fuzz::write_input("acks.bin", data, size);
  std::uint64_t seen = 0;
  bool header_seen = false;
  const ReadResult r = read_ack_log(
      path, [&](const tickpath::core::Ack&) { ++seen; }, [&](const Header&) { header_seen = true; });
  check_summary(path);
  if (r.error) {
    if (seen != 0 && seen != r.records) std::abort();
    return 0;
  }
  if (!header_seen || seen != r.records || r.records != r.header.records) std::abort();
  if (size != kHeaderSize + seen * kRecordSize) std::abort();
  return 0;
}
