// The manager killed mid-job (kill -9) and started again on its state folder: the job finishes,
// no finished frame is rendered again and none is missing, including a frame that was finished
// while the manager was down (its worker keeps the report and delivers it later).

#include <signal.h>

#include "reliability_helpers.h"

namespace spotfarm::test {

TEST_F(FarmTest, ManagerKilledMidJobRestartsOnItsStateAndFinishesWithoutRenderingAgain) {
    start_manager(5);
    start_worker();
    start_worker();
    const std::int64_t job = submit("busy_tiny", "1-6");

    auto frames_on_disk = [&] {
        std::map<int, FileStamp> stamps;
        for (int frame = 1; frame <= 6; ++frame) {
            if (auto stamp = stamp_of(frame_path(frame))) stamps[frame] = *stamp;
        }
        return stamps;
    };
    ASSERT_TRUE(wait_for(
        [&] { return frames_on_disk().size() >= 2 && !rendering_tasks(job).empty(); }, 150s))
        << logs();
    const auto before = frames_on_disk();
    ASSERT_LT(before.size(), 6u) << "the job ended before the manager could be killed";
    kill_manager();

    // A frame that ends while the manager is down: its report waits in the worker's outbox.
    ASSERT_TRUE(wait_for([&] { return frames_on_disk().size() > before.size(); }, 60s)) << logs();
    const auto while_down = frames_on_disk();
    start_manager(5);

    ASSERT_TRUE(wait_for([&] { return job_status(job) == "completed"; }, 150s)) << logs();
    expect_frames_on_disk({1, 2, 3, 4, 5, 6});
    const auto after = frames_on_disk();
    for (const auto& [frame, stamp] : while_down) {
        EXPECT_TRUE(after.at(frame) == stamp) << "frame " << frame << " was rendered again";
    }
    for (const auto& t : tasks(job)) {
        const json detail = task(t.value("id", std::int64_t{0}));
        const auto outcomes = attempt_outcomes(detail);
        EXPECT_EQ(outcomes.count("completed") ? outcomes.at("completed") : 0, 1) << detail.dump(2);
        int frame = std::stoi(t.value("frames", "0"));
        if (before.count(frame) > 0) {
            EXPECT_EQ(t.value("attempts", 0), 1) << "a task finished before the kill ran again\n"
                                                 << detail.dump(2);
        }
    }
}

}  // namespace spotfarm::test
