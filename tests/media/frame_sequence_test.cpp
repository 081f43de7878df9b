#include "media/frame_sequence.h"

#include <gtest/gtest.h>

#include "support/scratch_dir.h"

namespace spotfarm::media {
namespace {

namespace fs = std::filesystem;

TEST(LinkSequence, HoldsTheFrameBeforeAGap) {
    test::ScratchDir dir;
    const auto a = dir.write("f_0001.png", "one");
    const auto c = dir.write("f_0003.png", "three");
    fs::create_directories(dir / "links");
    auto seq = link_sequence({1, 2, 3}, {{1, a}, {3, c}}, dir / "links", GapPolicy::hold);
    ASSERT_TRUE(seq.ok()) << seq.error().message;
    EXPECT_EQ(seq->length, 3);
    EXPECT_EQ(seq->extension, ".png");
    EXPECT_EQ(seq->missing, std::vector<int>{2});
    EXPECT_NE(seq->note.find("held"), std::string::npos);
    EXPECT_EQ(fs::read_symlink(dir / "links" / "000002.png"), fs::absolute(a));
    EXPECT_EQ(fs::read_symlink(dir / "links" / "000003.png"), fs::absolute(c));
    EXPECT_EQ(seq->input, dir / "links" / "%06d.png");
}

TEST(LinkSequence, SkipsGapsWhenAsked) {
    test::ScratchDir dir;
    const auto a = dir.write("f_0001.png", "one");
    const auto c = dir.write("f_0003.png", "three");
    fs::create_directories(dir / "links");
    auto seq = link_sequence({1, 2, 3, 4}, {{1, a}, {3, c}}, dir / "links", GapPolicy::skip);
    ASSERT_TRUE(seq.ok());
    EXPECT_EQ(seq->length, 2);
    EXPECT_EQ(seq->missing, (std::vector<int>{2, 4}));
    EXPECT_EQ(test::list_dir(dir / "links"),
              (std::vector<std::string>{"000001.png", "000002.png"}));
    EXPECT_NE(seq->note.find("shorter"), std::string::npos);
}

TEST(LinkSequence, NoFrameOnDiskIsNotFound) {
    test::ScratchDir dir;
    auto seq = link_sequence({1, 2}, {}, dir.path(), GapPolicy::hold);
    ASSERT_FALSE(seq.ok());
    EXPECT_EQ(seq.error().kind, util::ErrorKind::not_found);
}

TEST(LinkSequence, MixedFormatsAreRefused) {
    test::ScratchDir dir;
    const auto a = dir.write("f_0001.png", "one");
    const auto b = dir.write("f_0002.exr", "two");
    auto seq = link_sequence({1, 2}, {{1, a}, {2, b}}, dir.path(), GapPolicy::hold);
    ASSERT_FALSE(seq.ok());
    EXPECT_NE(seq.error().message.find(".exr"), std::string::npos);
}

TEST(SpreadFrames, KeepsFirstAndLastAndSpreadsTheRest) {
    std::vector<int> frames;
    for (int f = 1; f <= 100; ++f) frames.push_back(f);
    auto picked = spread_frames(frames, 5);
    EXPECT_EQ(picked, (std::vector<int>{1, 25, 50, 75, 100}));
    EXPECT_EQ(spread_frames({1, 2, 3}, 36), (std::vector<int>{1, 2, 3}));
}

TEST(FrameListText, RunsBecomeRanges) {
    EXPECT_EQ(frame_list_text({2, 3, 4, 7, 9, 10}), "2-4, 7, 9-10");
    EXPECT_EQ(frame_list_text({}), "");
}

}  // namespace
}  // namespace spotfarm::media
