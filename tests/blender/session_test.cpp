// Session against a stand-in Blender (tests/data/fake_blender.py) that speaks the driver protocol
// and misbehaves on demand: real processes and pipes, no Blender start-up cost. The real Blender
// is exercised by tests/integration/blender.
#include "blender/session.h"

#include <fstream>
#include <iterator>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/scratch_dir.h"

namespace spotfarm::blender {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

class SessionTest : public ::testing::Test {
protected:
    // Writes the fake's behaviour as its ".blend" and returns options that start it.
    SessionOptions options(nlohmann::json spec) {
        spec["starts_file"] = (m_dir / "starts.txt").string();
        std::ofstream(m_dir / "scene.json") << spec.dump();
        fs::create_directories(m_out);
        SessionOptions o;
        o.launch.blender = SPOTFARM_TEST_DATA "/fake_blender.py";
        o.launch.scene_file = m_dir / "scene.json";
        o.limits.no_progress = 2s;
        return o;
    }
    SessionCallbacks callbacks() {
        SessionCallbacks c;
        c.on_notice = [this](const std::string& n) { m_notices.push_back(n); };
        return c;
    }
    fs::path frame(int n) const { return m_out / ("frame_" + std::to_string(n) + ".png"); }
    int starts() const {
        std::ifstream in(m_dir / "starts.txt");
        return static_cast<int>(
            std::count(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>(), '\n'));
    }
    // Only final frame files: no temporary file may survive a frame, good or bad.
    void expect_only(const std::vector<std::string>& names) const {
        EXPECT_EQ(test::list_dir(m_out), names);
    }
    bool has_notice(const std::string& text) const {
        return std::any_of(m_notices.begin(), m_notices.end(),
                           [&](const std::string& n) { return n.find(text) != std::string::npos; });
    }

    test::ScratchDir m_scratch;
    const fs::path& m_dir = m_scratch.path();
    fs::path m_out = m_dir / "out";
    std::vector<std::string> m_notices;
};

#define EXPECT_MENTIONS(text, part) \
    EXPECT_NE(std::string(text).find(part), std::string::npos) << text

}  // namespace

TEST_F(SessionTest, RendersFrameAfterFrameIntoPlaceFromOneBlender) {
    Session session(options({}), callbacks());
    auto info = session.start();
    ASSERT_TRUE(info.ok()) << info.error().message;
    EXPECT_EQ(info->extension, ".png");
    EXPECT_EQ(info->resolution.width, 8);
    for (int f : {1, 2, 3}) {
        auto r = session.render(f, frame(f));
        EXPECT_TRUE(r.ok) << r.error;
        EXPECT_DOUBLE_EQ(r.render_seconds, 0.25);
        EXPECT_DOUBLE_EQ(r.blender_seconds, 0.25);
        EXPECT_GT(r.wall_seconds, 0);
    }
    EXPECT_EQ(starts(), 1);
    expect_only({"frame_1.png", "frame_2.png", "frame_3.png"});
}

TEST_F(SessionTest, ExistingFrameIsLeftAloneUnlessOverwrite) {
    Session session(options({}), callbacks());
    std::ofstream(frame(1)) << "precious";
    auto r = session.render(1, frame(1));
    EXPECT_FALSE(r.ok);
    EXPECT_MENTIONS(r.error, "already exists");
    EXPECT_EQ(fs::file_size(frame(1)), 8u);
    r = session.render(1, frame(1), true);
    EXPECT_TRUE(r.ok) << r.error;
    EXPECT_GT(fs::file_size(frame(1)), 8u);
    expect_only({"frame_1.png"});
}

// A frame that another attempt finished while this one rendered (a farm worker paused past its
// lease) is kept as it is, even with overwrite: it may be counted already.
TEST_F(SessionTest, AFrameFinishedElsewhereDuringTheRenderIsKept) {
    Session session(options({{"frames", {{"1", "slow"}}}}), callbacks());
    ASSERT_TRUE(session.start().ok());
    std::thread other([&] {
        std::this_thread::sleep_for(1s);  // the slow frame takes 3 s
        std::ofstream(frame(1)) << "theirs";
    });
    auto r = session.render(1, frame(1), true);
    other.join();
    EXPECT_TRUE(r.ok) << r.error;
    std::ifstream in(frame(1));
    EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), "theirs");
    EXPECT_TRUE(has_notice("finished by another worker"));
    expect_only({"frame_1.png"});
}

