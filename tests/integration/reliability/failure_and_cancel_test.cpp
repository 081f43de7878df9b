// A frame that always fails ends failed after three distinct workers with its log tail, while
// the other frames complete; a canceled job stops its workers' renders within seconds.

#include <signal.h>

#include <set>

#include "reliability_helpers.h"
#include "support/run_cli.h"

namespace spotfarm::test {

TEST_F(FarmTest, FrameThatAlwaysCrashesBlenderFailsAfterThreeWorkersWithItsLogTail) {
    start_manager(10);
    for (int i = 0; i < 3; ++i) start_worker();
    // The scene's own script (allowed here) kills Blender on frame 3.
    const std::int64_t id = submit("crash_frame3", "1-5", true);

    ASSERT_TRUE(wait_for(
        [&] {
            const json j = job(id);
            return j.is_object() &&
                   j["tasks"].value("queued", 0) + j["tasks"].value("active", 0) == 0 &&
                   j.value("status", "") != "active";
        },
        170s))
        << job(id).dump(2) << "\n"
        << logs();

    expect_frames_on_disk({1, 2, 4, 5});
    EXPECT_FALSE(std::filesystem::exists(frame_path(3)));
    for (const auto& t : tasks(id)) {
        if (t.value("frames", "") != "3") {
            EXPECT_EQ(t.value("status", ""), "completed") << t.dump(2);
            continue;
        }
        EXPECT_EQ(t.value("status", ""), "failed") << t.dump(2);
        const json detail = task(t.value("id", std::int64_t{0}));
        std::set<std::int64_t> workers;
        for (const auto& attempt : detail["attempt_list"]) {
            EXPECT_EQ(attempt.value("outcome", ""), "failed") << attempt.dump(2);
            EXPECT_NE(attempt.value("log_tail", "").find("frame 3 crashes on purpose"),
                      std::string::npos)
                << "the log tail does not show the cause:\n"
                << attempt.dump(2);
            EXPECT_FALSE(attempt.value("error", "").empty()) << attempt.dump(2);
            workers.insert(attempt.value("worker", std::int64_t{0}));
        }
        EXPECT_EQ(detail["attempt_list"].size(), 3u) << detail.dump(2);
        EXPECT_EQ(workers.size(), 3u) << "not three distinct workers\n" << detail.dump(2);
    }
    // What a person sees: the job names the failed frame.
    EXPECT_EQ(job(id)["frames_by_status"].value("failed", ""), "3") << job(id).dump(2);
}

TEST_F(FarmTest, RenderOfAFrameThatAlwaysCrashesExitsNonZeroNamingTheFrameAndItsCause) {
    auto run = run_cli({"render", farm_scene("crash_frame3").string(), "--frames", "1-5", "-o",
                        output_pattern(), "--workers", "3", "--allow-scripts"},
                       240s);
    EXPECT_NE(run.exit_code, 0) << run.out << run.err;
    EXPECT_TRUE(run.mentions("frames 3:")) << run.out << run.err;
    EXPECT_TRUE(run.mentions("frame 3 crashes on purpose")) << "the log tail is not shown\n"
                                                            << run.out << run.err;
    expect_frames_on_disk({1, 2, 4, 5});
    EXPECT_FALSE(std::filesystem::exists(frame_path(3)));
}

TEST_F(FarmTest, CanceledJobStopsItsWorkersRendersWithinSeconds) {
    start_manager(3);
    start_worker();
    start_worker();
    const std::int64_t job = submit("busy_tiny", "1-8");
    ASSERT_TRUE(wait_for([&] { return rendering_tasks(job).size() == 2; }, 150s))
        << "two workers never rendered at once\n"
        << logs();

    const auto [code, answer] = api("POST", "/jobs/" + std::to_string(job) + "/cancel");
    ASSERT_EQ(code, 200) << answer.dump();
    const auto canceled_at = std::chrono::steady_clock::now();

    // Stopped: the Blender sessions of both workers use no CPU for a whole second.
    auto blender_cpu = [&] {
        return children_cpu_seconds(worker(0).pid()) + children_cpu_seconds(worker(1).pid());
    };
    std::vector<std::pair<std::chrono::steady_clock::time_point, double>> samples;
    auto idle = [&] {
        const auto now = std::chrono::steady_clock::now();
        samples.emplace_back(now, blender_cpu());
        for (const auto& [at, cpu] : samples) {
            if (now - at >= 1s && samples.back().second - cpu < 0.05) return true;
        }
        return false;
    };
    ASSERT_TRUE(wait_for(idle, 15s)) << "the workers still render a canceled job\n" << logs();
    EXPECT_LT(std::chrono::steady_clock::now() - canceled_at, 10s);

    EXPECT_EQ(job_status(job), "canceled");
    EXPECT_TRUE(tasks(job, "active").empty());
    const auto files = list_dir(m_dir / "out");
    EXPECT_FALSE(wait_for([&] { return list_dir(m_dir / "out") != files; }, 2s))
        << "a frame of the canceled job was still written";
    EXPECT_TRUE(worker(0).running() && worker(1).running()) << logs();
}

}  // namespace spotfarm::test
