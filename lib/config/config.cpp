#include "config/config.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string_view>
#include <type_traits>
#include <utility>

#include <arpa/inet.h>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <toml++/toml.h>

#include "config/http_access.hpp"
#include "config/multicast_group.hpp"

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

// A field of Config as a callable (`field(&Config::ring, &Config::Ring::capacity)`), so one
// schema row names the key and the member it lands in, without a macro.
template <class Table, class Field>
auto field(Table Config::*table, Field Table::*member) {
  return [=](Config& c) -> Field& { return c.*table.*member; };
}

// [ingest.lines] and its [ingest.lines.a] / [ingest.lines.b] sub-tables.
template <class Field>
auto lines(Field Config::Ingest::Lines::*member) {
  return [=](Config& c) -> Field& { return c.ingest.lines.*member; };
}
template <class Field>
auto line(Config::Ingest::Line Config::Ingest::Lines::*which, Field Config::Ingest::Line::*member) {
  return [=](Config& c) -> Field& { return c.ingest.lines.*which.*member; };
}

inline constexpr std::int64_t kMaxInt = std::numeric_limits<std::int64_t>::max();
// TOML integers are signed: an event count or window end beyond 2^63 - 1 cannot be written down.
inline constexpr std::uint64_t kMaxEvent = static_cast<std::uint64_t>(kMaxInt);
inline constexpr std::int64_t kMaxCpu = 4095;  // Linux's default NR_CPUS ceiling
inline constexpr std::int64_t kMaxRxQueue = 1023;  // RTE_MAX_QUEUES_PER_PORT - 1 (DPDK 22.11's default)
// Warmup steps are events through the whole path: 10^9 is minutes even at the null PMD's rate, and
// a warmup that never ends is a run that never becomes READY.
inline constexpr std::int64_t kMaxWarmupSteps = 1'000'000'000;
// A run shorter than the shortest stats interval (100 ms) has no interval to report.
inline constexpr double kMinDurationS = 0.1;

// A key whose TOML value must be exactly a T (`expected` names T in the error). `store` checks the
// value and writes it to the member, or returns what is wrong and leaves the member as it was.
template <class T, class Member, class Store>
Apply typed_key(Member member, const char* expected, Store store) {
  return [=](const toml::node& n, Config& c) -> std::optional<std::string> {
    const std::optional<T> v = n.value_exact<T>();
    if (!v) return want(n, expected);
    return store(*v, member(c));
  };
}

// The store of a key whose every value of the right type is valid.
constexpr auto kStoreAsIs = [](const auto& value, auto& field) -> std::optional<std::string> {
  field = value;
  return std::nullopt;
};

template <class Member>
Apply int_key(Member member, std::int64_t lo, std::int64_t hi, bool power_of_two = false) {
  return typed_key<std::int64_t>(member, "an integer", [=](std::int64_t v, auto& field) -> std::optional<std::string> {
    if (power_of_two && (v <= 0 || !std::has_single_bit(static_cast<std::uint64_t>(v)))) {
      return fmt::format("{} is not a power of two", v);
    }
    if (v < lo || v > hi) return fmt::format("{} is out of range [{}, {}]", v, lo, hi);
    // In range, so it fits the field (every field's type holds its key's [lo, hi]).
    field = static_cast<std::remove_reference_t<decltype(field)>>(v);
    return std::nullopt;
  });
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
  return typed_key<bool>(member, "a boolean", kStoreAsIs);
}

template <class Member>
Apply string_key(Member member) {
  return typed_key<std::string>(member, "a string", kStoreAsIs);
}

// A closed choice (choices.hpp): the TOML string becomes the enum, or the error lists the words.
template <class Member>
Apply choice_key(Member member) {
  return typed_key<std::string>(member, "a string", [](const std::string& v, auto& field) -> std::optional<std::string> {
    using E = std::remove_reference_t<decltype(field)>;
    const std::optional<E> parsed = parse_choice<E>(v);
    if (!parsed) {
      std::vector<std::string_view> names;
      for (const auto& choice : choices(E{})) names.push_back(choice.name);
      return fmt::format("\"{}\" is not one of {}", v, fmt::join(names, " | "));
    }
    field = *parsed;
    return std::nullopt;
  });
}