// An older file is replaced, unless may_replace (the manager's word) says another attempt
// finished the frame; it is asked only when a file is there.
TEST_F(SessionTest, MayReplaceDecidesForAnOlderFile) {
    Session session(options({}), callbacks());
    int asked = 0;
    auto keep = [&] {
        ++asked;
        return false;
    };
    auto r = session.render(2, frame(2), true, keep);
    EXPECT_TRUE(r.ok) << r.error;
    EXPECT_EQ(asked, 0);
    std::ofstream(frame(1)) << "finished elsewhere";
    r = session.render(1, frame(1), true, keep);
    EXPECT_TRUE(r.ok) << r.error;
    EXPECT_EQ(asked, 1);
    EXPECT_EQ(fs::file_size(frame(1)), 18u);
    r = session.render(1, frame(1), true, [] { return true; });
    EXPECT_TRUE(r.ok) << r.error;
    EXPECT_GT(fs::file_size(frame(1)), 18u);
    expect_only({"frame_1.png", "frame_2.png"});
}

TEST_F(SessionTest, HangIsKilledByTheWatchdogAndTheNextFrameGetsAFreshBlender) {
    auto o = options({{"frames", {{"2", "hang"}}}});
    o.limits.no_progress = 1s;
    Session session(o, callbacks());
    EXPECT_TRUE(session.render(1, frame(1)).ok);
    auto hung = session.render(2, frame(2));
    EXPECT_FALSE(hung.ok);
    EXPECT_MENTIONS(hung.error, "no progress");
    EXPECT_FALSE(hung.log_tail.empty());
    EXPECT_FALSE(session.running());
    EXPECT_TRUE(session.render(3, frame(3)).ok);
    EXPECT_EQ(starts(), 2);
    EXPECT_TRUE(has_notice("killed by the watchdog"));
    expect_only({"frame_1.png", "frame_3.png"});
}

TEST_F(SessionTest, ProgressKeepsASlowFrameAliveButTheFrameLimitStopsIt) {
    auto o = options({{"frames", {{"1", "slow"}, {"2", "slow"}}}});
    o.limits.no_progress = 1500ms;  // the slow frame prints every 100 ms for 3 s
    Session session(o, callbacks());
    auto slow = session.render(1, frame(1));
    EXPECT_TRUE(slow.ok) << slow.error;

    auto limited = options({{"frames", {{"2", "slow"}}}});
    limited.limits.frame_limit = 1s;
    Session strict_time(limited, callbacks());
    auto r = strict_time.render(2, frame(2));
    EXPECT_FALSE(r.ok);
    EXPECT_MENTIONS(r.error, "ran over");
    expect_only({"frame_1.png"});
}

TEST_F(SessionTest, CrashIsReportedAndBlenderStartedAgain) {
    Session session(options({{"frames", {{"1", "crash"}, {"2", "quiet_exit"}}}}), callbacks());
    auto crashed = session.render(1, frame(1));
    EXPECT_FALSE(crashed.ok);
    EXPECT_MENTIONS(crashed.error, "signal 11");
    EXPECT_MENTIONS(crashed.error, "rendering frame 1");
    auto gone = session.render(2, frame(2));
    EXPECT_FALSE(gone.ok);
    EXPECT_MENTIONS(gone.error, "exit code 0");
    EXPECT_TRUE(session.render(3, frame(3)).ok);
    EXPECT_EQ(starts(), 3);
    expect_only({"frame_3.png"});
}

TEST_F(SessionTest, OutputThatIsMissingDamagedOrTheWrongSizeFailsTheFrame) {
    Session session(
        options({{"frames", {{"1", "garbage"}, {"2", "no_file"}, {"3", "wrong_size"}}}}),
        callbacks());
    auto garbage = session.render(1, frame(1));
    EXPECT_MENTIONS(garbage.error, "not a valid frame");
    EXPECT_MENTIONS(session.render(2, frame(2)).error, "was not written");
    EXPECT_MENTIONS(session.render(3, frame(3)).error, "16x4 pixels, expected 8x4");
    EXPECT_EQ(starts(), 1);  // bad output is no reason to restart Blender
    expect_only({});
}

