#include "config/config.hpp"

#include <bit>
#include <cmath>
#include <functional>
#include <optional>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <toml++/toml.h>

namespace tickpath::config {
namespace {

// Where a value came from, appended to every message about it.
std::string where(const toml::node& node, const std::string& origin) {
  if (!origin.empty()) return origin;
  const auto& src = node.source();
  if (src.begin.line == 0) return "";
  return fmt::format("({}:{}:{})", src.path ? *src.path : std::string("<config>"), src.begin.line, src.begin.column);
}

const char* type_name(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::string: return "string";
    case toml::node_type::integer: return "integer";
    case toml::node_type::floating_point: return "float";
    case toml::node_type::boolean: return "boolean";
    case toml::node_type::array: return "array";
    case toml::node_type::table: return "table";
    default: return "date/time";
  }
}

// Applies one value; returns an error message (without location) or nullopt.
using Apply = std::function<std::optional<std::string>(const toml::node&, Config&)>;

struct Key {
  std::string name;
  Apply apply;
};

std::optional<std::string> want(const toml::node& n, const char* expected) {
  return fmt::format("expected {}, got {}", expected, type_name(n));
}


template <class Member>
Apply int_key(Member member, std::int64_t lo, std::int64_t hi, bool power_of_two = false) {
  return [=](const toml::node& n, Config& c) -> std::optional<std::string> {
    const auto v = n.value_exact<std::int64_t>();
    if (!v) return want(n, "an integer");
    if (power_of_two && (*v <= 0 || !std::has_single_bit(static_cast<std::uint64_t>(*v)))) {
      return fmt::format("{} is not a power of two", *v);
    }
    if (*v < lo || *v > hi) return fmt::format("{} is out of range [{}, {}]", *v, lo, hi);
    member(c) = *v;
    return std::nullopt;
  };
}

template <class Member>
Apply float_key(Member member, double lo, double hi, bool lo_exclusive) {
  return [=](const toml::node& n, Config& c) -> std::optional<std::string> {
    std::optional<double> v = n.value_exact<double>();
    if (!v) {
      if (auto i = n.value_exact<std::int64_t>()) v = static_cast<double>(*i);
    }
    if (!v) return want(n, "a number");
    if (!std::isfinite(*v) || *v < lo || *v > hi || (lo_exclusive && *v == lo)) {
      return fmt::format("{} is out of range {}{}, {}]", *v, lo_exclusive ? "(" : "[", lo, hi);
    }
    member(c) = *v;
    return std::nullopt;
  };
}

template <class Member>
Apply bool_key(Member member) {
  return [=](const toml::node& n, Config& c) -> std::optional<std::string> {
    const auto v = n.value_exact<bool>();
    if (!v) return want(n, "a boolean");
    member(c) = *v;
    return std::nullopt;
  };
}

template <class Member>
Apply string_key(Member member, std::vector<std::string> allowed = {}) {
  return [=](const toml::node& n, Config& c) -> std::optional<std::string> {
    const auto v = n.value_exact<std::string>();
    if (!v) return want(n, "a string");
    if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), *v) == allowed.end()) {
      return fmt::format("\"{}\" is not one of {}", *v, fmt::join(allowed, " | "));
    }
    member(c) = *v;
    return std::nullopt;
  };
}

template <class Member>
Apply string_list_key(Member member) {
  return [=](const toml::node& n, Config& c) -> std::optional<std::string> {
    const toml::array* a = n.as_array();
    if (a == nullptr) return want(n, "an array of strings");
    std::vector<std::string> out;
    for (const toml::node& item : *a) {
      const auto s = item.value_exact<std::string>();
      if (!s) return fmt::format("expected an array of strings, found a {}", type_name(item));
      out.push_back(*s);
    }
    member(c) = std::move(out);
    return std::nullopt;
  };
}

#define FIELD(path) [](Config& c) -> auto& { return c.path; }