// ingest.lines.<x>.multicast: "" (any destination) or a dotted-quad group in 224.0.0.0/4.
template <class Member>
Apply multicast_key(Member member) {
  return typed_key<std::string>(member, "a string", [](const std::string& v, std::string& field) -> std::optional<std::string> {
    if (!v.empty() && !parse_multicast_group(v)) {
      return fmt::format("\"{}\" is not an IPv4 multicast group (dotted quad in 224.0.0.0/4, e.g. \"239.1.1.1\")", v);
    }
    field = v;
    return std::nullopt;
  });
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

// http.listen: "" (off), or host:port where host is an IPv4 literal, a bracketed IPv6 literal or
// localhost, and port 0..65535 (0: an ephemeral port). The platform layer parses it again to bind;
// checking here rejects "not-an-address" before the EAL starts.
std::optional<std::string> listen_problem(const std::string& listen) {
  if (listen.empty()) return std::nullopt;
  const std::size_t colon = listen.rfind(':');
  if (colon == std::string::npos) return std::string("no :port");
  std::string host = listen.substr(0, colon);
  const std::string port = listen.substr(colon + 1);
  if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos ||
      std::stoul(port) > 65535) {
    return fmt::format("port \"{}\" is not a number in 0..65535", port);
  }
  unsigned char buf[16];
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
    if (inet_pton(AF_INET6, host.c_str(), buf) == 1) return std::nullopt;
    return fmt::format("\"{}\" is not an IPv6 address", host);
  }
  if (host == "localhost" || inet_pton(AF_INET, host.c_str(), buf) == 1) return std::nullopt;
  return fmt::format("\"{}\" is not an IPv4 address, [IPv6 address] or localhost", host);
}

Apply listen_key() {
  const Apply plain = string_key(field(&Config::http, &Config::Http::listen));
  return [plain](const toml::node& n, Config& c) -> std::optional<std::string> {
    if (auto e = plain(n, c)) return e;
    if (auto problem = listen_problem(c.http.listen)) {
      return fmt::format("{} (e.g. \"127.0.0.1:9109\", \"[::1]:9109\", \"\" for off)", *problem);
    }
    return std::nullopt;
  };
}

// cores.idle: the hot threads' strategy. "backoff" exists (cores.housekeeping_idle) but yields and
// sleeps, which a hot thread must never do: say so rather than just listing the allowed words.
Apply hot_idle_key() {
  const Apply plain = choice_key(field(&Config::cores, &Config::Cores::idle));
  return [plain](const toml::node& n, Config& c) -> std::optional<std::string> {
    if (n.value_exact<std::string>() == std::optional<std::string>("backoff")) {
      return std::string(
          "\"backoff\" yields and sleeps (system calls) and is for housekeeping consumers only; hot threads "
          "take spin | pause (the analytics consumer's strategy is cores.housekeeping_idle)");
    }
    return plain(n, c);
  };
}

