#include "protocol/worker_summary.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "protocol/wire_round_trip.h"

namespace spotfarm::protocol {
namespace {

using core::WorkerStatus;
using nlohmann::json;
using testing::error_of;
using ::testing::HasSubstr;
using testing::round_trip;

WorkerSummary busy() {
    return {.id = 4,
            .name = "render-07",
            .host = "10.0.3.7",
            .cores = 32,
            .memory_bytes = std::int64_t{128} << 30,
            .gpus = {"OPTIX", "CUDA"},
            .blender_version = "4.2.1",
            .tags = {"spotfarm:instance=i-0abc", "gpu"},
            .status = WorkerStatus::online,
            .registered_ms = 1'800'000'000'000,
            .last_seen_ms = 1'800'000'060'000,
            .warm_job = 3,
            .tasks = {12, 13}};
}

WorkerSummary idle() {
    WorkerSummary w = busy();
    w.id = 5;
    w.status = WorkerStatus::offline;
    w.gpus.clear();
    w.tags.clear();
    w.warm_job.reset();
    w.tasks.clear();
    return w;
}

TEST(WorkerSummaryWire, EveryStructSurvivesTheWire) {
    EXPECT_EQ(round_trip(busy()), busy());
    EXPECT_EQ(round_trip(idle()), idle());
    EXPECT_EQ(round_trip(WorkerList{{busy(), idle()}}), (WorkerList{{busy(), idle()}}));
}

TEST(WorkerSummaryWire, TheJsonIsTheDocumentedShape) {
    json j = to_json(idle());
    EXPECT_EQ(j["status"], "offline");
    EXPECT_TRUE(j.at("warm_job").is_null());
    EXPECT_EQ(j["tasks"], json::array());
    EXPECT_EQ(j["gpus"], json::array());
    EXPECT_EQ(to_json(busy())["memory_bytes"], std::int64_t{128} << 30);
    EXPECT_EQ(to_json(WorkerList{}), json({{"workers", json::array()}}));
}

TEST(WorkerSummaryWire, ProblemsNameTheField) {
    json j = to_json(busy());
    json bad = j;
    bad["status"] = "asleep";
    EXPECT_THAT(error_of<WorkerSummary>(bad.dump()),
                HasSubstr("WorkerSummary.status must be a worker status, not \"asleep\""));
    bad = j;
    bad["gpus"] = "OPTIX";
    EXPECT_THAT(error_of<WorkerSummary>(bad.dump()),
                HasSubstr("field 'gpus' must be a list of strings, not a string"));
    bad = j;
    bad["memory_bytes"] = -1;
    EXPECT_THAT(error_of<WorkerSummary>(bad.dump()),
                HasSubstr("field 'memory_bytes' must not be negative"));
    bad = j;
    bad["tasks"] = {12, nullptr};
    EXPECT_THAT(error_of<WorkerSummary>(bad.dump()),
                HasSubstr("WorkerSummary.tasks must be a list of ids, but holds null"));
    bad = j;
    bad.erase("last_seen_ms");
    EXPECT_THAT(error_of<WorkerList>(json({{"workers", {j, bad}}}).dump()),
                HasSubstr("WorkerList.workers[1]: field 'last_seen_ms' is missing"));
}

}  // namespace
}  // namespace spotfarm::protocol
