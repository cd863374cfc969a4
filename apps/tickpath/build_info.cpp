#include "apps/tickpath/build_info.hpp"

#include "apps/tickpath/version.hpp"

namespace tickpath::app {

const char* build_version() noexcept { return TICKPATH_VERSION; }
const char* build_commit() noexcept { return TICKPATH_GIT_COMMIT; }

}  // namespace tickpath::app