// [[failure.schedule]]: an array of tables {scenario, at_event, for_events}.
Apply schedule_key() {
  return [](const toml::node& n, Config& c) -> std::optional<std::string> {
    const toml::array* a = n.as_array();
    if (a == nullptr) return std::string("expected an array of tables ([[failure.schedule]])");
    std::vector<Config::Failure::Window> windows;
    for (const toml::node& item : *a) {
      const toml::table* t = item.as_table();
      if (t == nullptr) return fmt::format("expected tables, found a {}", type_name(item));
      Config::Failure::Window w;
      for (const auto& [k, v] : *t) {
        const std::string_view key = k.str();
        if (key == "scenario") {
          const auto s = v.value_exact<std::string>();
          if (!s || (*s != "market_data_outage" && *s != "execution_failure")) {
            return std::string("scenario must be \"market_data_outage\" or \"execution_failure\"");
          }
          w.scenario = *s;
        } else if (key == "at_event" || key == "for_events") {
          const auto i = v.value_exact<std::int64_t>();
          if (!i || *i < 0 || (key == "for_events" && *i == 0)) {
            return fmt::format("{} must be {} integer", key, key == "for_events" ? "a positive" : "a non-negative");
          }
          (key == "at_event" ? w.at_event : w.for_events) = static_cast<std::uint64_t>(*i);
          // The window's end, at_event + for_events, is compared below: it must not overflow.
          if (w.at_event > kMaxEvent - w.for_events) {
            return fmt::format("at_event {} + for_events {} is past 2^63 - 1", w.at_event, w.for_events);
          }
        } else {
          return fmt::format("unknown key '{}' in a [[failure.schedule]] entry (scenario, at_event, for_events)", key);
        }
      }
      if (w.scenario.empty() || w.for_events == 0) {
        return std::string("each [[failure.schedule]] entry needs scenario, at_event and for_events");
      }
      for (const auto& o : windows) {
        if (o.scenario == w.scenario && w.at_event < o.at_event + o.for_events && o.at_event < w.at_event + w.for_events) {
          return fmt::format("two {} windows overlap (at_event {} and {})", w.scenario, o.at_event, w.at_event);
        }
      }
      windows.push_back(w);
    }
    c.failure.schedule = std::move(windows);
    return std::nullopt;
  };
}

