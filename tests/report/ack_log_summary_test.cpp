// `tickpath acks` read back from a written log: the summary counts states, gaps and reorders in
// one pass, the CSV has one row per record after its header, and a bad log yields only its error.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/ingest/sequence_tracker.hpp"
#include "report/ack_log_summary.hpp"
#include "tests/support/temp_dir_test.hpp"

namespace tickpath::report::acklog {
namespace {

namespace fs = std::filesystem;

class AckLogSummary : public test_support::TempDirTest {
 protected:

  // A finished log at 1 GHz (ticks are nanoseconds) holding `seqs` in that order, each acked
  // 1000 ns after rx; odd sequences executed in READY, even ones provisional in DEGRADED.
  std::string write(const std::vector<std::uint64_t>& seqs, std::uint64_t dropped = 0) {
    Header h;
    h.tsc_hz = 1'000'000'000;
    h.records = seqs.size();
    h.dropped = dropped;
    const HeaderBytes hb = encode_header(h);
    std::vector<std::byte> bytes(hb.begin(), hb.end());
    for (std::size_t i = 0; i < seqs.size(); ++i) {
      core::Ack a{};
      a.event_seq = seqs[i];
      a.rx_tsc = 1'000'000 * (i + 1);
      a.complete_tsc = a.rx_tsc + 1000;
      a.executed = seqs[i] & 1;
      a.state = (seqs[i] & 1) ? core::LifecycleState::ready : core::LifecycleState::degraded;
      std::byte rec[kRecordSize];
      encode_record(a, rec);
      bytes.insert(bytes.end(), rec, rec + kRecordSize);
    }
    const std::string path = (dir_ / "acks.bin").string();
    std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()),
                                               static_cast<std::streamsize>(bytes.size()));
    return path;
  }
};

TEST_F(AckLogSummary, CountsStatesGapsAndReordersInOnePass) {
  const LogSummary s = summarize_log(write({1, 2, 5, 4}), ReadMode::strict);
  ASSERT_FALSE(s.read.error) << *s.read.error;
  EXPECT_EQ(s.records, 4u);
  EXPECT_EQ(s.executed, 2u);     // 1 and 5
  EXPECT_EQ(s.by_state[2], 2u);  // READY
  EXPECT_EQ(s.by_state[3], 2u);  // DEGRADED
  EXPECT_EQ(s.lowest_seq, 1u);
  EXPECT_EQ(s.highest_seq, 5u);
  EXPECT_EQ(s.missing, 1u);      // 3: 4 came after 5
  EXPECT_EQ(s.reordered, 1u);    // 4 after 5
  EXPECT_EQ(s.late, 1u);
  EXPECT_EQ(s.ingest_to_ack.count, 4u);
  EXPECT_NEAR(s.ingest_to_ack.p50, 1000, 10);
  EXPECT_NEAR(s.span_s, 0.003001, 1e-9);  // first rx at 1 ms, last ack 1 us after the fourth rx at 4 ms
}

// A late record fills the gap it was counted in, and the records after it are measured from the
// highest number seen, not from the late one: of 1..6 only 3 is absent (it was 3 missing).
TEST_F(AckLogSummary, ALateRecordIsNotMissingAndDoesNotMakeTheNextOnesLookMissing) {
  const LogSummary s = summarize_log(write({1, 2, 5, 4, 6}), ReadMode::strict);
  ASSERT_FALSE(s.read.error) << *s.read.error;
  EXPECT_EQ(s.missing, 1u);
  EXPECT_EQ(s.reordered, 1u);
  EXPECT_EQ(s.late, 1u);
  EXPECT_EQ(s.duplicates, 0u);
}

// A repeated number is a duplicate, not a late arrival, and fills nothing; a record below the
// first one widens the range, and what lies between it and the old lowest is missing until it comes.
TEST_F(AckLogSummary, DuplicatesFillNothingAndARecordBelowTheFirstWidensTheRange) {
  const LogSummary s = summarize_log(write({10, 12, 12, 7, 8, 13}), ReadMode::strict);
  ASSERT_FALSE(s.read.error) << *s.read.error;
  EXPECT_EQ(s.lowest_seq, 7u);
  EXPECT_EQ(s.highest_seq, 13u);
  EXPECT_EQ(s.missing, 2u);  // 9 and 11
  EXPECT_EQ(s.reordered, 3u);
  EXPECT_EQ(s.duplicates, 1u);
  EXPECT_EQ(s.late, 2u);
  EXPECT_EQ(s.too_old, 0u);
}

// Further back than the window a record cannot be told from a duplicate: it is counted as too old
// and `missing` becomes an upper bound, off by at most that count (here exactly: 2 really came).
TEST_F(AckLogSummary, ARecordFurtherBackThanTheWindowMakesMissingAnUpperBoundAndSaysSo) {
  const std::uint64_t far = core::kSequenceWindow + 10;
  const std::string path = write({1, 3, far, 2});
  const LogSummary s = summarize_log(path, ReadMode::strict);
  ASSERT_FALSE(s.read.error) << *s.read.error;
  EXPECT_EQ(s.too_old, 1u);
  EXPECT_EQ(s.missing, far - 3);  // 2 and 4 .. far - 1: 2 did come, too late to be looked up
  const std::string text = format_log_summary(path, s, false);
  EXPECT_NE(text.find("(at most: 1 too far back to tell)"), std::string::npos) << text;
}

TEST_F(AckLogSummary, ThePrintedSummaryShowsTheShareLoggedAndFlagsOutOfOrderRecords) {
  const std::string path = write({1, 3, 2}, 1);
  const std::string text = format_log_summary(path, summarize_log(path, ReadMode::strict), false);
  EXPECT_NE(text.find("records     3   dropped 1   logged 75.00% of 4 acks\n"), std::string::npos) << text;
  EXPECT_NE(text.find("event_seq   1 .. 3   missing between records 0   OUT OF ORDER 1 (late 1, duplicate 0)\n"),
            std::string::npos) << text;
  EXPECT_EQ(text.find("salvaged"), std::string::npos) << text;
}

TEST_F(AckLogSummary, TheCsvHasAHeaderThenOneRowPerRecordWithItsLatency) {
  std::string csv;
  const ReadResult r = write_log_csv(write({7, 8}), ReadMode::strict, [&](std::string_view chunk) { csv += chunk; });
  ASSERT_FALSE(r.error);
  EXPECT_EQ(csv.rfind("event_seq,feed_seq,", 0), 0u);
  EXPECT_NE(csv.find("\n7,0,1000000,0,0,0,1001000,1,READY,1000.0\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find("\n8,0,2000000,0,0,0,2001000,0,DEGRADED,1000.0\n"), std::string::npos) << csv;
}

TEST_F(AckLogSummary, ALogThatIsNotAnAckLogYieldsItsErrorAndNoRows) {
  const std::string path = (dir_ / "junk.bin").string();
  std::ofstream(path) << std::string(200, 'x');
  std::string csv;
  const ReadResult r = write_log_csv(path, ReadMode::salvage, [&](std::string_view chunk) { csv += chunk; });
  ASSERT_TRUE(r.error);
  EXPECT_TRUE(csv.empty());
  EXPECT_TRUE(summarize_log(path, ReadMode::strict).read.error.has_value());
}

}  // namespace
}  // namespace tickpath::report::acklog
