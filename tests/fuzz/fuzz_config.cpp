// libFuzzer: TOML text plus --set strings through config loading and validation.
//
// The input is split at NUL bytes: the first part is the config file, every further part one
// --set override. Invariants:
//   - an error names a key or is a file-level error, and its message is never empty;
//   - whatever validation accepts serialises to JSON (summary.json's `config`): the --set
//     value with invalid UTF-8 of issue 14 was accepted and aborted the run at its end;
//   - accepted values are in the ranges the appliance relies on (cross-field checks included).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <variant>
#include <vector>

#include "config/config.hpp"
#include "tests/fuzz/fuzz_input_file.hpp"

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tickpath::config;
  const std::string input(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> parts;
  for (std::size_t start = 0;;) {
    const std::size_t nul = input.find('\0', start);
    parts.push_back(input.substr(start, nul == std::string::npos ? std::string::npos : nul - start));
    if (nul == std::string::npos || parts.size() == 9) break;
    start = nul + 1;
  }
  const std::string path = tickpath::fuzz::write_input("config.toml", parts[0].data(), parts[0].size());
  const std::vector<std::string> overrides(parts.begin() + 1, parts.end());
  const LoadResult r = load_config(path, overrides);
  if (const auto* e = std::get_if<ConfigError>(&r)) {
    check(!e->message.empty());
    return 0;
  }
  const Config& c = std::get<Config>(r);
  (void)to_json(c).dump();  // throws (and the fuzzer reports it) on a string that is not UTF-8
  check(c.port.mbufs >= c.port.rx_descriptors + c.port.mbuf_cache + c.ingest.burst);
  check(c.health.max_lag_events <= c.ring.capacity);
  check(c.run.duration_s >= 0.1 && c.warmup.steps <= 1'000'000'000);
  for (const auto& w : c.failure.schedule) check(w.at_event >= 0 && w.for_events > 0 && w.at_event <= INT64_MAX - w.for_events);
  return 0;
}