const std::vector<Key>& schema() {
  static const std::vector<Key> keys = {
      {"eal.args", string_list_key(field(&Config::eal, &Config::Eal::args))},
      {"eal.file_prefix", string_key(field(&Config::eal, &Config::Eal::file_prefix))},
      {"eal.hugepages", choice_key(field(&Config::eal, &Config::Eal::hugepages))},
      {"eal.memory_mb", int_key(field(&Config::eal, &Config::Eal::memory_mb), 0, 1 << 20)},
      {"port.vdev", string_key(field(&Config::port, &Config::Port::vdev))},
      {"port.pci", string_key(field(&Config::port, &Config::Port::pci))},
      {"port.rx_descriptors", int_key(field(&Config::port, &Config::Port::rx_descriptors), 64, 16384, true)},
      {"port.mbufs", int_key(field(&Config::port, &Config::Port::mbufs), 511, 1 << 24)},
      {"port.mbuf_cache", int_key(field(&Config::port, &Config::Port::mbuf_cache), 0, 512)},
      {"port.promiscuous", bool_key(field(&Config::port, &Config::Port::promiscuous))},
      {"port.hw_timestamps", bool_key(field(&Config::port, &Config::Port::hw_timestamps))},
      {"ingest.format", choice_key(field(&Config::ingest, &Config::Ingest::format))},
      {"ingest.udp_port", int_key(field(&Config::ingest, &Config::Ingest::udp_port), 1, 65535)},
      {"ingest.burst", int_key(field(&Config::ingest, &Config::Ingest::burst), 1, 64)},
      {"ingest.wall_clock_latency", bool_key(field(&Config::ingest, &Config::Ingest::wall_clock_latency))},
      {"ingest.lines.window", int_key(lines(&Config::Ingest::Lines::window), 64, 1 << 22, true)},
      {"ingest.lines.a.vdev", string_key(line(&Config::Ingest::Lines::a, &Config::Ingest::Line::vdev))},
      {"ingest.lines.a.pci", string_key(line(&Config::Ingest::Lines::a, &Config::Ingest::Line::pci))},
      {"ingest.lines.a.udp_port", int_key(line(&Config::Ingest::Lines::a, &Config::Ingest::Line::udp_port), 0, 65535)},
      {"ingest.lines.b.vdev", string_key(line(&Config::Ingest::Lines::b, &Config::Ingest::Line::vdev))},
      {"ingest.lines.b.pci", string_key(line(&Config::Ingest::Lines::b, &Config::Ingest::Line::pci))},
      {"ingest.lines.b.udp_port", int_key(line(&Config::Ingest::Lines::b, &Config::Ingest::Line::udp_port), 0, 65535)},
      {"ingest.lines.a.rx_queue", int_key(line(&Config::Ingest::Lines::a, &Config::Ingest::Line::rx_queue), 0, kMaxRxQueue)},
      {"ingest.lines.b.rx_queue", int_key(line(&Config::Ingest::Lines::b, &Config::Ingest::Line::rx_queue), 0, kMaxRxQueue)},
      {"ingest.lines.a.multicast", multicast_key(line(&Config::Ingest::Lines::a, &Config::Ingest::Line::multicast))},
      {"ingest.lines.b.multicast", multicast_key(line(&Config::Ingest::Lines::b, &Config::Ingest::Line::multicast))},
      {"ring.capacity", int_key(field(&Config::ring, &Config::Ring::capacity), 512, 1 << 24, true)},
      {"cores.ingest", int_key(field(&Config::cores, &Config::Cores::ingest), -1, kMaxCpu)},
      {"cores.execution", int_key(field(&Config::cores, &Config::Cores::execution), -1, kMaxCpu)},
      {"cores.housekeeping", int_key(field(&Config::cores, &Config::Cores::housekeeping), -1, kMaxCpu)},
      {"cores.require_isolated", bool_key(field(&Config::cores, &Config::Cores::require_isolated))},
      {"cores.idle", hot_idle_key()},
      {"cores.housekeeping_idle",
       choice_key(field(&Config::cores, &Config::Cores::housekeeping_idle))},
      {"preflight.jitter_s", float_key(field(&Config::preflight, &Config::Preflight::jitter_s), 0, 60, false)},
      {"preflight.c2c_samples", int_key(field(&Config::preflight, &Config::Preflight::c2c_samples), 0, 10'000'000)},
      {"warmup.steps", int_key(field(&Config::warmup, &Config::Warmup::steps), 0, kMaxWarmupSteps)},
      {"run.duration_s", float_key(field(&Config::run, &Config::Run::duration_s), kMinDurationS, 1e7, false)},
      {"run.events", int_key(field(&Config::run, &Config::Run::events), 0, kMaxInt)},
      {"run.rate_pps", float_key(field(&Config::run, &Config::Run::rate_pps), 0, 1e10, false)},
      {"run.stats_interval_ms", int_key(field(&Config::run, &Config::Run::stats_interval_ms), 100, 60000)},
      {"analytics.enabled", bool_key(field(&Config::analytics, &Config::Analytics::enabled))},
      {"failure.schedule", schedule_key()},
      {"automation.enabled", bool_key(field(&Config::automation, &Config::Automation::enabled))},
      {"observability.sink", choice_key(field(&Config::observability, &Config::Observability::sink))},
      {"report.dir", string_key(field(&Config::report, &Config::Report::dir))},
      {"report.ack_log", bool_key(field(&Config::report, &Config::Report::ack_log))},
      {"report.ack_queue", int_key(field(&Config::report, &Config::Report::ack_queue), 1024, 1 << 24, true)},
      {"health.stale_after_ms", int_key(field(&Config::health, &Config::Health::stale_after_ms), 1, 3600000)},
      {"health.max_lag_events", int_key(field(&Config::health, &Config::Health::max_lag_events), 0, kMaxInt)},
      {"health.max_line_skew_us", float_key(field(&Config::health, &Config::Health::max_line_skew_us), 0, 1e9, true)},
      {"http.listen", listen_key()},
      {"http.token_file", string_key(field(&Config::http, &Config::Http::token_file))},
      {"http.idle_timeout_s", int_key(field(&Config::http, &Config::Http::idle_timeout_s), 1, 3600)},
  };
  return keys;
}

const Key* find_key(std::string_view name) {
  for (const Key& k : schema()) {
    if (k.name == name) return &k;
  }
  return nullptr;
}

bool known_table(std::string_view table) {
  return std::any_of(schema().begin(), schema().end(), [&](const Key& k) {
    return k.name.size() > table.size() && k.name.compare(0, table.size(), table) == 0 && k.name[table.size()] == '.';
  });
}

