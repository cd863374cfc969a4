#include "platform/floor/c2c.hpp"

#include <algorithm>
#include <atomic>
#include <memory>
#include <thread>

#include <fmt/format.h>

#include "control/metrics/histogram.hpp"
#include "core/cacheline.hpp"
#include "core/time/tsc.hpp"
#include "platform/topology/thread.hpp"

namespace tickpath::platform {
namespace {

// The one line both threads write. Alone on its line (and away from the neighbouring lines the
// adjacent-line prefetcher pulls in), so the round trip is exactly two transfers of this line.
struct alignas(core::kFalseSharingRange) PingLine {
  // Round i: ping stores 2i+1, pong answers 2i+2. Free-running, never reset.
  std::atomic<std::uint64_t> seq{0};
};
static_assert(sizeof(PingLine) == core::kFalseSharingRange, "the ping line owns its prefetch pair");
static_assert(std::atomic<std::uint64_t>::is_always_lock_free);

// Round trips before recording: the line and both threads' code reach their steady state.
constexpr std::uint64_t kWarmupRounds = 1000;

// Both threads pin, then wait for each other; if either failed neither starts (the other would
// spin forever waiting for an answer).
struct StartGate {
  std::atomic<int> arrived{0};
  std::atomic<bool> failed{false};
  // Names and pins the calling thread, then waits for the partner: false when either could not
  // be pinned (the error, if it was this thread's, is in `error`).
  bool enter(const char* thread_name, int cpu, std::string& error) {
    name_current_thread(thread_name);
    auto e = pin_current_thread(cpu);
    if (e) error = *e;
    return pass(!e);
  }
  bool pass(bool ok) {
    if (!ok) failed.store(true, std::memory_order_relaxed);
    // acq_rel: the `failed` store above happens-before the other thread's read below.
    arrived.fetch_add(1, std::memory_order_acq_rel);
    while (arrived.load(std::memory_order_acquire) < 2) std::this_thread::yield();
    return !failed.load(std::memory_order_relaxed);
  }
};

}  // namespace

C2cPair measure_c2c_pair(int a, int b, std::uint64_t samples, const core::TscCalibration& calibration) {
  C2cPair pair;
  pair.a = a;
  pair.b = b;
  auto line = std::make_unique<PingLine>();
  auto hist = std::make_unique<control::Histogram>();
  StartGate gate;
  std::string error_a;
  std::string error_b;
  const std::uint64_t rounds = kWarmupRounds + samples;

  std::thread pong([&] {
    if (!gate.enter("tp-pmd-c2c-b", b, error_b)) return;
    for (std::uint64_t i = 0; i < rounds; ++i) {
      // acquire: partner of ping's release store; whatever ping wrote before its store is visible
      // here (the same pairing as the ring's publish -> poll, so this is that handoff's floor).
      while (line->seq.load(std::memory_order_acquire) != 2 * i + 1) {
      }
      // release: partner of ping's acquire load below.
      line->seq.store(2 * i + 2, std::memory_order_release);
    }
  });
  // Ping runs on its own thread too: the caller's affinity is never changed.
  std::thread ping([&] {
    if (!gate.enter("tp-pmd-c2c-a", a, error_a)) return;
    for (std::uint64_t i = 0; i < rounds; ++i) {
      const core::Ticks t0 = core::tsc_now();
      line->seq.store(2 * i + 1, std::memory_order_release);  // partner: pong's acquire load
      // acquire: partner of pong's release store. Plain spin, no PAUSE: PAUSE is ~65 cycles on
      // recent cores and would be counted as latency.
      while (line->seq.load(std::memory_order_acquire) != 2 * i + 2) {
      }
      const core::Ticks t1 = core::tsc_now();
      if (i >= kWarmupRounds) hist->record((t1 - t0) / 2);
    }
  });
  ping.join();
  pong.join();
  pair.error = !error_a.empty() ? error_a : error_b;
  if (pair.error.empty()) pair.one_way = control::summarize(hist->snapshot(), calibration);
  return pair;
}

std::variant<C2cReport, std::string> measure_c2c(const std::vector<int>& cpus, std::uint64_t samples,
                                                 const core::TscCalibration& calibration, const Machine& machine) {
  if (cpus.size() < 2) return std::string("c2c: needs at least two cpus");
  std::vector<int> sorted = cpus;
  std::sort(sorted.begin(), sorted.end());
  if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end()) return std::string("c2c: a cpu is listed twice");
  if (samples == 0) return std::string("c2c: samples must be positive");

