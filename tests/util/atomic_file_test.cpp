#include "util/atomic_file.h"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <unistd.h>

namespace spotfarm::util {
namespace {

namespace fs = std::filesystem;

TEST(WriteFileAtomically, ReplacesTheFileWholeAndLeavesNothingBehind) {
    fs::path dir =
        fs::path(::testing::TempDir()) / ("spotfarm_atomic_" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    fs::path file = dir / "state.json";

    ASSERT_TRUE(write_file_atomically(file, "first", 0600));
    ASSERT_TRUE(write_file_atomically(file, "second, longer", 0600));

    std::ifstream in(file);
    std::string text((std::istreambuf_iterator<char>(in)), {});
    EXPECT_EQ(text, "second, longer");
    EXPECT_EQ(fs::status(file).permissions() & fs::perms::all,
              fs::perms::owner_read | fs::perms::owner_write);
    EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 1);
    fs::remove_all(dir);
}

TEST(WriteFileAtomically, SaysWhatFailed) {
    auto status = write_file_atomically("/nonexistent-dir/x/state.json", "x");
    ASSERT_FALSE(status);
    EXPECT_NE(status.error().message.find("/nonexistent-dir/x/state.json"), std::string::npos);
}

}  // namespace
}  // namespace spotfarm::util