// Shells make stray blanks easy ("--set 'ring.capacity = 1024'"); they are never meaningful.
std::string trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return std::string(s.substr(first, s.find_last_not_of(" \t") - first + 1));
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

// The keys of `table` (named `prefix`), descending into sub-tables such as [ingest.lines.a].
std::optional<ConfigError> apply_keys(const std::string& prefix, const toml::table& table, Config& c) {
  for (const auto& [key, node] : table) {
    const std::string name = prefix + "." + std::string(key.str());
    if (const toml::table* sub = node.as_table()) {
      if (!known_table(name)) return ConfigError{name, fmt::format("unknown table '[{}]' {}", name, where(node, ""))};
      if (auto e = apply_keys(name, *sub, c)) return e;
      continue;
    }
    if (auto e = apply(name, node, c, "")) return e;
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
    // An empty [rnig] has no key to reject, so the table name itself is checked: a typo'd table
    // header must not silently leave every setting at its default.
    if (!known_table(table_name)) {
      return ConfigError{table_name, fmt::format("unknown table '[{}]' {}", table_name, where(table_node, ""))};
    }
    if (auto e = apply_keys(table_name, *table, c)) return e;
  }
  return std::nullopt;
}

std::optional<ConfigError> apply_override(const std::string& text, Config& c) {
  if (!is_valid_utf8(text)) {
    const std::string name = trim(std::string_view(text).substr(0, text.find('=')));
    const bool name_ok = is_valid_utf8(name) && find_key(name) != nullptr;
    return ConfigError{name_ok ? name : "", fmt::format("--set {}: not valid UTF-8 (config values must be UTF-8 text)",
                                                        name_ok ? name : std::string("<key>"))};
  }
  const std::size_t eq = text.find('=');
  const std::string name = trim(std::string_view(text).substr(0, eq));
  if (eq == std::string::npos || name.empty()) {
    return ConfigError{"", fmt::format("--set {}: expected key=value, e.g. --set ring.capacity=4096", text)};
  }
  const std::string value = trim(std::string_view(text).substr(eq + 1));
  if (find_key(name) == nullptr) return ConfigError{name, fmt::format("unknown key '{}' (from --set)", name)};
  toml::table parsed;
  try {
    parsed = toml::parse("v = " + value);
  } catch (const toml::parse_error&) {
    parsed = {};
  }
  // A bare word (--set eal.hugepages=off) is not TOML and is taken as a string; so is anything
  // that parses into more than the one value (a newline smuggling in a second key).
  if (parsed.size() != 1 || !parsed.contains("v")) parsed = toml::table{{"v", value}};
  return apply(name, *parsed.get("v"), c, "(from --set)");
}

// [ingest.lines]: each line exactly one port; both of one kind (the EAL either probes PCI or
// not); two different devices; arbitration needs sequence numbers.
std::optional<ConfigError> lines_checks(const Config& c) {
  const auto& l = c.ingest.lines;
  if (!l.two()) {
    if (!l.a.vdev.empty() || !l.a.pci.empty()) {
      return ConfigError{"ingest.lines.b.vdev",
                         "ingest.lines.b.vdev / ingest.lines.b.pci: line A is set but line B is not (one line is [port])"};
    }
    // Per-line keys without two lines would be ignored silently: refuse them instead.
    for (const auto& [key, set] : {std::pair{"ingest.lines.a.rx_queue", l.a.rx_queue != 0},
                                   std::pair{"ingest.lines.a.multicast", !l.a.multicast.empty()},
                                   std::pair{"ingest.lines.b.rx_queue", l.b.rx_queue != 0},
                                   std::pair{"ingest.lines.b.multicast", !l.b.multicast.empty()}}) {
      if (set) {
        return ConfigError{key, fmt::format("{}: set, but there is no line B (ingest.lines.b.vdev / .pci): "
                                            "one line is [port] and reads queue 0 with any destination", key)};
      }
    }
    return std::nullopt;
  }
  if (!l.b.vdev.empty() && !l.b.pci.empty()) {
    return ConfigError{"ingest.lines.b.pci", "ingest.lines.b.vdev / ingest.lines.b.pci: set exactly one"};
  }
  if (l.a.vdev.empty() == l.a.pci.empty()) {
    return ConfigError{"ingest.lines.a.vdev",
                       "ingest.lines.a.vdev / ingest.lines.a.pci: set exactly one when line B is configured"};
  }
  if (l.a.vdev.empty() != l.b.vdev.empty()) {
    return ConfigError{"ingest.lines.b.pci", "ingest.lines.b: both lines must be virtual devices or both PCI ports"};
  }
  const auto device = [](const Config::Ingest::Line& x) { return device_name(x.vdev, x.pci); };
  if (device(l.a) == device(l.b)) {
    return ConfigError{"ingest.lines.b.vdev", fmt::format("ingest.lines.b: line B uses line A's device '{}'", device(l.a))};
  }
  if (c.ingest.format != IngestFormat::moldudp64) {
    return ConfigError{"ingest.format", "ingest.format: two lines need \"moldudp64\" (raw frames carry no sequence number to arbitrate)"};
  }
  return std::nullopt;
}

