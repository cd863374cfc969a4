// tickpath_budget_driver [events]: runs every cycle-budget kernel (budget_kernels.hpp) once over
// `events` events (default 4096) and prints "kernel <name> <events run>" per kernel. It times
// nothing: scripts/cycle-budget.sh and tests/perf run it under `valgrind --tool=callgrind` and
// divide each kernel's inclusive instruction count by its events.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "bench/budget_kernels.hpp"

int main(int argc, char** argv) {
  namespace budget = tickpath::bench::budget;
  std::uint64_t events = 4096;
  if (argc > 2) {
    std::fprintf(stderr, "usage: tickpath_budget_driver [events]\n");
    return 2;
  }
  if (argc == 2) {
    char* end = nullptr;
    events = std::strtoull(argv[1], &end, 10);
    if (end == argv[1] || *end != '\0' || events == 0 || events > (std::uint64_t{1} << 32)) {
      std::fprintf(stderr, "tickpath_budget_driver: events must be a number in 1..2^32, got '%s'\n", argv[1]);
      return 2;
    }
  }
  try {
    budget::Fixture f;
    for (const budget::Kernel& k : budget::kKernels) {
      const std::uint64_t ran = k.run(f, events);
      // A kernel that ran fewer events than asked measured something else (drops, an overrun):
      // its per-event figure would be a lie.
      if (ran < events) {
        std::fprintf(stderr, "tickpath_budget_driver: kernel %s ran %llu of %llu events\n", k.name,
                     static_cast<unsigned long long>(ran), static_cast<unsigned long long>(events));
        return 1;
      }
      std::printf("kernel %s %llu\n", k.name, static_cast<unsigned long long>(ran));
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "tickpath_budget_driver: %s\n", e.what());
    return 1;
  }
  return 0;
}
