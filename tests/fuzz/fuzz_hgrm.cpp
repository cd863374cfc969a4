// libFuzzer: .hgrm percentile-distribution text through parse_hgrm. Invariant: an error or a
// table whose rows are in order (the parser checks it); never an exception, a hang or a crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "report/hgrm.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  (void)tickpath::report::parse_hgrm(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
