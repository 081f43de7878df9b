// `spotfarm exec` writing to a disk that fills up half way: the frames that fit are kept whole,
// the render stops with a message that says the disk is full and what to do, and no temporary
// file is left. The small disk is a tmpfs mounted in a mount namespace of this test alone
// (`unshare -rm`), so the test needs no privileges and leaves nothing mounted.
#include <cstdlib>

#include "exec_fixture.h"

namespace spotfarm::test {

namespace fs = std::filesystem;

namespace {

std::string quoted(const fs::path& path) {
    return "'" + path.string() + "'";
}

std::string first_word(const fs::path& path) {
    std::ifstream in(path);
    std::string word;
    in >> word;
    return word;
}

}  // namespace

TEST_F(ExecTest, AFullDiskStopsTheRenderWithAClearMessageAndKeepsFinishedFrames) {
    const fs::path disk = m_dir / "small-disk";
    const fs::path kept = m_dir / "kept";
    fs::create_directories(disk);
    fs::create_directories(kept);
    // 24 KiB: room for a few 32x18 PNGs (4 KiB pages each) and not for twelve.
    const std::string script =
        "set -e\n"
        "mount -t tmpfs -o size=24k tmpfs " +
        quoted(disk) +
        "\n"
        "rc=0\n" +
        quoted(SPOTFARM_EXE) + " exec " + quoted(test_scene("tiny_cycles")) +
        " --frames 1-12 --json -o " + quoted(disk / "f_####") + " > " +
        quoted(m_dir / "report.json") + " 2> " + quoted(m_dir / "stderr.txt") + " || rc=$?\n" +
        "echo $rc > " + quoted(m_dir / "exit_code") + "\n" + "cp -a " + quoted(disk) + "/. " +
        quoted(kept) + "/\n";
    std::ofstream(m_dir / "run.sh") << script;
    ASSERT_EQ(std::system(("unshare -rm sh " + quoted(m_dir / "run.sh")).c_str()), 0)
        << "could not run spotfarm on a small tmpfs in a mount namespace";

    EXPECT_EQ(first_word(m_dir / "exit_code"), "1");
    std::ifstream in(m_dir / "report.json");
    auto report = nlohmann::json::parse(in, nullptr, false);
    ASSERT_FALSE(report.is_discarded());
    const int rendered = report["rendered"].get<int>();
    EXPECT_GT(rendered, 0);
    EXPECT_LT(rendered, 12);
    EXPECT_EQ(report["failed"].get<int>(), 12 - rendered);

    std::vector<std::string> kept_files = list_dir(kept);
    EXPECT_EQ(kept_files.size(), static_cast<std::size_t>(rendered));
    for (const auto& name : kept_files) {
        EXPECT_FALSE(util::is_temp_name(name)) << "left behind: " << name;
        EXPECT_TRUE(blender::validate_output(kept / name, {32, 18})) << name;
    }
    for (const auto& frame : report["frames"]) {
        if (frame["status"] != "failed") continue;
        const std::string error = frame["error"].get<std::string>();
        EXPECT_NE(error.find("the output disk is full"), std::string::npos) << error;
        EXPECT_NE(error.find("run the same command again"), std::string::npos) << error;
    }
}

}  // namespace spotfarm::test
