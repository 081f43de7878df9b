// `spotfarm render`, the main job, end to end: a local farm renders every frame, a second run
// resumes without rendering anything again, and bad input fails before anything starts.

#include <sys/stat.h>

#include <map>

#include "support/farm_fixture.h"
#include "support/run_cli.h"

namespace spotfarm::test {

namespace {

std::map<std::string, long long> modification_times(const std::filesystem::path& dir) {
    std::map<std::string, long long> times;
    for (const auto& name : list_dir(dir)) {
        if (name.rfind("f_", 0) != 0) continue;  // the farm's state folder changes, frames must not
        struct stat st {};
        if (::stat((dir / name).c_str(), &st) == 0) {
            times[name] =
                static_cast<long long>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
        }
    }
    return times;
}

unsigned mode_of(const std::filesystem::path& path) {
    struct stat st {};
    EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
    return st.st_mode & 07777;
}

}  // namespace

TEST_F(FarmTest, RenderMakesEveryFrameAndResumesWithoutRenderingAgain) {
    auto first = run_cli({"render", farm_scene("tiny_cycles").string(), "--frames", "1-4", "-o",
                          output_pattern(), "--workers", "2", "--json"});
    ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
    auto summary = json::parse(first.out, nullptr, false);
    ASSERT_FALSE(summary.is_discarded()) << first.out;
    EXPECT_EQ(summary.value("status", ""), "completed");
    EXPECT_EQ(summary.value("frames", 0), 4);
    expect_frames_on_disk({1, 2, 3, 4});
    // The state folder holds the tokens and the farm's database: its owner's alone.
    const auto state = m_dir / "out" / ".spotfarm";
    EXPECT_EQ(mode_of(state), 0700u);
    EXPECT_EQ(mode_of(state / "farm.db"), 0600u);
    EXPECT_EQ(mode_of(state / "people.token"), 0600u);

    const auto before = modification_times(m_dir / "out");
    auto second = run_cli({"render", farm_scene("tiny_cycles").string(), "--frames", "1-4", "-o",
                           output_pattern(), "--workers", "2"});
    ASSERT_EQ(second.exit_code, 0) << second.out << second.err;
    EXPECT_TRUE(second.mentions("Resuming job")) << second.err;
    EXPECT_EQ(modification_times(m_dir / "out"), before) << "finished frames were rendered again";
}

TEST_F(FarmTest, RenderRejectsBadInputBeforeStartingAnything) {
    auto bad_frames = run_cli(
        {"render", farm_scene("tiny_cycles").string(), "--frames", "5-1", "-o", output_pattern()});
    EXPECT_EQ(bad_frames.exit_code, 2);
    EXPECT_TRUE(bad_frames.mentions("--frames")) << bad_frames.err;
    auto no_scene = run_cli(
        {"render", (m_dir / "nope.blend").string(), "--frames", "1", "-o", output_pattern()});
    EXPECT_EQ(no_scene.exit_code, 2);
    EXPECT_TRUE(no_scene.mentions("nope.blend")) << no_scene.err;
    EXPECT_FALSE(std::filesystem::exists(m_dir / "out" / ".spotfarm"));
}

}  // namespace spotfarm::test
