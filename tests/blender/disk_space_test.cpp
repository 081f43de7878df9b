#include "blender/disk_space.h"

#include <gtest/gtest.h>

namespace spotfarm::blender {
namespace {

FreeSpaceQuery answering(std::optional<std::uintmax_t> bytes) {
    return [bytes](const std::filesystem::path&) { return bytes; };
}

TEST(DiskSpace, RoomForAFrameIsAtLeastOneMebibyteOrTwiceTheLargestFrame) {
    EXPECT_EQ(room_for_a_frame(0), 1u << 20);
    EXPECT_EQ(room_for_a_frame(1000), 1u << 20);
    EXPECT_EQ(room_for_a_frame(30u << 20), 60u << 20);
}

TEST(DiskSpace, AFailureOnAFullDiskSaysSoAndWhatToDo) {
    auto message = disk_full_message("/renders/shot1", 0, "the output is empty", answering(12288));
    ASSERT_TRUE(message);
    EXPECT_NE(message->find("output disk is full (12 KiB free in /renders/shot1)"),
              std::string::npos)
        << *message;
    EXPECT_NE(message->find("run the same command again"), std::string::npos) << *message;
    EXPECT_NE(message->find("the output is empty"), std::string::npos) << *message;
}

TEST(DiskSpace, BigFramesNeedMoreRoomThanSmallOnes) {
    // 5 MiB free is plenty for PNGs of a few KiB, not for 40 MiB EXRs.
    EXPECT_FALSE(disk_full_message("/o", 4096, "x", answering(5u << 20)));
    auto message = disk_full_message("/o", 40u << 20, "x", answering(5u << 20));
    ASSERT_TRUE(message);
    EXPECT_NE(message->find("5.0 MiB free"), std::string::npos) << *message;
}

TEST(DiskSpace, NoAnswerFromTheFileSystemIsNotAFullDisk) {
    EXPECT_FALSE(disk_full_message("/gone", 0, "x", answering(std::nullopt)));
}

TEST(DiskSpace, TheSystemQueryAnswersForAnExistingFolder) {
    auto free = system_free_space()(std::filesystem::temp_directory_path());
    ASSERT_TRUE(free);
    EXPECT_FALSE(system_free_space()("/no/such/folder/anywhere"));
}

}  // namespace
}  // namespace spotfarm::blender