TEST_F(SessionTest, ErrorsInTheLogFailTheFrameWithAdvice) {
    Session session(options({{"frames", {{"1", "error"}, {"2", "gpu_error"}}}}), callbacks());
    auto denoise = session.render(1, frame(1));
    EXPECT_FALSE(denoise.ok);
    EXPECT_MENTIONS(denoise.error, "Build without OpenImageDenoiser");
    EXPECT_MENTIONS(denoise.error, "turn denoising off");
    auto gpu = session.render(2, frame(2));
    EXPECT_FALSE(gpu.ok);  // the file was written, but a GPU error may have left it black
    EXPECT_MENTIONS(gpu.error, "CUDA error");
    EXPECT_MENTIONS(gpu.error, "--device cpu");
    expect_only({});
}

TEST_F(SessionTest, RestartsAfterNFramesAndPastTheMemoryBound) {
    auto o = options({});
    o.restart_every = 2;
    {
        Session session(o, callbacks());
        for (int f = 1; f <= 5; ++f) EXPECT_TRUE(session.render(f, frame(f)).ok);
    }
    EXPECT_EQ(starts(), 3);
    EXPECT_TRUE(has_notice("--restart-every"));

    auto m = options({{"memory_mb_per_frame", 100}});  // peaks 200, 300 | 200, 300 | 200
    m.max_memory_mb = 250;
    Session session(m, callbacks());
    for (int f = 1; f <= 5; ++f) EXPECT_TRUE(session.render(f, frame(f), true).ok);
    EXPECT_EQ(starts(), 6);  // 3 above and 3 here
    EXPECT_TRUE(has_notice("--max-memory 250 MB"));
}

TEST_F(SessionTest, StopThenRenderStartsAFreshBlender) {
    Session session(options({}), callbacks());
    EXPECT_TRUE(session.render(1, frame(1)).ok);
    session.stop();
    EXPECT_FALSE(session.running());
    EXPECT_TRUE(session.render(2, frame(2)).ok);
    EXPECT_EQ(starts(), 2);
    EXPECT_EQ(session.processes_started(), 2);
    EXPECT_FALSE(has_notice("starting a new Blender"));  // a planned stop is not news
}

TEST_F(SessionTest, LaunchReturnsWhileTheSceneLoadsAndTheFirstFrameWaitsForIt) {
    Session session(options({{"load_seconds", 2}}), callbacks());
    const auto before = std::chrono::steady_clock::now();
    ASSERT_TRUE(session.launch().ok());
    EXPECT_LT(std::chrono::steady_clock::now() - before, 1s);  // the 2 s load is not waited for
    EXPECT_TRUE(session.running());
    EXPECT_FALSE(session.ready());
    ASSERT_TRUE(session.launch().ok());  // already loading: the same Blender
    auto r = session.render(1, frame(1));
    EXPECT_TRUE(r.ok) << r.error;
    EXPECT_TRUE(session.ready());
    EXPECT_EQ(session.processes_started(), 1);
    EXPECT_EQ(starts(), 1);
}

TEST_F(SessionTest, StopKillsABlenderStillLoadingWithoutWaitingForIt) {
    Session session(options({{"load_seconds", 30}}), callbacks());
    ASSERT_TRUE(session.launch().ok());
    const auto before = std::chrono::steady_clock::now();
    session.stop();
    EXPECT_LT(std::chrono::steady_clock::now() - before, 5s);  // not the 10 s a quit may take
    EXPECT_FALSE(session.running());
}

TEST_F(SessionTest, UnreadableSceneIsBadInput) {
    Session session(options({{"open_error", "Failed to read blend file 'x': Missing DNA block"}}),
                    callbacks());
    auto info = session.start();
    ASSERT_FALSE(info.ok());
    EXPECT_EQ(info.error().kind, util::ErrorKind::invalid);
    EXPECT_MENTIONS(info.error().message, "could not open the scene");
    EXPECT_MENTIONS(info.error().message, "Missing DNA block");
    auto r = session.render(1, frame(1));
    EXPECT_TRUE(r.session_broken);
    EXPECT_EQ(r.start_error, util::ErrorKind::invalid);
}

