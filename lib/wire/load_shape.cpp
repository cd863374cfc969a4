#include "wire/load_shape.hpp"

#include <cmath>

#include <fmt/format.h>

namespace tickpath::wire {

std::optional<Shape> parse_shape(std::string_view text) {
  if (text == "constant") return Shape::constant;
  if (text == "burst") return Shape::burst;
  if (text == "ramp") return Shape::ramp;
  if (text == "poisson") return Shape::poisson;
  return std::nullopt;
}

std::string_view to_string(Shape s) noexcept {
  switch (s) {
    case Shape::constant: return "constant";
    case Shape::burst: return "burst";
    case Shape::ramp: return "ramp";
    case Shape::poisson: return "poisson";
  }
  return "?";
}

std::string validate(const LoadSpec& s) {
  if (!(s.rate > 0) || !std::isfinite(s.rate)) return fmt::format("--rate must be > 0 frames/s (got {})", s.rate);
  if (s.shape == Shape::burst) {
    if (s.burst_size == 0) return "--burst-size must be >= 1";
    if (!(s.burst_interval_ns > 0)) return "--burst-interval-us must be > 0";
  }
  if (s.shape == Shape::ramp) {
    if (!(s.ramp_to > 0)) return fmt::format("--ramp-to must be > 0 frames/s with --shape ramp (got {})", s.ramp_to);
    if (!(s.ramp_ns > 0)) return "the ramp needs a duration > 0 (--duration)";
  }
  return {};
}

double LoadSchedule::next_ns() {
  const std::uint64_t i = index_++;
  switch (spec_.shape) {
    case Shape::constant:
      return static_cast<double>(i) * 1e9 / spec_.rate;
    case Shape::burst:
      return static_cast<double>(i / spec_.burst_size) * spec_.burst_interval_ns;
    case Shape::ramp: {
      if (i == 0) return 0;
      // The rate at the current time, linear in time, then held at ramp_to.
      const double f = t_ >= spec_.ramp_ns ? 1.0 : t_ / spec_.ramp_ns;
      const double rate = spec_.rate + (spec_.ramp_to - spec_.rate) * f;
      t_ += 1e9 / rate;
      return t_;
    }
    case Shape::poisson: {
      if (i == 0) return 0;
      std::exponential_distribution<double> gap(spec_.rate / 1e9);
      t_ += gap(rng_);
      return t_;
    }
  }
  return 0;
}

}  // namespace tickpath::wire
