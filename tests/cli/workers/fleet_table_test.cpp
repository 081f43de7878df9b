// The fleet table under `spotfarm workers`: a Slurm fleet's GET /fleet answer, read as a client
// reads it, shows Slurm's own job state, each launch's age and the interruptions.

#include "cli/workers/fleet_table.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace spotfarm::cli {
namespace {

using nlohmann::json;

protocol::FleetSummary slurm_fleet_from_the_wire() {
    const json answer = {
        {"provider", "slurm"},
        {"live", 2},
        {"wanted", 3},
        {"interruptions", 1},
        {"cost", {{"usd", 0}, {"instance_hours", 1.5}, {"notes", json::array()}}},
        {"instances",
         {{{"id", "50_0"},
           {"kind", "slurm"},
           {"zone", "gpu"},
           {"interruptible", false},
           {"running", true},
           {"detail", "PENDING (Resources)"},
           {"launched_at", "2026-12-05T10:00:00Z"}},
          {{"id", "50_1"},
           {"kind", "slurm"},
           {"zone", "gpu"},
           {"interruptible", false},
           {"running", false},
           {"detail", "TIMEOUT 0:0"},
           {"launched_at", "2026-12-05T09:00:00Z"}},
          // From a manager that predates detail and launched_at.
          {{"id", "50_2"}, {"kind", "slurm"}, {"interruptible", false}, {"running", true}}}}};
    auto fleet = protocol::from_json<protocol::FleetSummary>(answer);
    EXPECT_TRUE(fleet) << fleet.error().message;
    return fleet ? *fleet : protocol::FleetSummary{};
}

// 2026-12-05T10:12:00Z in Unix milliseconds.
constexpr std::int64_t k_ten_past_ten_ms = 1'796'465'520'000;

TEST(FleetTable, ShowsSlurmsStateLaunchAgesAndInterruptions) {
    const std::string text = render_fleet_table(slurm_fleet_from_the_wire(), k_ten_past_ten_ms);
    EXPECT_NE(text.find("Fleet (slurm): 2 live, 3 wanted, 1 interruption, $0.00 so far"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("PROVIDER STATE"), std::string::npos) << text;
    std::istringstream lines(text);
    std::string line;
    std::vector<std::string> rows;
    while (std::getline(lines, line))
        if (line.rfind("50_", 0) == 0) rows.push_back(line);
    ASSERT_EQ(rows.size(), 3u) << text;
    EXPECT_NE(rows[0].find("running"), std::string::npos) << rows[0];
    EXPECT_NE(rows[0].find("PENDING (Resources)"), std::string::npos) << rows[0];
    EXPECT_NE(rows[0].find("12m ago"), std::string::npos) << rows[0];
    EXPECT_NE(rows[1].find("stopped"), std::string::npos) << rows[1];
    EXPECT_NE(rows[1].find("TIMEOUT 0:0"), std::string::npos) << rows[1];
    EXPECT_NE(rows[1].find("1h ago"), std::string::npos) << rows[1];
    EXPECT_EQ(rows[2].find("ago"), std::string::npos) << "no launch time known: " << rows[2];
}

TEST(FleetTable, AFleetWithoutInstancesIsItsSummaryLine) {
    protocol::FleetSummary empty{.provider = "aws", .launch_stopped = "VcpuLimitExceeded"};
    EXPECT_EQ(render_fleet_table(empty, k_ten_past_ten_ms),
              "Fleet (aws): 0 live, 0 interruptions, $0.00 so far (0.00 instance-hours)\n"
              "No more launches: VcpuLimitExceeded\n");
}

}  // namespace
}  // namespace spotfarm::cli
