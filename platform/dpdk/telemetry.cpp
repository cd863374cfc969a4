#include "platform/dpdk/telemetry.hpp"

#include <rte_telemetry.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <exception>
#include <mutex>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "control/metrics/latency_summary.hpp"
#include "control/metrics/line_figures.hpp"

namespace tickpath::platform {
namespace {

// Held by each callback for as long as it uses g_api, so register_telemetry(nullptr) returning
// means no callback still reads the old ControlApi. Telemetry is rare and off the hot path.
std::mutex g_mutex;
const ControlApi* g_api = nullptr;  // guarded by g_mutex
bool g_registered = false;          // guarded by g_mutex

// Dict keys may hold only alphanumerics, '_' and '/'; stage, consumer and drop-reason names come
// from configuration, so anything else becomes '_' rather than failing the whole reply.
std::string key(std::string_view name) {
  std::string out(name.substr(0, RTE_TEL_MAX_STRING_LEN - 1));
  for (char& c : out) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '/';
    if (!ok) c = '_';
  }
  return out;
}

// Values longer than a dict string (127 bytes) are truncated by DPDK; that is fine for a reason
// text, so E2BIG is not an error here.
void add_string(rte_tel_data* d, std::string_view name, const std::string& value) {
  (void)rte_tel_data_add_dict_string(d, key(name).c_str(), value.c_str());
}

void add_u64(rte_tel_data* d, std::string_view name, std::uint64_t value) {
  (void)rte_tel_data_add_dict_u64(d, key(name).c_str(), value);
}

void add_ns(rte_tel_data* d, std::string_view name, double ns) {
  add_u64(d, name, ns <= 0 ? 0 : static_cast<std::uint64_t>(std::llround(ns)));
}

// A dict inside the reply dict; DPDK frees it with the reply (keep = 0).
rte_tel_data* add_dict(rte_tel_data* d, std::string_view name) {
  rte_tel_data* child = rte_tel_data_alloc();
  if (child == nullptr) return nullptr;
  rte_tel_data_start_dict(child);
  if (rte_tel_data_add_dict_container(d, key(name).c_str(), child, 0) != 0) {
    rte_tel_data_free(child);
    return nullptr;
  }
  return child;
}

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ",") + n;
  return out;
}

void fill_state(const ControlApi& api, rte_tel_data* d) {
  const control::ControlSnapshot s = api.snapshot();
  add_string(d, "state", s.state);
  add_u64(d, "ready", s.ready ? 1 : 0);
  add_string(d, "ready_reason", s.ready_reason);
  add_u64(d, "link_up", s.link_up ? 1 : 0);
  add_u64(d, "uptime_ms", static_cast<std::uint64_t>(s.uptime_s * 1000.0));
  add_string(d, "active_failures", join(s.active_failures));
}

void fill_stats(const ControlApi& api, rte_tel_data* d) {
  const control::ControlSnapshot s = api.snapshot();
  add_u64(d, "frames", s.frames);
  add_u64(d, "published", s.published);
  add_u64(d, "heartbeats", s.heartbeats);
  add_u64(d, "malformed", s.malformed);
  add_u64(d, "foreign", s.foreign);
  add_u64(d, "feed_gaps", s.feed_gaps);
  add_u64(d, "feed_recovered", s.feed_recovered);
  add_u64(d, "feed_duplicates", s.feed_duplicates);
  add_u64(d, "feed_out_of_order", s.feed_out_of_order);
  add_u64(d, "end_of_session", s.end_of_session);
  add_u64(d, "executed", s.executed);
  add_u64(d, "provisional", s.provisional);
  add_u64(d, "nic_ipackets", s.nic_ipackets);
  add_u64(d, "nic_missed", s.nic_missed);
  add_u64(d, "nic_errors", s.nic_errors);
  add_u64(d, "nic_rx_nombuf", s.nic_rx_nombuf);
  // Past the 256-entry dict limit DPDK refuses further entries; a dozen reasons fit easily.
  for (const auto& [reason, n] : s.drops) add_u64(d, "drop_" + reason, n);
}

