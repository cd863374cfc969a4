#include "platform/dpdk/telemetry.hpp"

#include <rte_telemetry.h>

#include <cstdint>
#include <cstring>
#include <exception>
#include <mutex>
#include <string_view>

#include <fmt/format.h>

#include "control/views/telemetry_view.hpp"

namespace tickpath::platform {
namespace {

// Held by each callback for as long as it uses g_api, so register_telemetry(nullptr) returning
// means no callback still reads the old ControlApi. Telemetry is rare and off the hot path.
std::mutex g_mutex;
const control::ControlApi* g_api = nullptr;  // guarded by g_mutex
bool g_registered = false;                   // guarded by g_mutex

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
// text, so E2BIG is not an error here. A full dict (256 entries) refuses further scalars the same way.
void add_scalar(rte_tel_data* d, const std::string& name, const control::TelemetryScalar& value) {
  if (const auto* u = std::get_if<std::uint64_t>(&value)) {
    (void)rte_tel_data_add_dict_u64(d, key(name).c_str(), *u);
  } else if (const auto* i = std::get_if<int>(&value)) {
    (void)rte_tel_data_add_dict_int(d, key(name).c_str(), *i);
  } else {
    (void)rte_tel_data_add_dict_string(d, key(name).c_str(), std::get<std::string>(value).c_str());
  }
}

// A container inside the reply dict; DPDK frees it with the reply (keep = 0). False when it could
// not be added (dict full, out of memory): the reply then ends with what fit.
bool add_container(rte_tel_data* d, const std::string& name, rte_tel_data* child) {
  if (rte_tel_data_add_dict_container(d, key(name).c_str(), child, 0) == 0) return true;
  rte_tel_data_free(child);
  return false;
}

bool add_entry(rte_tel_data* d, const control::TelemetryEntry& e) {
  if (const auto* dict = std::get_if<control::TelemetryDict>(&e.value)) {
    rte_tel_data* child = rte_tel_data_alloc();
    if (child == nullptr) return false;
    rte_tel_data_start_dict(child);
    for (const control::TelemetryField& f : *dict) add_scalar(child, f.key, f.value);
    return add_container(d, e.key, child);
  }
  if (const auto* strings = std::get_if<control::TelemetryStrings>(&e.value)) {
    rte_tel_data* child = rte_tel_data_alloc();
    if (child == nullptr) return false;
    rte_tel_data_start_array(child, RTE_TEL_STRING_VAL);
    // The array names dicts of the same reply: spelled like their keys.
    for (const std::string& s : *strings) (void)rte_tel_data_add_array_string(child, key(s).c_str());
    return add_container(d, e.key, child);
  }
  std::visit(
      [&](const auto& v) {
        using V = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<V, std::uint64_t> || std::is_same_v<V, int> || std::is_same_v<V, std::string>) {
          add_scalar(d, e.key, control::TelemetryScalar(v));
        }
      },
      e.value);
  return true;
}

const control::TelemetryCommand* find_command(std::string_view name) {
  for (const control::TelemetryCommand& c : control::telemetry_commands()) {
    if (name == c.name) return &c;
  }
  return nullptr;
}

// The C callback, one for every command (DPDK passes the command's name). Nothing may unwind
// into DPDK: an exception becomes {"error": what}.
int answer(const char* cmd, const char* /*params*/, rte_tel_data* d) {
  rte_tel_data_start_dict(d);
  std::lock_guard lock(g_mutex);
  const control::TelemetryCommand* command = find_command(cmd);
  if (g_api == nullptr || command == nullptr) {
    (void)rte_tel_data_add_dict_string(d, "error", "tickpath control plane not attached");
    return 0;
  }
  try {
    for (const control::TelemetryEntry& e : command->answer(*g_api)) {
      if (!add_entry(d, e)) break;
    }
  } catch (const std::exception& e) {
    rte_tel_data_start_dict(d);  // drop a half-filled reply (nested dicts leak; this is a bug path)
    (void)rte_tel_data_add_dict_string(d, "error", e.what());
  } catch (...) {
    rte_tel_data_start_dict(d);
    (void)rte_tel_data_add_dict_string(d, "error", "unknown exception");
  }
  return 0;
}

}  // namespace

std::string register_telemetry(const control::ControlApi* api) {
  std::lock_guard lock(g_mutex);
  if (api != nullptr && !api->complete()) return "telemetry: the control api is missing a callback";
  g_api = api;
  if (g_registered || api == nullptr) return {};
  // DPDK keeps every registration (no unregister) and does not refuse duplicates, so this runs
  // once per process, even when it fails half-way.
  g_registered = true;
  for (const control::TelemetryCommand& c : control::telemetry_commands()) {
    if (const int rc = rte_telemetry_register_cmd(c.name, answer, c.help); rc != 0) {
      return fmt::format("telemetry: registering {} failed: {}", c.name, std::strerror(-rc));
    }
  }
  return {};
}

std::string TelemetryTransport::start(const control::ControlApi& api) {
  if (std::string e = register_telemetry(&api); !e.empty()) return "telemetry: " + e;
  attached_ = true;
  return {};
}

void TelemetryTransport::stop() noexcept {
  if (!attached_) return;
  (void)register_telemetry(nullptr);
  attached_ = false;
}

}  // namespace tickpath::platform
