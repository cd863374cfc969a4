// The health probes as a Prometheus family (control/health/health_metrics.hpp).
#include <gtest/gtest.h>

#include "control/health/health_metrics.hpp"

namespace tickpath::control {
namespace {

TEST(HealthMetrics, EachProbeIsOneHotOverItsThreeStatuses) {
  const std::string text = to_prometheus(std::vector<ProbeResult>{{"feed_stale", HealthStatus::fail, "silent"},
                                                                  {"nic_drops", HealthStatus::ok, ""}});
  EXPECT_NE(text.find("# TYPE tickpath_health_status gauge\n"), std::string::npos) << text;
  EXPECT_NE(text.find("tickpath_health_status{probe=\"feed_stale\",status=\"fail\"} 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("tickpath_health_status{probe=\"feed_stale\",status=\"ok\"} 0\n"), std::string::npos) << text;
  EXPECT_NE(text.find("tickpath_health_status{probe=\"feed_stale\",status=\"warn\"} 0\n"), std::string::npos) << text;
  EXPECT_NE(text.find("tickpath_health_status{probe=\"nic_drops\",status=\"ok\"} 1\n"), std::string::npos) << text;
}

TEST(HealthMetrics, NothingIsExportedBeforeTheFirstEvaluation) {
  EXPECT_EQ(to_prometheus(std::vector<ProbeResult>{}), "");
}

}  // namespace
}  // namespace tickpath::control
