#include "cli/estimate/farm_sample.h"

#include <gtest/gtest.h>

#include "support/expect_error.h"

namespace spotfarm::cli {
namespace {

using nlohmann::json;
using spotfarm::testing::fails_mentioning;

// A completed attempt of `worker` from `start_ms` lasting `wall_s`, with (frame, render s) pairs.
protocol::AttemptRecord attempt(int worker, std::int64_t start_ms, double wall_s,
                                std::vector<std::pair<int, double>> frames,
                                core::AttemptOutcome outcome = core::AttemptOutcome::completed) {
    protocol::AttemptRecord a{.id = 1,
                              .task = 1,
                              .job = 1,
                              .worker = worker,
                              .started_ms = start_ms,
                              .ended_ms = start_ms + static_cast<std::int64_t>(wall_s * 1000),
                              .outcome = outcome};
    for (auto [frame, seconds] : frames) a.results.push_back({frame, "f", seconds, 0});
    return a;
}

protocol::TaskDetail task(std::vector<protocol::AttemptRecord> attempts) {
    protocol::TaskDetail detail;
    detail.attempt_list = std::move(attempts);
    return detail;
}

TEST(FarmSample, RenderTimesAndTheSceneLoadOfEachWorker) {
    // Worker 1: cold 10 s for a 3 s frame, then warm 4.5 s for 4 s and 2.5 s for 2 s (0.5 s of
    // overhead each). Worker 2: cold 8 s for a 2 s frame. Load: (7 - 0.5 + 6 - 0.5) / 2 = 6.
    const std::vector<protocol::TaskDetail> tasks{
        task({attempt(1, 1000, 10, {{1, 3}})}),
        task({attempt(1, 11000, 4.5, {{5, 4}})}),
        task({attempt(2, 1000, 8, {{9, 2}})}),
        task({attempt(2, 20000, 30, {}, core::AttemptOutcome::failed),
              attempt(1, 16000, 2.5, {{13, 2}})}),
    };
    auto times = farm_sample_times(tasks);
    ASSERT_TRUE(times.ok()) << times.error().message;
    EXPECT_EQ(times->seconds, (estimate::FrameTimes{{1, 3}, {5, 4}, {9, 2}, {13, 2}}));
    EXPECT_NEAR(times->load_seconds, 6.0, 1e-9);
    EXPECT_EQ(times->workers, 2u);
}

TEST(FarmSample, OneAttemptCountsItsTimeAroundTheRenderAsLoad) {
    auto times = farm_sample_times({task({attempt(7, 0, 5, {{1, 2}})})});
    ASSERT_TRUE(times.ok());
    EXPECT_NEAR(times->load_seconds, 3.0, 1e-9);
}

TEST(FarmSample, NoResultsIsAnError) {
    EXPECT_TRUE(fails_mentioning(farm_sample_times({task({}), protocol::TaskDetail{}}),
                                 "no render time for the sample frames"));
    // A running attempt's frames are not measured yet.
    auto running = attempt(1, 0, 5, {{1, 2}}, core::AttemptOutcome::running);
    running.ended_ms.reset();
    EXPECT_TRUE(fails_mentioning(farm_sample_times({task({running})}),
                                 "no render time for the sample frames"));
}

TEST(FarmSample, TheJobRendersTheSampleFramesOneATaskIntoTheFolder) {
    core::JobSettings settings;
    settings.scene = "/mnt/efs/shot.blend";
    settings.output = "/mnt/efs/renders/shot_####";
    settings.device = "cpu";
    settings.scene_name = "Main";
    settings.threads = 2;
    settings.samples = 64;
    auto job = farm_sample_job(settings, {100, 1, 50}, "/mnt/efs/tmp/samples");
    EXPECT_EQ(job.frames.to_string(), "1,50,100");
    EXPECT_EQ(job.chunk, std::optional<int>(1));
    EXPECT_EQ(job.name, "estimate shot.blend");
    // The job's own settings, but written into the sample folder.
    EXPECT_EQ(job.settings.output, std::optional<std::string>("/mnt/efs/tmp/samples/sample_####"));
    core::JobSettings rendered = job.settings;
    rendered.output = settings.output;
    EXPECT_EQ(rendered, settings);
    // What the manager reads back.
    auto read = protocol::from_json<protocol::JobSubmission>(protocol::to_json(job));
    ASSERT_TRUE(read.ok()) << read.error().message;
    EXPECT_EQ(*read, job);
}

}  // namespace
}  // namespace spotfarm::cli
