// `spotfarm render` killed with SIGKILL, as the out-of-memory killer or a closed terminal would:
// its workers and their Blender processes end with it (nothing is left running), and the same
// command again resumes without rendering finished frames again. A second render of the same
// output while the first runs says which process holds it and exits 2.

#include <signal.h>
#include <sys/stat.h>

#include <fstream>
#include <map>

#include "support/farm_fixture.h"
#include "support/process_scan.h"
#include "support/run_cli.h"

namespace spotfarm::test {

namespace {

namespace fs = std::filesystem;

std::map<std::string, long long> frame_times(const fs::path& dir) {
    std::map<std::string, long long> times;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        const std::string name = entry.path().filename().string();
        if (name.rfind("f_", 0) != 0 || name.find(".png") == std::string::npos) continue;
        struct stat st {};
        if (::stat(entry.path().c_str(), &st) == 0) {
            times[name] =
                static_cast<long long>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
        }
    }
    return times;
}

}  // namespace

TEST_F(FarmTest, RenderKilledWithSigkillLeavesNothingRunningAndTheSameCommandResumes) {
    const std::vector<std::string> args = {"render",    farm_scene("slow_cycles").string(),
                                           "--frames",  "1-6",
                                           "-o",        output_pattern(),
                                           "--workers", "2"};
    SpotfarmProcess render(args);
    const fs::path out = m_dir / "out";
    // Killed once a frame is on disk and the workers' Blender processes are at work on more.
    ASSERT_TRUE(wait_until([&] { return !frame_times(out).empty() || !render.running(); }, 240s,
                           [&] { render.pump(); }))
        << render.log();
    ASSERT_TRUE(render.running()) << "the render ended before it could be killed:\n"
                                  << render.log();
    const std::string marker = "SPOTFARM_PARENT_PID=" + std::to_string(render.pid());
    auto left = [&] {
        auto found = processes_mentioning(marker);
        for (pid_t pid : processes_mentioning(m_dir.path().string()))
            if (pid != render.pid()) found.push_back(pid);
        return found;
    };
    EXPECT_GE(left().size(), 2u) << "the workers (and their Blender) should be running";

    CliRun second = run_cli(args, 60s);
    EXPECT_EQ(second.exit_code, 2) << second.out << second.err;
    EXPECT_TRUE(second.mentions("pid " + std::to_string(render.pid()))) << second.err;

    ASSERT_TRUE(render.stop(SIGKILL, 10s));
    EXPECT_TRUE(wait_until([&] { return left().empty(); }, 5s))
        << "still running 5 s after the render was killed: " << left().size() << " process(es)";

    const auto finished = frame_times(out);
    ASSERT_FALSE(finished.empty());
    CliRun again = run_cli(args, 300s);
    ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
    EXPECT_TRUE(again.mentions("Resuming job")) << again.err;
    expect_frames_on_disk({1, 2, 3, 4, 5, 6});
    const auto after = frame_times(out);
    for (const auto& [name, time] : finished) {
        EXPECT_EQ(after.at(name), time) << name << " was rendered again";
    }
}

}  // namespace spotfarm::test
