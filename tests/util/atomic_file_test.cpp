#include "util/atomic_file.h"

#include <fstream>
#include <iterator>

#include <gtest/gtest.h>

#include "support/scratch_dir.h"

namespace spotfarm::util {

namespace fs = std::filesystem;

namespace {
class AtomicFileTest : public ::testing::Test {
protected:
    static std::string read(const fs::path& p) {
        std::ifstream in(p, std::ios::binary);
        return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    }
    static void write(const fs::path& p, const std::string& s) { std::ofstream(p) << s; }

    test::ScratchDir m_scratch;
    const fs::path& m_dir = m_scratch.path();
};
}  // namespace

TEST_F(AtomicFileTest, TempNameIsHiddenBesideTheFileAndKeepsTheExtension) {
    auto a = temp_path_for(m_dir / "frame_0001.png");
    auto b = temp_path_for(m_dir / "frame_0001.png");
    EXPECT_NE(a, b);
    EXPECT_EQ(a.parent_path(), m_dir);
    EXPECT_EQ(a.extension(), ".png");
    EXPECT_TRUE(a.filename().string().starts_with(".frame_0001.png.spotfarm-tmp-"));
    EXPECT_TRUE(is_temp_name(a.filename().string()));
    EXPECT_FALSE(is_temp_name("frame_0001.png"));
    EXPECT_FALSE(is_temp_name(".hidden.png"));
}

TEST_F(AtomicFileTest, WriteReplacesWholeAndLeavesNoTemp) {
    write(m_dir / "settings.json", "old");
    ASSERT_TRUE(write_file_atomic(m_dir / "settings.json", "new content").ok());
    EXPECT_EQ(read(m_dir / "settings.json"), "new content");
    EXPECT_EQ(std::distance(fs::directory_iterator(m_dir), fs::directory_iterator()), 1);
}

// Without the fsyncs the file still appears whole, replacing the old one, with no temp left.
TEST_F(AtomicFileTest, WriteForProcessCrashesOnlyIsAsAtomic) {
    ASSERT_TRUE(write_file_atomic(m_dir / "r.json", "old", 0600).ok());
    ASSERT_TRUE(write_file_atomic(m_dir / "r.json", "new", 0600, Durability::process_crash).ok());
    EXPECT_EQ(read(m_dir / "r.json"), "new");
    EXPECT_EQ(std::distance(fs::directory_iterator(m_dir), fs::directory_iterator()), 1);
    auto st = write_file_atomic(m_dir / "none" / "r.json", "x", 0600, Durability::process_crash);
    EXPECT_FALSE(st.ok());
}

TEST_F(AtomicFileTest, WriteGivesTheModeAskedForAndSaysWhatFailed) {
    ASSERT_TRUE(write_file_atomic(m_dir / "secret.json", "s", 0600).ok());
    EXPECT_EQ(fs::status(m_dir / "secret.json").permissions() & fs::perms::all,
              fs::perms::owner_read | fs::perms::owner_write);
    auto st = write_file_atomic(m_dir / "no-such-folder" / "x.json", "x");
    ASSERT_FALSE(st.ok());
    EXPECT_NE(st.error().message.find("no-such-folder"), std::string::npos);
}

TEST_F(AtomicFileTest, RenameWithoutReplaceKeepsAnExistingFile) {
    write(m_dir / "a.tmp", "fresh");
    write(m_dir / "a.png", "existing");
    auto st = rename_into_place(m_dir / "a.tmp", m_dir / "a.png", false);
    ASSERT_FALSE(st.ok());
    EXPECT_NE(st.error().message.find("already exists"), std::string::npos);
    EXPECT_EQ(read(m_dir / "a.png"), "existing");
    ASSERT_TRUE(rename_into_place(m_dir / "a.tmp", m_dir / "a.png", true).ok());
    EXPECT_EQ(read(m_dir / "a.png"), "fresh");
    EXPECT_FALSE(fs::exists(m_dir / "a.tmp"));
}

TEST_F(AtomicFileTest, StaleTempsOfTheFileGoAndFreshOnesAndOtherFilesStay) {
    const fs::path final_path = m_dir / "f_0048.png";
    const fs::path stale = temp_path_for(final_path);
    const fs::path fresh = temp_path_for(final_path);
    const fs::path other = temp_path_for(m_dir / "f_0049.png");
    for (const auto& p : {stale, fresh, other}) write(p, "x");
    write(final_path, "frame");
    const auto now = fs::file_time_type::clock::now();
    fs::last_write_time(stale, now - std::chrono::seconds(30));
    fs::last_write_time(other, now - std::chrono::seconds(30));
    fs::last_write_time(fresh, now + std::chrono::seconds(30));

    EXPECT_EQ(remove_stale_temps(final_path, now), 1);
    EXPECT_FALSE(fs::exists(stale));
    EXPECT_TRUE(fs::exists(fresh));
    EXPECT_TRUE(fs::exists(other));
    EXPECT_EQ(read(final_path), "frame");
    EXPECT_EQ(remove_stale_temps(m_dir / "missing" / "f_0001.png", now), 0);
}

TEST_F(AtomicFileTest, TempFileIsRemovedUnlessReleased) {
    {
        TempFile t(m_dir / "gone.tmp");
        write(t.path(), "x");
    }
    EXPECT_FALSE(fs::exists(m_dir / "gone.tmp"));
    {
        TempFile t(m_dir / "kept.tmp");
        write(t.path(), "x");
        t.release();
    }
    EXPECT_TRUE(fs::exists(m_dir / "kept.tmp"));
}

}  // namespace spotfarm::util
