#include "wire/line_faults.hpp"

#include <cctype>
#include <filesystem>

#include <fmt/format.h>

namespace tickpath::wire {

std::string validate(const LineFaultSpec& spec, char line) {
  const char option = static_cast<char>(std::tolower(static_cast<unsigned char>(line)));
  const char name = static_cast<char>(std::toupper(static_cast<unsigned char>(line)));
  if (spec.drop_every == 1) return fmt::format("--drop-every-{} 1 would drop every frame of line {}", option, name);
  if (spec.reorder_every == 1) return fmt::format("--reorder-every-{} must be 0 (off) or >= 2", option);
  return {};
}

nlohmann::json LineInjected::to_json() const {
  return {{"frames", frames},
          {"dropped_frames", dropped_frames},
          {"dropped_messages", dropped_messages},
          {"reordered", reordered}};
}

void LineFaults::offer(const GenFrame& frame, std::vector<GenFrame>& out) {
  const bool data = frame.kind == FrameKind::data;
  if (data) {
    ++data_seen_;
    if (spec_.drop_every != 0 && data_seen_ % spec_.drop_every == 0) {
      ++injected_.dropped_frames;
      injected_.dropped_messages += frame.messages;
      return;
    }
    ++data_sent_;
    // Never the first frame (it starts the session) and never two held at once.
    if (spec_.reorder_every != 0 && data_sent_ > 1 && data_sent_ % spec_.reorder_every == 0 && !held_) {
      held_ = frame;
      return;
    }
  }
  if (held_ && frame.kind == FrameKind::end_of_session) finish(out);  // nothing follows the end
  out.push_back(frame);
  ++injected_.frames;
  if (held_ && data) {
    out.push_back(std::move(*held_));
    held_.reset();
    ++injected_.frames;
    ++injected_.reordered;
  }
}

void LineFaults::finish(std::vector<GenFrame>& out) {
  if (!held_) return;
  // No successor came: it goes out last, in order after all.
  out.push_back(std::move(*held_));
  held_.reset();
  ++injected_.frames;
}

std::string line_path(const std::string& path, char line) {
  const std::filesystem::path p(path);
  std::filesystem::path name = p.stem();
  name += fmt::format("-{}", line);
  name += p.extension();
  return (p.parent_path() / name).string();
}

}  // namespace tickpath::wire
