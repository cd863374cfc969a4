#pragma once
// The shape of summary.json as `tickpath report` and `compare` read it: every field the renderers
// touch, with its JSON type and bounds. A summary is checked once when it is read, so the
// renderers can trust what they find (a field is either absent or of the right type) and a file
// of the wrong shape is a clear error naming the field, never an exception halfway through a page.
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace tickpath::report {

// nullopt when every known field that is present has its type and bounds; otherwise one message:
// `field "platform.hugepages": expected a boolean, found a number`. `events` is required.
[[nodiscard]] std::optional<std::string> summary_shape_error(const nlohmann::json& summary);

}  // namespace tickpath::report
