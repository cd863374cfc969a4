#pragma once
// When `tickpath gen` sends each frame: the load shapes as a pure schedule of send times (ns
// since the start), so shapes are unit-tested without a clock and the pcap writer can record the
// planned timing (tcpreplay then reproduces the shape).
//
//   constant  one frame every 1/rate
//   burst     `burst_size` frames back to back (same instant) every `burst_interval_ns`
//   ramp      rate rising (or falling) linearly from `rate` to `ramp_to` over `ramp_ns`
//   poisson   exponential inter-arrival times with mean 1/rate (seeded: reproducible)
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>

namespace tickpath::wire {

enum class Shape { constant, burst, ramp, poisson };

[[nodiscard]] std::optional<Shape> parse_shape(std::string_view text);
[[nodiscard]] std::string_view to_string(Shape s) noexcept;

struct LoadSpec {
  Shape shape = Shape::constant;
  double rate = 100'000;           // frames per second (ramp: the starting rate)
  double ramp_to = 0;              // ramp: final rate
  double ramp_ns = 1e9;            // ramp: how long the ramp lasts (then ramp_to holds)
  std::uint64_t burst_size = 16;   // burst: frames per burst
  double burst_interval_ns = 1e6;  // burst: from one burst's start to the next
  std::uint64_t seed = 1;          // poisson
};

// Empty when the spec is usable, else what is wrong (names the option).
[[nodiscard]] std::string validate(const LoadSpec& spec);

class LoadSchedule {
 public:
  explicit LoadSchedule(const LoadSpec& spec) : spec_(spec), rng_(spec.seed) {}
  // The send time of the next frame, ns since the start; non-decreasing.
  double next_ns();

 private:
  LoadSpec spec_;
  std::mt19937_64 rng_;
  std::uint64_t index_ = 0;
  double t_ = 0;
};

}  // namespace tickpath::wire
