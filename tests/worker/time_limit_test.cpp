// The end of a Slurm allocation: where the worker learns it, and how it starts the drain.
#include "worker/time_limit.h"

#include <gtest/gtest.h>

#include <ctime>
#include <map>

#include "worker/drain_monitor.h"

namespace spotfarm::worker {
namespace {

using namespace std::chrono_literals;

struct Environment {
    std::map<std::string, std::string> values;
    std::vector<std::string> asked;  // the jobs squeue was asked about
    util::Result<std::string> squeue_says = std::string();

    util::Result<std::optional<std::chrono::system_clock::time_point>> limit() {
        return slurm_time_limit(
            [this](const std::string& name) -> std::optional<std::string> {
                auto it = values.find(name);
                if (it == values.end()) return std::nullopt;
                return it->second;
            },
            [this](const std::string& job) {
                asked.push_back(job);
                return squeue_says;
            });
    }
};

TEST(SlurmTimeLimit, NoneOutsideASlurmJob) {
    Environment env;
    auto limit = env.limit();
    ASSERT_TRUE(limit);
    EXPECT_FALSE(limit->has_value());
    EXPECT_TRUE(env.asked.empty());
}

TEST(SlurmTimeLimit, TheEndTimeVariableFirst) {
    Environment env;
    env.values = {{"SLURM_JOB_END_TIME", "1800000060"}, {"SLURM_JOB_ID", "12"}};
    auto limit = env.limit();
    ASSERT_TRUE(limit);
    ASSERT_TRUE(limit->has_value());
    EXPECT_EQ(std::chrono::system_clock::to_time_t(**limit), 1800000060);
    EXPECT_TRUE(env.asked.empty());
}

TEST(SlurmTimeLimit, ElseSqueuesEndTimeInLocalTime) {
    Environment env;
    env.values = {{"SLURM_JOB_ID", "12"}};
    env.squeue_says = std::string("2026-12-05T10:31:02\n");
    auto limit = env.limit();
    ASSERT_TRUE(limit) << limit.error().message;
    ASSERT_TRUE(limit->has_value());
    EXPECT_EQ(env.asked, std::vector<std::string>{"12"});
    const std::time_t t = std::chrono::system_clock::to_time_t(**limit);
    std::tm local{};
    ::localtime_r(&t, &local);
    EXPECT_EQ(local.tm_year, 2026 - 1900);
    EXPECT_EQ(local.tm_hour, 10);
    EXPECT_EQ(local.tm_min, 31);
    EXPECT_EQ(local.tm_sec, 2);
}

TEST(SlurmTimeLimit, UnlimitedIsNone) {
    Environment env;
    env.values = {{"SLURM_JOB_ID", "12"}};
    env.squeue_says = std::string("UNLIMITED\n");
    auto limit = env.limit();
    ASSERT_TRUE(limit);
    EXPECT_FALSE(limit->has_value());
}

TEST(SlurmTimeLimit, NonsenseIsAnError) {
    Environment env;
    env.values = {{"SLURM_JOB_ID", "12"}};
    env.squeue_says = std::string("slurm_load_jobs error: Invalid job id specified\n");
    auto limit = env.limit();
    ASSERT_FALSE(limit);
    EXPECT_NE(limit.error().message.find("Invalid job id"), std::string::npos);
    env.squeue_says = util::make_error("squeue: not found");
    EXPECT_FALSE(env.limit());
}

TEST(DrainMonitorTimeLimit, DrainsWhenTheLongestFrameNoLongerFits) {
    util::FakeClock clock;
    DrainMonitor drain(clock, nullptr, nullptr, 20s);
    const auto end = clock.now() + 60s;
    drain.set_time_limit(end, 5s);  // the drain must end by end - 10 s
    drain.note_frame_time(20s);     // the first frame, Blender's start included
    drain.note_frame_time(8s);
    drain.note_frame_time(4s);  // the longest of the later ones counts
    clock.advance(36s);         // 36 + 8 + 5 < 50
    drain.update();
    EXPECT_FALSE(drain.draining());
    clock.advance(1s);  // 37 + 8 + 5 = 50: a frame started now could not finish
    drain.update();
    ASSERT_TRUE(drain.draining());
    EXPECT_EQ(drain.reason(), protocol::LeaveReason::shutdown);
    EXPECT_EQ(drain.deadline(), end - 10s);
    EXPECT_FALSE(drain.urgent());
}

TEST(DrainMonitorTimeLimit, TheFirstFrameCountsUntilAnotherIsKnown) {
    util::FakeClock clock;
    DrainMonitor drain(clock, nullptr, nullptr, 20s);
    drain.set_time_limit(clock.now() + 60s, 5s);
    drain.note_frame_time(20s);
    clock.advance(24s);  // 24 + 20 + 5 < 50
    drain.update();
    EXPECT_FALSE(drain.draining());
    clock.advance(1s);
    drain.update();
    EXPECT_TRUE(drain.draining());
}

TEST(DrainMonitorTimeLimit, WithoutAFrameMeasuredOnlyTheMarginsCount) {
    util::FakeClock clock;
    DrainMonitor drain(clock, nullptr, nullptr, 20s);
    drain.set_time_limit(clock.now() + 60s, 5s);
    clock.advance(44s);
    drain.update();
    EXPECT_FALSE(drain.draining());
    clock.advance(1s);
    drain.update();
    EXPECT_TRUE(drain.draining());
}

TEST(DrainMonitorTimeLimit, ASignalBeforeTheLimitKeepsItsOwnDeadline) {
    util::FakeClock clock;
    std::atomic<int> signals{1};
    DrainMonitor drain(clock, &signals, nullptr, 20s);
    drain.set_time_limit(clock.now() + 3600s, 5s);
    const auto at = clock.now();
    drain.update();
    ASSERT_TRUE(drain.draining());
    EXPECT_EQ(drain.deadline(), at + 20s);
}

}  // namespace
}  // namespace spotfarm::worker
