// A scene whose own script hangs on frame 2 (tests/scenes/hang_script.py): the watchdog kills
// Blender's process group, the frame fails with the reason, the other frames still render.
#include <signal.h>

#include <thread>

#include "exec_fixture.h"
#include "util/subprocess.h"

namespace spotfarm::test {

using namespace std::chrono_literals;

TEST_F(ExecTest, HangIsKilledByTheWatchdogAndOtherFramesRender) {
    auto scene = own_scene("hang_script");
    auto run = run_cli({"exec", scene.string(), "--frames", "1-3", "-o", out(), "--allow-scripts",
                        "--stall-timeout", "3", "--json"});
    EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
    auto j = json_of(run);
    EXPECT_EQ(j["rendered"], 2);
    EXPECT_EQ(j["frames"][1]["status"], "failed");
    EXPECT_NE(j["frames"][1]["error"].get<std::string>().find("no progress"), std::string::npos);
    EXPECT_EQ(j["processes"], 2);
    EXPECT_EQ(out_files(), (std::vector<std::string>{"f_0001.png", "f_0003.png"}));
    EXPECT_EQ(processes_mentioning(scene.string()), 0);
}

TEST_F(ExecTest, FrameTimeoutStopsALongFrame) {
    auto run = run_cli({"exec", own_scene("hang_script").string(), "--frames", "2", "-o", out(),
                        "--allow-scripts", "--frame-timeout", "2"});
    EXPECT_EQ(run.exit_code, 1);
    EXPECT_MENTIONS(run, "--frame-timeout");
    EXPECT_TRUE(out_files().empty());
}

TEST_F(ExecTest, SceneScriptsDoNotRunUnlessAllowed) {
    auto run = run_cli({"exec", own_scene("hang_script").string(), "--frames", "1-3", "-o", out(),
                        "--stall-timeout", "60"});
    EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
    EXPECT_EQ(out_files().size(), 3u);
}

TEST_F(ExecTest, CtrlCKillsBlenderAndLeavesNoTemporaryFile) {
    auto scene = own_scene("hang_script");
    util::SpawnOptions options;
    options.argv = {SPOTFARM_EXE, "exec", scene.string(), "--frames",
                    "1-3",        "-o",   out(),          "--allow-scripts"};
    auto child = util::Subprocess::spawn(options);
    ASSERT_TRUE(child.ok()) << child.error().message;
    std::string log;
    bool hanging = false;
    auto give_up = std::chrono::steady_clock::now() + 240s;
    while (!hanging && std::chrono::steady_clock::now() < give_up) {
        auto st = child->wait_for(200ms, [&](const std::string& line) {
            log += line + "\n";
            hanging = hanging || line.find("frame 1 rendered") != std::string::npos;
        });
        ASSERT_FALSE(st.has_value()) << "exited early:\n" << log;
    }
    ASSERT_TRUE(hanging) << log;
    std::this_thread::sleep_for(500ms);  // Blender is now inside frame 2's hang
    // A terminal's Ctrl-C reaches spotfarm's process group only; Blender has its own.
    child->signal_group(SIGINT);
    auto st = child->wait_for(30s, [&](const std::string& line) { log += line + "\n"; });
    ASSERT_TRUE(st.has_value()) << log;
    EXPECT_EQ(st->code, 130) << log;
    EXPECT_EQ(out_files(), (std::vector<std::string>{"f_0001.png"}));
    EXPECT_EQ(processes_mentioning(scene.string()), 0);
}

}  // namespace spotfarm::test