std::optional<ConfigError> cross_checks(const Config& c) {
  if (auto e = lines_checks(c)) return e;
  if (c.port.vdev.empty() == c.port.pci.empty()) {
    return ConfigError{"port.vdev", "port.vdev / port.pci: set exactly one (a virtual device or a NIC's PCI address)"};
  }
  // The rx queue holds one mbuf per descriptor, each lcore cache may hold mbuf_cache more, and a
  // burst is in flight: fewer mbufs than that and rx stalls (or the queue fails to start).
  if (c.port.mbufs < c.port.rx_descriptors + c.port.mbuf_cache + c.ingest.burst) {
    return ConfigError{"port.mbufs", fmt::format("port.mbufs: {} is fewer than port.rx_descriptors ({}) + port.mbuf_cache ({}) + "
                                                 "ingest.burst ({}): the rx queue alone would hold every mbuf",
                                                 c.port.mbufs, c.port.rx_descriptors, c.port.mbuf_cache, c.ingest.burst)};
  }
  // A consumer's lag cannot exceed the ring: beyond it the consumer was lapped (an overrun), so a
  // bigger threshold could never fire.
  if (c.health.max_lag_events > c.ring.capacity) {
    return ConfigError{"health.max_lag_events",
                       fmt::format("health.max_lag_events: {} is beyond ring.capacity ({}): a lag that large is an overrun, "
                                   "never a lag (0: the ring's capacity)", c.health.max_lag_events, c.ring.capacity)};
  }
  if (c.port.mbuf_cache > c.port.mbufs / 4) {
    return ConfigError{"port.mbuf_cache", fmt::format("port.mbuf_cache: {} is more than a quarter of port.mbufs ({})",
                                                      c.port.mbuf_cache, c.port.mbufs)};
  }
  if (!c.http.listen.empty() && c.http.token_file.empty() && !listen_is_loopback(c.http.listen)) {
    return ConfigError{"http.token_file",
                       fmt::format("http.token_file: http.listen \"{}\" is not a loopback address, so the failure "
                                   "switches would be open to the network: set http.token_file to a file holding a "
                                   "bearer token (chmod 600)",
                                   c.http.listen)};
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

namespace {
template <Choice E>
std::string name(E value) {
  return std::string(to_string(value));
}

nlohmann::json schedule_json(const Config& c) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& w : c.failure.schedule) {
    out.push_back({{"scenario", w.scenario}, {"at_event", w.at_event}, {"for_events", w.for_events}});
  }
  return out;
}
}  // namespace