const std::vector<Key>& schema() {
  static const std::vector<Key> keys = {
      {"eal.args", string_list_key(FIELD(eal.args))},
      {"eal.file_prefix", string_key(FIELD(eal.file_prefix))},
      {"eal.hugepages", string_key(FIELD(eal.hugepages), {"auto", "required", "off"})},
      {"eal.memory_mb", int_key(FIELD(eal.memory_mb), 0, 1 << 20)},
      {"port.vdev", string_key(FIELD(port.vdev))},
      {"port.pci", string_key(FIELD(port.pci))},
      {"port.rx_descriptors", int_key(FIELD(port.rx_descriptors), 64, 16384, true)},
      {"port.mbufs", int_key(FIELD(port.mbufs), 511, 1 << 24)},
      {"port.mbuf_cache", int_key(FIELD(port.mbuf_cache), 0, 512)},
      {"port.promiscuous", bool_key(FIELD(port.promiscuous))},
      {"port.hw_timestamps", bool_key(FIELD(port.hw_timestamps))},
      {"ingest.format", string_key(FIELD(ingest.format), {"raw", "moldudp64"})},
      {"ingest.udp_port", int_key(FIELD(ingest.udp_port), 1, 65535)},
      {"ingest.burst", int_key(FIELD(ingest.burst), 1, 64)},
      {"ring.capacity", int_key(FIELD(ring.capacity), 512, 1 << 24, true)},
      {"cores.ingest", int_key(FIELD(cores.ingest), -1, 4095)},
      {"cores.execution", int_key(FIELD(cores.execution), -1, 4095)},
      {"cores.housekeeping", int_key(FIELD(cores.housekeeping), -1, 4095)},
      {"cores.require_isolated", bool_key(FIELD(cores.require_isolated))},
      {"cores.idle", string_key(FIELD(cores.idle), {"spin", "pause"})},
      {"warmup.steps", int_key(FIELD(warmup.steps), 0, INT64_MAX)},
      {"run.duration_s", float_key(FIELD(run.duration_s), 0, 1e7, true)},
      {"run.events", int_key(FIELD(run.events), 0, INT64_MAX)},
      {"run.rate_pps", float_key(FIELD(run.rate_pps), 0, 1e10, false)},
      {"run.stats_interval_ms", int_key(FIELD(run.stats_interval_ms), 100, 60000)},
      {"analytics.enabled", bool_key(FIELD(analytics.enabled))},
      {"report.dir", string_key(FIELD(report.dir))},
      {"report.ack_log", bool_key(FIELD(report.ack_log))},
      {"health.stale_after_ms", int_key(FIELD(health.stale_after_ms), 1, 3600000)},
      {"health.max_lag_events", int_key(FIELD(health.max_lag_events), 0, INT64_MAX)},
      {"http.listen", string_key(FIELD(http.listen))},
  };
  return keys;
}

#undef FIELD

const Key* find_key(std::string_view name) {
  for (const Key& k : schema()) {
    if (k.name == name) return &k;
  }
  return nullptr;
}

std::optional<ConfigError> apply(const std::string& name, const toml::node& value, Config& c, const std::string& origin) {
  const Key* key = find_key(name);
  if (key == nullptr) {
    return ConfigError{name, fmt::format("unknown key '{}' {}", name, where(value, origin))};
  }
  if (auto error = key->apply(value, c)) {
    return ConfigError{name, fmt::format("{}: {} {}", name, *error, where(value, origin))};
  }
  return std::nullopt;
}

std::optional<ConfigError> apply_table(const toml::table& root, Config& c) {
  for (const auto& [table_key, table_node] : root) {
    const std::string table_name(table_key.str());
    const toml::table* table = table_node.as_table();
    if (table == nullptr) {
      return ConfigError{table_name, fmt::format("unknown key '{}' {}: settings live in tables such as [ring]",
                                                 table_name, where(table_node, ""))};
    }
    for (const auto& [key, node] : *table) {
      if (auto e = apply(table_name + "." + std::string(key.str()), node, c, "")) return e;
    }
  }
  return std::nullopt;
}