void fill_latency(const ControlApi& api, rte_tel_data* d) {
  const control::ControlSnapshot s = api.snapshot();
  for (const auto& [stage, ticks] : s.latency) {
    rte_tel_data* out = add_dict(d, stage);
    if (out == nullptr) break;  // dict full or out of memory: answer with what fits
    const control::LatencySummary l = control::summarize(ticks, s.calibration);
    add_u64(out, "count", l.count);
    add_ns(out, "p50_ns", l.p50);
    add_ns(out, "p99_ns", l.p99);
    add_ns(out, "p99_9_ns", l.p99_9);
    add_ns(out, "max_ns", l.max);
  }
}

// Top-level scalars keep their type; an object of scalars becomes a nested dict; anything
// deeper is its JSON text (truncated to a dict string), since DPDK's containers nest one level.
void add_json(rte_tel_data* d, std::string_view name, const nlohmann::json& v, bool may_nest) {
  if (v.is_boolean()) {
    add_u64(d, name, v.get<bool>() ? 1 : 0);
  } else if (v.is_number_unsigned()) {
    add_u64(d, name, v.get<std::uint64_t>());
  } else if (v.is_number_integer() && v.get<std::int64_t>() >= INT32_MIN && v.get<std::int64_t>() <= INT32_MAX) {
    (void)rte_tel_data_add_dict_int(d, key(name).c_str(), static_cast<int>(v.get<std::int64_t>()));
  } else if (v.is_string()) {
    add_string(d, name, v.get<std::string>());
  } else if (v.is_object() && may_nest) {
    rte_tel_data* child = add_dict(d, name);
    if (child == nullptr) return;
    for (const auto& [k, item] : v.items()) add_json(child, k, item, false);
  } else {
    add_string(d, name, v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  }
}

// {"status": worst, "probes": [names], "<probe>": {"status", "reason"}, ...}: DPDK 22.11 nests
// containers one level deep only, so the probe list (an array of objects in /health) becomes a
// string array of names plus one dict per probe, each field its own value (a reason is one dict
// string, 127 bytes at most, instead of the whole list dumped into one string and cut there).
void fill_health(const ControlApi& api, rte_tel_data* d) {
  const nlohmann::json h = api.health();
  if (!h.is_object()) {
    add_json(d, "health", h, false);
    return;
  }
  for (const auto& [k, item] : h.items()) {
    if (k != "probes" || !item.is_array()) {
      add_json(d, k, item, true);
      continue;
    }
    rte_tel_data* names = rte_tel_data_alloc();
    if (names == nullptr) continue;
    rte_tel_data_start_array(names, RTE_TEL_STRING_VAL);
    for (const nlohmann::json& probe : item) {
      if (probe.is_object()) (void)rte_tel_data_add_array_string(names, key(probe.value("name", std::string("?"))).c_str());
    }
    if (rte_tel_data_add_dict_container(d, "probes", names, 0) != 0) rte_tel_data_free(names);
    for (const nlohmann::json& probe : item) {
      if (!probe.is_object()) continue;
      rte_tel_data* out = add_dict(d, probe.value("name", std::string("?")));
      if (out == nullptr) break;  // dict full or out of memory: answer with what fits
      for (const auto& [field, value] : probe.items()) {
        if (field != "name") add_json(out, field, value, false);
      }
    }
  }
}

void fill_consumers(const ControlApi& api, rte_tel_data* d) {
  const control::ControlSnapshot s = api.snapshot();
  for (const control::ConsumerSnapshot& c : s.consumers) {
    rte_tel_data* out = add_dict(d, c.name);
    if (out == nullptr) break;
    add_u64(out, "consumed", c.consumed);
    add_u64(out, "overruns", c.overruns);
    add_u64(out, "lost", c.lost);
    add_u64(out, "lag", c.lag);
  }
}

// ingest.lines: per line counts, true loss and the signed skew; {"lines": 0} with one line.
void fill_lines(const ControlApi& api, rte_tel_data* d) {
  const control::ControlSnapshot s = api.snapshot();
  add_u64(d, "lines", s.lines.size());
  if (s.lines.size() != 2) return;
  for (const control::LineSnapshot& l : s.lines) {
    rte_tel_data* out = add_dict(d, std::string(1, l.letter));
    if (out == nullptr) return;
    add_u64(out, "frames", l.frames);
    add_u64(out, "won", l.won);
    add_u64(out, "duplicate", l.duplicate);
    add_u64(out, "late", l.late);
    add_u64(out, "gaps", l.gaps);
    add_u64(out, "filled_by_other", l.filled_by_other);
  }
  add_u64(d, "lost", s.lines_lost);
  const control::SignedSkew k = control::signed_skew(s.line_skew_b_later, s.line_skew_a_later, s.calibration);
  rte_tel_data* skew = add_dict(d, "skew_b_minus_a");
  if (skew == nullptr) return;
  add_u64(skew, "count", k.count);
  (void)rte_tel_data_add_dict_int(skew, "p50_ns", static_cast<int>(k.p50_ns));
  (void)rte_tel_data_add_dict_int(skew, "p99_ns", static_cast<int>(k.p99_ns));
  (void)rte_tel_data_add_dict_int(skew, "min_ns", static_cast<int>(k.min_ns));
  (void)rte_tel_data_add_dict_int(skew, "max_ns", static_cast<int>(k.max_ns));
}

using Filler = void (*)(const ControlApi&, rte_tel_data*);

// The C callback. Nothing may unwind into DPDK: an exception becomes {"error": what}.
template <Filler fill>
int answer(const char* /*cmd*/, const char* /*params*/, rte_tel_data* d) {
  rte_tel_data_start_dict(d);
  std::lock_guard lock(g_mutex);
  if (g_api == nullptr) {
    add_string(d, "error", "tickpath control plane not attached");
    return 0;
  }
  try {
    fill(*g_api, d);
  } catch (const std::exception& e) {
    rte_tel_data_start_dict(d);  // drop a half-filled reply (nested dicts leak; this is a bug path)
    add_string(d, "error", e.what());
  } catch (...) {
    rte_tel_data_start_dict(d);
    add_string(d, "error", "unknown exception");
  }
  return 0;
}

struct Command {
  const char* name;
  telemetry_cb cb;
  const char* help;
};

constexpr Command kCommands[] = {
    {"/tickpath/state", answer<fill_state>, "Lifecycle state, readiness and reason, link, uptime, active failures."},
    {"/tickpath/stats", answer<fill_stats>, "Ingest, drop, NIC and execution counters."},
    {"/tickpath/latency", answer<fill_latency>, "Per-stage latency: count, p50/p99/p99_9/max in ns."},
    {"/tickpath/health", answer<fill_health>, "Health probe results."},
    {"/tickpath/consumers", answer<fill_consumers>, "Per consumer: consumed, overruns, lost, lag."},
    {"/tickpath/lines", answer<fill_lines>, "A/B lines: per line won/duplicate/late/gaps/filled_by_other, lost, skew B-A."},
};

}  // namespace

std::string register_telemetry(const ControlApi* api) {
  std::lock_guard lock(g_mutex);
  if (api != nullptr && !api->complete()) return "telemetry: the control api is missing a callback";
  g_api = api;
  if (g_registered || api == nullptr) return {};
  // DPDK keeps every registration (no unregister) and does not refuse duplicates, so this runs
  // once per process, even when it fails half-way.
  g_registered = true;
  for (const Command& c : kCommands) {
    if (const int rc = rte_telemetry_register_cmd(c.name, c.cb, c.help); rc != 0) {
      return fmt::format("telemetry: registering {} failed: {}", c.name, std::strerror(-rc));
    }
  }
  return {};
}

}  // namespace tickpath::platform
