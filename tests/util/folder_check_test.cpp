#include "util/folder_check.h"

#include <unistd.h>

#include <fstream>

#include <gtest/gtest.h>

#include "support/scratch_dir.h"

namespace spotfarm::util {

namespace fs = std::filesystem;

TEST(FolderCheck, ReadableFile) {
    test::ScratchDir dir;
    std::ofstream(dir / "a.blend") << "x";
    EXPECT_TRUE(check_readable_file(dir / "a.blend", "scene file").ok());
    auto missing = check_readable_file(dir / "b.blend", "scene file");
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().kind, util::ErrorKind::invalid);
    EXPECT_NE(missing.error().message.find("scene file not found"), std::string::npos);
    EXPECT_NE(check_readable_file(dir.path(), "scene file").error().message.find("folder"),
              std::string::npos);
}

TEST(FolderCheck, WritableFolderIsCreatedAndLeftEmpty) {
    test::ScratchDir dir;
    EXPECT_TRUE(ensure_writable_folder(dir / "out" / "shot1", "output folder").ok());
    EXPECT_TRUE(fs::is_directory(dir / "out" / "shot1"));
    EXPECT_TRUE(test::list_dir(dir / "out" / "shot1").empty());
}

TEST(FolderCheck, FolderBlockedByAFileOrPermissions) {
    test::ScratchDir dir;
    std::ofstream(dir / "file") << "x";
    auto blocked = ensure_writable_folder(dir / "file" / "frames", "output folder");
    ASSERT_FALSE(blocked.ok());
    EXPECT_EQ(blocked.error().kind, util::ErrorKind::invalid);
    EXPECT_NE(blocked.error().message.find("cannot create output folder"), std::string::npos);
    if (::geteuid() != 0) {  // root writes anywhere
        fs::create_directories(dir / "ro");
        fs::permissions(dir / "ro", fs::perms::owner_read | fs::perms::owner_exec);
        auto ro = ensure_writable_folder(dir / "ro", "output folder");
        ASSERT_FALSE(ro.ok());
        EXPECT_NE(ro.error().message.find("cannot write in output folder"), std::string::npos);
    }
}

}  // namespace spotfarm::util