nlohmann::json to_json(const Config& c) {
  return {
      {"eal", {{"args", c.eal.args}, {"file_prefix", c.eal.file_prefix}, {"hugepages", name(c.eal.hugepages)}, {"memory_mb", c.eal.memory_mb}}},
      {"port", {{"vdev", c.port.vdev}, {"pci", c.port.pci}, {"rx_descriptors", c.port.rx_descriptors}, {"mbufs", c.port.mbufs},
                {"mbuf_cache", c.port.mbuf_cache}, {"promiscuous", c.port.promiscuous}, {"hw_timestamps", c.port.hw_timestamps}}},
      {"ingest", {{"format", name(c.ingest.format)}, {"udp_port", c.ingest.udp_port}, {"burst", c.ingest.burst},
                 {"wall_clock_latency", c.ingest.wall_clock_latency},
                 {"lines", {{"window", c.ingest.lines.window},
                            {"a", {{"vdev", c.ingest.lines.a.vdev}, {"pci", c.ingest.lines.a.pci}, {"udp_port", c.ingest.lines.a.udp_port},
                                   {"rx_queue", c.ingest.lines.a.rx_queue}, {"multicast", c.ingest.lines.a.multicast}}},
                            {"b", {{"vdev", c.ingest.lines.b.vdev}, {"pci", c.ingest.lines.b.pci}, {"udp_port", c.ingest.lines.b.udp_port},
                                   {"rx_queue", c.ingest.lines.b.rx_queue}, {"multicast", c.ingest.lines.b.multicast}}}}}}},
      {"ring", {{"capacity", c.ring.capacity}}},
      {"cores", {{"ingest", c.cores.ingest}, {"execution", c.cores.execution}, {"housekeeping", c.cores.housekeeping},
                 {"require_isolated", c.cores.require_isolated}, {"idle", name(c.cores.idle)},
                 {"housekeeping_idle", name(c.cores.housekeeping_idle)}}},
      {"preflight", {{"jitter_s", c.preflight.jitter_s}, {"c2c_samples", c.preflight.c2c_samples}}},
      {"warmup", {{"steps", c.warmup.steps}}},
      {"run", {{"duration_s", c.run.duration_s}, {"events", c.run.events}, {"rate_pps", c.run.rate_pps},
               {"stats_interval_ms", c.run.stats_interval_ms}}},
      {"analytics", {{"enabled", c.analytics.enabled}}},
      {"observability", {{"sink", name(c.observability.sink)}}},
      {"failure", {{"schedule", schedule_json(c)}}},
      {"automation", {{"enabled", c.automation.enabled}}},
      {"report", {{"dir", c.report.dir}, {"ack_log", c.report.ack_log}, {"ack_queue", c.report.ack_queue}}},
      {"health", {{"stale_after_ms", c.health.stale_after_ms}, {"max_lag_events", c.health.max_lag_events},
                  {"max_line_skew_us", c.health.max_line_skew_us}}},
      {"http", {{"listen", c.http.listen}, {"token_file", c.http.token_file},
                {"idle_timeout_s", c.http.idle_timeout_s}}},
  };
}

// nlohmann::json's strict dump is the UTF-8 check summary.json will apply at the end of a run;
// asking it here gives the same verdict before anything runs.
bool is_valid_utf8(const std::string& text) {
  try {
    (void)nlohmann::json(text).dump();
    return true;
  } catch (const nlohmann::json::type_error&) {
    return false;
  }
}

std::vector<std::string> known_keys() {
  std::vector<std::string> out;
  for (const Key& k : schema()) out.push_back(k.name);
  return out;
}

std::string device_name(const std::string& vdev, const std::string& pci) {
  return !pci.empty() ? pci : vdev.substr(0, vdev.find(','));
}

Config::Ingest::Line ingest_line(const Config& c, std::size_t which) {
  Config::Ingest::Line line;
  if (c.ingest.lines.two()) {
    line = which == 0 ? c.ingest.lines.a : c.ingest.lines.b;
  } else if (which == 0) {
    line.vdev = c.port.vdev;
    line.pci = c.port.pci;
  } else {
    return line;  // no line B: no device, udp_port 0
  }
  if (line.udp_port == 0) line.udp_port = c.ingest.udp_port;
  return line;
}

}  // namespace tickpath::config
