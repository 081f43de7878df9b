#include "media/movie_path.h"

#include <gtest/gtest.h>

namespace spotfarm::media {
namespace {

TEST(MoviePath, HashRunBecomesTheFrameRange) {
    EXPECT_EQ(movie_path("/r/shot_####", 1, 6, ".mp4"), "/r/shot_0001-0006.mp4");
    EXPECT_EQ(movie_path("/r/shot_##_final", 3, 12, ".mkv"), "/r/shot_03-12_final.mkv");
}

TEST(MoviePath, NoHashesAppendsFourDigits) {
    EXPECT_EQ(movie_path("/r/shot_", 1, 250, ".mov"), "/r/shot_0001-0250.mov");
}

TEST(FrameFilePath, AsWorkersNameFrames) {
    EXPECT_EQ(frame_file_path("/r/f_####", 7, ".png"), "/r/f_0007.png");
    EXPECT_EQ(frame_file_path("/r/f_", 7, ".exr"), "/r/f_0007.exr");
    EXPECT_EQ(frame_file_path("renders/f_##x", 120, ".jpg"), "renders/f_120x.jpg");
}

}  // namespace
}  // namespace spotfarm::media
