#pragma once
// The config's closed choices (a TOML string on the way in, an enum everywhere after): each enum
// with the one table of its names, so the parser, the error message listing the allowed words and
// summary.json's effective config read the same spelling. Light on purpose: platform/dpdk's
// hugepage decision includes it without the config model.
#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace tickpath::config {

template <class E>
struct Named {
  std::string_view name;
  E value;
};

// eal.hugepages: see platform/dpdk/hugepages.hpp for what each policy does.
enum class HugepagePolicy : std::uint8_t { automatic, required, off };
// ingest.format: the decoder compiled into the ingest stage.
enum class IngestFormat : std::uint8_t { raw, moldudp64 };
// cores.idle: the hot threads' strategy. No backoff: it yields and sleeps (system calls).
enum class HotIdle : std::uint8_t { spin, pause };
// cores.housekeeping_idle: housekeeping consumers share a cpu with the control plane, so they may back off.
enum class HousekeepingIdle : std::uint8_t { spin, pause, backoff };
// observability.sink: the executor's sink, chosen once at start-up.
enum class SinkKind : std::uint8_t { metrics, null };

// In the order the error message lists them.
constexpr std::array<Named<HugepagePolicy>, 3> choices(HugepagePolicy) {
  return {{{"auto", HugepagePolicy::automatic}, {"required", HugepagePolicy::required}, {"off", HugepagePolicy::off}}};
}
constexpr std::array<Named<IngestFormat>, 2> choices(IngestFormat) {
  return {{{"raw", IngestFormat::raw}, {"moldudp64", IngestFormat::moldudp64}}};
}
constexpr std::array<Named<HotIdle>, 2> choices(HotIdle) { return {{{"spin", HotIdle::spin}, {"pause", HotIdle::pause}}}; }
constexpr std::array<Named<HousekeepingIdle>, 3> choices(HousekeepingIdle) {
  return {{{"spin", HousekeepingIdle::spin}, {"pause", HousekeepingIdle::pause}, {"backoff", HousekeepingIdle::backoff}}};
}
constexpr std::array<Named<SinkKind>, 2> choices(SinkKind) { return {{{"metrics", SinkKind::metrics}, {"null", SinkKind::null}}}; }

template <class E>
concept Choice = requires(E e) { choices(e); };

template <Choice E>
[[nodiscard]] constexpr std::string_view to_string(E value) noexcept {
  for (const auto& c : choices(E{})) {
    if (c.value == value) return c.name;
  }
  return "?";
}

template <Choice E>
[[nodiscard]] constexpr std::optional<E> parse_choice(std::string_view name) noexcept {
  for (const auto& c : choices(E{})) {
    if (c.name == name) return c.value;
  }
  return std::nullopt;
}

}  // namespace tickpath::config