std::optional<ConfigError> apply_override(const std::string& text, Config& c) {
  const std::size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0) {
    return ConfigError{"", fmt::format("--set {}: expected key=value, e.g. --set ring.capacity=4096", text)};
  }
  const std::string name = text.substr(0, eq);
  const std::string value = text.substr(eq + 1);
  if (find_key(name) == nullptr) return ConfigError{name, fmt::format("unknown key '{}' (from --set)", name)};
  toml::table parsed;
  try {
    parsed = toml::parse("v = " + value);
  } catch (const toml::parse_error&) {
    // A bare word (--set eal.hugepages=off) is a string.
    parsed = toml::table{{"v", value}};
  }
  return apply(name, *parsed.get("v"), c, "(from --set)");
}

std::optional<ConfigError> cross_checks(const Config& c) {
  if (c.port.vdev.empty() == c.port.pci.empty()) {
    return ConfigError{"port.vdev", "port.vdev / port.pci: set exactly one (a virtual device or a NIC's PCI address)"};
  }
  if (c.port.mbuf_cache > c.port.mbufs / 4) {
    return ConfigError{"port.mbuf_cache", fmt::format("port.mbuf_cache: {} is more than a quarter of port.mbufs ({})",
                                                      c.port.mbuf_cache, c.port.mbufs)};
  }
  return std::nullopt;
}

}  // namespace

LoadResult load_config(const std::string& path, const std::vector<std::string>& overrides) {
  Config c;
  if (!path.empty()) {
    toml::table root;
    try {
      root = toml::parse_file(path);
    } catch (const toml::parse_error& e) {
      const auto& b = e.source().begin;
      return ConfigError{"", b.line == 0 ? fmt::format("{}: {}", path, e.description())
                                         : fmt::format("{}:{}:{}: {}", path, b.line, b.column, e.description())};
    }
    if (auto e = apply_table(root, c)) return *e;
  }
  for (const std::string& o : overrides) {
    if (auto e = apply_override(o, c)) return *e;
  }
  if (auto e = cross_checks(c)) return *e;
  return c;
}

nlohmann::json to_json(const Config& c) {
  return {
      {"eal", {{"args", c.eal.args}, {"file_prefix", c.eal.file_prefix}, {"hugepages", c.eal.hugepages}, {"memory_mb", c.eal.memory_mb}}},
      {"port", {{"vdev", c.port.vdev}, {"pci", c.port.pci}, {"rx_descriptors", c.port.rx_descriptors}, {"mbufs", c.port.mbufs},
                {"mbuf_cache", c.port.mbuf_cache}, {"promiscuous", c.port.promiscuous}, {"hw_timestamps", c.port.hw_timestamps}}},
      {"ingest", {{"format", c.ingest.format}, {"udp_port", c.ingest.udp_port}, {"burst", c.ingest.burst}}},
      {"ring", {{"capacity", c.ring.capacity}}},
      {"cores", {{"ingest", c.cores.ingest}, {"execution", c.cores.execution}, {"housekeeping", c.cores.housekeeping},
                 {"require_isolated", c.cores.require_isolated}, {"idle", c.cores.idle}}},
      {"warmup", {{"steps", c.warmup.steps}}},
      {"run", {{"duration_s", c.run.duration_s}, {"events", c.run.events}, {"rate_pps", c.run.rate_pps},
               {"stats_interval_ms", c.run.stats_interval_ms}}},
      {"analytics", {{"enabled", c.analytics.enabled}}},
      {"report", {{"dir", c.report.dir}, {"ack_log", c.report.ack_log}}},
      {"health", {{"stale_after_ms", c.health.stale_after_ms}, {"max_lag_events", c.health.max_lag_events}}},
      {"http", {{"listen", c.http.listen}}},
  };
}

std::vector<std::string> known_keys() {
  std::vector<std::string> out;
  for (const Key& k : schema()) out.push_back(k.name);
  return out;
}

}  // namespace tickpath::config
