#pragma once
#include <string>

namespace tickpath::app {

struct AcksOptions {
  std::string file;  // an acks.bin
  bool csv = false;  // one row per record instead of the summary
};

// `tickpath acks FILE [--csv]`: reads an ack log back (control/acklog/ack_log_format.hpp).
// Exit codes: 0 read, 2 the file is missing, not an ack log, truncated or unfinished (the message
// names the file and what was wrong).
int acks_command(const AcksOptions& options);

}  // namespace tickpath::app