TEST_F(SessionTest, SettingsTheDriverRefusesAreBadInput) {
    Session session(options({{"ready_error", "the file has no scene 'Shot9'"}}), callbacks());
    auto info = session.start();
    ASSERT_FALSE(info.ok());
    EXPECT_EQ(info.error().kind, util::ErrorKind::invalid);
    EXPECT_MENTIONS(info.error().message, "no scene 'Shot9'");
    EXPECT_FALSE(session.running());
}

TEST_F(SessionTest, MissingLinkedFilesWarnOrFailWithStrict) {
    nlohmann::json spec = {
        {"missing_files", {{{"kind", "image"}, {"name", "wood"}, {"path", "/tex/wood.png"}}}}};
    {
        Session session(options(spec), callbacks());
        ASSERT_TRUE(session.start().ok());
        EXPECT_TRUE(has_notice("missing image 'wood' -> /tex/wood.png"));
    }
    auto o = options(spec);
    o.strict = true;
    Session session(o, callbacks());
    auto info = session.start();
    ASSERT_FALSE(info.ok());
    EXPECT_EQ(info.error().kind, util::ErrorKind::invalid);
    EXPECT_MENTIONS(info.error().message, "/tex/wood.png");
}

TEST_F(SessionTest, EveryFrameCarriesWhatTheSceneLoadWarnedOf) {
    // Not only a notice at load: the frames' results carry it, so a farm can show it.
    nlohmann::json spec = {
        {"missing_files", {{{"kind", "image"}, {"name", "sky"}, {"path", "/hdr/sky.exr"}}}}};
    Session session(options(spec), callbacks());
    for (int f : {1, 2}) {
        auto r = session.render(f, frame(f));
        ASSERT_TRUE(r.ok) << r.error;
        ASSERT_EQ(r.warnings.size(), 1u) << "frame " << f;
        EXPECT_EQ(r.warnings.front(), "missing image 'sky' -> /hdr/sky.exr");
    }
    Session clean(options({}), callbacks());
    auto r = clean.render(3, frame(3));
    ASSERT_TRUE(r.ok) << r.error;
    EXPECT_TRUE(r.warnings.empty());
}

TEST_F(SessionTest, ShouldStopInterruptsARunningFrame) {
    bool stop = false;
    auto c = callbacks();
    c.on_progress = [&](int frame, const ProgressEvent&) { stop = frame == 2; };
    c.should_stop = [&] { return stop; };
    Session session(options({{"frames", {{"2", "hang"}}}}), c);
    EXPECT_TRUE(session.render(1, frame(1)).ok);
    auto r = session.render(2, frame(2));
    EXPECT_FALSE(r.ok);
    EXPECT_TRUE(r.interrupted);
    EXPECT_FALSE(session.running());
    expect_only({"frame_1.png"});
}

TEST_F(SessionTest, LoadingThatTakesTooLongIsStopped) {
    auto o = options({});
    o.launch.blender = m_dir / "slow-blender";
    std::ofstream(o.launch.blender) << "#!/bin/sh\nexec sleep 30\n";
    fs::permissions(o.launch.blender, fs::perms::owner_all);
    o.load_limit = 200ms;
    Session session(o, callbacks());
    auto info = session.start();
    ASSERT_FALSE(info.ok());
    EXPECT_EQ(info.error().kind, util::ErrorKind::failed);
    EXPECT_MENTIONS(info.error().message, "--load-timeout");
}

TEST_F(SessionTest, BlenderThatCannotRunIsUnavailable) {
    auto o = options({});
    o.launch.blender = m_dir / "no-blender-here";
    Session session(o, callbacks());
    auto info = session.start();
    ASSERT_FALSE(info.ok());
    EXPECT_EQ(info.error().kind, util::ErrorKind::unavailable);
    EXPECT_MENTIONS(info.error().message, "no-blender-here");
}

}  // namespace spotfarm::blender
