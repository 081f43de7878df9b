#include "protocol/fleet_summary.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "protocol/wire_round_trip.h"

namespace spotfarm::protocol {
namespace {

using nlohmann::json;
using testing::error_of;
using ::testing::HasSubstr;
using testing::round_trip;

FleetSummary fleet() {
    return {.provider = "aws",
            .live = 2,
            .wanted = 3,
            .instances = {{.id = "i-0a",
                           .kind = "c7i.4xlarge",
                           .zone = "eu-west-1a",
                           .interruptible = true,
                           .running = true,
                           .usd_per_hour = 0.25,
                           .detail = "RUNNING",
                           .launched_at = "2026-12-05T10:15:00Z"},
                          {.id = "i-0b",
                           .kind = "m7i.2xlarge",
                           .interruptible = false,
                           .running = false,
                           .usd_per_hour = std::nullopt}},
            .cost = {.usd = 0.5,
                     .instance_hours = 3,
                     .notes = {"no price for m7i.2xlarge: 1.00 instance-hours not counted"}},
            .launch_stopped = "MaxSpotInstanceCountExceeded",
            .interruptions = 2};
}

TEST(FleetSummaryWire, EveryStructSurvivesTheWire) {
    EXPECT_EQ(round_trip(fleet()), fleet());
    FleetSummary first_tick{.provider = "local"};
    EXPECT_EQ(round_trip(first_tick), first_tick);
    JobCost cost{.cost = {.usd = 0.125, .instance_hours = 0.5, .notes = {}},
                 .fleet_usd = 0.5,
                 .provider = "aws"};
    EXPECT_EQ(round_trip(cost), cost);
}

TEST(FleetSummaryWire, AnOlderManagersFleetStillReads) {
    json j = to_json(fleet());
    j.erase("interruptions");
    j["instances"][0].erase("detail");
    j["instances"][0].erase("launched_at");
    auto read = from_json<FleetSummary>(j);
    ASSERT_TRUE(read) << read.error().message;
    EXPECT_EQ(read->interruptions, 0);
    EXPECT_EQ(read->instances[0].detail, "");
    EXPECT_FALSE(read->instances[0].launched_at.has_value());
}

TEST(FleetSummaryWire, ALaunchTimeMustBeIso8601) {
    json j = to_json(fleet());
    j["instances"][0]["launched_at"] = "yesterday";
    EXPECT_THAT(error_of<FleetSummary>(j.dump()),
                HasSubstr("field 'launched_at' must be an ISO 8601 UTC time"));
    j = to_json(fleet());
    j["interruptions"] = -1;
    EXPECT_THAT(error_of<FleetSummary>(j.dump()),
                HasSubstr("field 'interruptions' must not be negative"));
}

TEST(FleetSummaryWire, TheJsonIsTheDocumentedShape) {
    json j = to_json(fleet());
    EXPECT_EQ(j["wanted"], 3);
    EXPECT_EQ(j["launch_stopped"], "MaxSpotInstanceCountExceeded");
    EXPECT_EQ(j["instances"][0]["usd_per_hour"], 0.25);
    EXPECT_FALSE(j["instances"][1].contains("usd_per_hour")) << "unpriced: absent";
    EXPECT_EQ(j["instances"][0]["zone"], "eu-west-1a");
    EXPECT_FALSE(j["instances"][1].contains("zone")) << "no zone known: absent";
    EXPECT_EQ(j["cost"]["instance_hours"], 3.0);
    EXPECT_EQ(j["interruptions"], 2);
    EXPECT_EQ(j["instances"][0]["detail"], "RUNNING");
    EXPECT_EQ(j["instances"][1]["detail"], "") << "no word from the provider: empty, not absent";
    EXPECT_EQ(j["instances"][0]["launched_at"], "2026-12-05T10:15:00Z");
    EXPECT_FALSE(j["instances"][1].contains("launched_at"));
    // Before the first tick and with launches going: no wanted, no launch_stopped.
    json first = to_json(FleetSummary{.provider = "local"});
    EXPECT_FALSE(first.contains("wanted"));
    EXPECT_FALSE(first.contains("launch_stopped"));
    EXPECT_EQ(first["instances"], json::array());
    // A job's cost is flat: the cost's fields beside fleet_usd and provider.
    json cost = to_json(JobCost{
        .cost = {.usd = 1, .instance_hours = 2, .notes = {}}, .fleet_usd = 4, .provider = "aws"});
    EXPECT_EQ(cost, json({{"usd", 1.0},
                          {"instance_hours", 2.0},
                          {"notes", json::array()},
                          {"fleet_usd", 4.0},
                          {"provider", "aws"}}));
}

TEST(FleetSummaryWire, ProblemsNameTheField) {
    json j = to_json(fleet());
    json bad = j;
    bad["instances"][1]["interruptible"] = "no";
    EXPECT_THAT(error_of<FleetSummary>(bad.dump()),
                HasSubstr("FleetSummary.instances[1]: field 'interruptible' must be true or "
                          "false, not a string"));
    bad = j;
    bad["cost"].erase("usd");
    EXPECT_THAT(error_of<FleetSummary>(bad.dump()),
                HasSubstr("FleetSummary.cost: field 'usd' is missing"));
    bad = j;
    bad["live"] = -1;
    EXPECT_THAT(error_of<FleetSummary>(bad.dump()), HasSubstr("field 'live' must not be negative"));
    EXPECT_THAT(error_of<JobCost>(R"({"usd": 1, "instance_hours": 1, "notes": [],
        "provider": "aws"})"),
                HasSubstr("JobCost: field 'fleet_usd' is missing"));
    // The 404 of a manager without a fleet is an error body, not a fleet.
    EXPECT_THAT(error_of<FleetSummary>(R"({"error": "this manager runs no fleet",
        "code": "not_found"})"),
                HasSubstr("FleetSummary: field 'provider' is missing"));
}

}  // namespace
}  // namespace spotfarm::protocol