  C2cReport report;
  report.cpus = sorted;
  report.samples = samples;
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    for (std::size_t j = i + 1; j < sorted.size(); ++j) {
      C2cPair p = measure_c2c_pair(sorted[i], sorted[j], samples, calibration);
      const Cpu* ca = machine.find(sorted[i]);
      const Cpu* cb = machine.find(sorted[j]);
      if (ca != nullptr && cb != nullptr) {
        p.smt_siblings = std::find(ca->smt_siblings.begin(), ca->smt_siblings.end(), cb->os_index) != ca->smt_siblings.end();
        p.cross_numa = ca->numa_node >= 0 && cb->numa_node >= 0 && ca->numa_node != cb->numa_node;
      }
      report.pairs.push_back(std::move(p));
    }
  }
  return report;
}

nlohmann::json to_json(const C2cPair& p) {
  nlohmann::json j{{"a", p.a}, {"b", p.b}, {"smt_siblings", p.smt_siblings}, {"cross_numa", p.cross_numa}};
  if (!p.error.empty()) {
    j["error"] = p.error;
  } else {
    j["one_way"] = control::to_json(p.one_way);
  }
  return j;
}

nlohmann::json to_json(const C2cReport& r) {
  nlohmann::json pairs = nlohmann::json::array();
  for (const C2cPair& p : r.pairs) pairs.push_back(to_json(p));
  return {{"cpus", r.cpus}, {"samples", r.samples}, {"pairs", pairs}};
}

std::string format_c2c(const C2cReport& r) {
  const auto find = [&](int a, int b) -> const C2cPair* {
    for (const C2cPair& p : r.pairs) {
      if ((p.a == a && p.b == b) || (p.a == b && p.b == a)) return &p;
    }
    return nullptr;
  };
  std::string out = fmt::format("c2c: one-way latency in ns (half a cache-line round trip), {} samples per pair\n",
                                r.samples);
  const struct {
    const char* name;
    double control::LatencySummary::*field;
  } views[] = {{"min", &control::LatencySummary::min},
               {"p50", &control::LatencySummary::p50},
               {"p99", &control::LatencySummary::p99}};
  bool any_smt = false;
  bool any_numa = false;
  for (const auto& view : views) {
    out += fmt::format("\n{:<6}", view.name);
    for (std::size_t j = 0; j + 1 < r.cpus.size(); ++j) out += fmt::format("{:>9}", fmt::format("cpu{}", r.cpus[j]));
    out += "\n";
    for (std::size_t i = 1; i < r.cpus.size(); ++i) {
      out += fmt::format("{:<6}", fmt::format("cpu{}", r.cpus[i]));
      for (std::size_t j = 0; j < i; ++j) {
        const C2cPair* p = find(r.cpus[i], r.cpus[j]);
        std::string cell = "?";
        if (p != nullptr && p->error.empty()) {
          cell = fmt::format("{:.0f}{}{}", p->one_way.*(view.field), p->smt_siblings ? "s" : "", p->cross_numa ? "n" : "");
          any_smt |= p->smt_siblings;
          any_numa |= p->cross_numa;
        } else if (p != nullptr) {
          cell = "err";
        }
        out += fmt::format("{:>9}", cell);
      }
      out += "\n";
    }
  }
  out += fmt::format("\nmarks: s = SMT siblings (one physical core){}, n = different NUMA nodes{}\n",
                     any_smt ? "" : " (none here)", any_numa ? "" : " (none here)");
  for (const C2cPair& p : r.pairs) {
    if (!p.error.empty()) out += fmt::format("cpu{} <-> cpu{}: {}\n", p.a, p.b, p.error);
  }
  return out;
}

}  // namespace tickpath::platform
