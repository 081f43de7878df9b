#include "core/frame_set.h"

#include <algorithm>
#include <chrono>
#include <random>

#include <gtest/gtest.h>

namespace spotfarm::core {
namespace {

std::vector<int> parsed(std::string_view spec) {
    auto set = FrameSet::parse(spec);
    EXPECT_TRUE(set.ok()) << spec << ": " << (set.ok() ? "" : set.error().message);
    return set.ok() ? set->frames() : std::vector<int>{};
}

std::string parse_error(std::string_view spec) {
    auto set = FrameSet::parse(spec);
    EXPECT_FALSE(set.ok()) << spec << " parsed as " << (set.ok() ? set->to_string() : "");
    return set.ok() ? "" : set.error().message;
}

std::vector<int> range(int first, int last, int step = 1) {
    std::vector<int> v;
    for (int f = first; f <= last; f += step) v.push_back(f);
    return v;
}

TEST(FrameSetParse, SingleFramesAndRanges) {
    EXPECT_EQ(parsed("7"), std::vector<int>{7});
    EXPECT_EQ(parsed("0"), std::vector<int>{0});
    EXPECT_EQ(parsed("1-250"), range(1, 250));
    EXPECT_EQ(parsed("1,5,10-20"),
              (std::vector<int>{1, 5, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20}));
    EXPECT_EQ(parsed("3-3"), std::vector<int>{3});
}

TEST(FrameSetParse, BlenderDotsAndSteps) {
    EXPECT_EQ(parsed("1..10"), range(1, 10));
    EXPECT_EQ(parsed("1-100x5"), range(1, 100, 5));
    EXPECT_EQ(parsed("1..10x3"), (std::vector<int>{1, 4, 7, 10}));
    EXPECT_EQ(parsed("1-3,7,10..12x2"), (std::vector<int>{1, 2, 3, 7, 10, 12}));
    // A step larger than the range leaves the first frame only.
    EXPECT_EQ(parsed("5-6x10"), std::vector<int>{5});
}

TEST(FrameSetParse, WhitespaceAroundItems) {
    EXPECT_EQ(parsed("  1 - 3 ,\t7 , 10 .. 12 x 2  "), (std::vector<int>{1, 2, 3, 7, 10, 12}));
}

TEST(FrameSetParse, SortsAndRemovesDuplicates) {
    EXPECT_EQ(parsed("10,1-3,2,10"), (std::vector<int>{1, 2, 3, 10}));
}

TEST(FrameSetParse, RejectsEmptySpecAndItems) {
    EXPECT_NE(parse_error("").find("no frames given"), std::string::npos);
    EXPECT_NE(parse_error("   ").find("no frames given"), std::string::npos);
    EXPECT_NE(parse_error("1,,2").find("empty frame item"), std::string::npos);
    EXPECT_NE(parse_error("1,").find("empty frame item"), std::string::npos);
    EXPECT_NE(parse_error(",1").find("empty frame item"), std::string::npos);
}

TEST(FrameSetParse, ReversedRangeNamesItemAndSuggestsFix) {
    const std::string message = parse_error("1,10-1");
    EXPECT_NE(message.find("\"10-1\""), std::string::npos) << message;
    EXPECT_NE(message.find("reversed"), std::string::npos) << message;
    EXPECT_NE(message.find("\"1-10\""), std::string::npos) << message;
}

TEST(FrameSetParse, RejectsNegativeFrames) {
    EXPECT_NE(parse_error("-5").find("negative"), std::string::npos);
    EXPECT_NE(parse_error("-5-10").find("negative"), std::string::npos);
    EXPECT_NE(parse_error("5--3").find("negative"), std::string::npos);
}

TEST(FrameSetParse, RejectsBadSteps) {
    EXPECT_NE(parse_error("1-10x0").find("step must be 1 or more"), std::string::npos);
    EXPECT_NE(parse_error("1-10x-2").find("step must be 1 or more"), std::string::npos);
    EXPECT_NE(parse_error("1-10x").find("step"), std::string::npos);
    EXPECT_NE(parse_error("5x2").find("needs a range"), std::string::npos);
}

TEST(FrameSetParse, RejectsGarbageWithExample) {
    for (std::string_view bad :
         {"abc", "1-abc", "1-5y", "1 5", "1.5", "1-2-3", "1-10x2x3", "1...5", "#", "0x10"}) {
        const std::string message = parse_error(bad);
        EXPECT_NE(message.find("\"1-250\""), std::string::npos) << bad << ": " << message;
    }
    EXPECT_NE(parse_error("1,2,abc").find("\"abc\""), std::string::npos);
    auto set = FrameSet::parse("x");
    ASSERT_FALSE(set.ok());
    EXPECT_EQ(set.error().kind, util::ErrorKind::invalid);
}

TEST(FrameSetParse, RejectsNumbersBeyondInt) {
    EXPECT_NE(parse_error("99999999999").find("too large"), std::string::npos);
}

TEST(FrameSetParse, RejectsHugeSetsBeforeExpanding) {
    const auto start = std::chrono::steady_clock::now();
    const std::string message = parse_error("1-1000000000");
    EXPECT_NE(message.find("too many frames"), std::string::npos) << message;
    EXPECT_NE(message.find("10000000"), std::string::npos) << message;
    // Many items that each fit but together do not.
    EXPECT_NE(parse_error("0-6000000,0-6000000").find("too many frames"), std::string::npos);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
}

TEST(FrameSetParse, AcceptsExactlyTheLimit) {
    auto set = FrameSet::parse("1-" + std::to_string(k_max_frames));
    ASSERT_TRUE(set.ok());
    EXPECT_EQ(set->size(), k_max_frames);
    EXPECT_FALSE(FrameSet::parse("0-" + std::to_string(k_max_frames)).ok());
    // A step keeps a wide range small enough.
    auto stepped = FrameSet::parse("1-1000000000x1000");
    ASSERT_TRUE(stepped.ok());
    EXPECT_EQ(stepped->size(), 1'000'000u);
}

TEST(FrameSet, Accessors) {
    auto set = FrameSet::from_frames({9, 3, 3, 5});
    EXPECT_EQ(set.frames(), (std::vector<int>{3, 5, 9}));
    EXPECT_EQ(set.size(), 3u);
    EXPECT_FALSE(set.empty());
    EXPECT_EQ(set.first(), 3);
    EXPECT_EQ(set.last(), 9);
    EXPECT_TRUE(set.contains(5));
    EXPECT_FALSE(set.contains(4));
    EXPECT_FALSE(set.contains(10));
    EXPECT_TRUE(FrameSet::from_frames({}).empty());
    EXPECT_EQ(FrameSet::from_frames({2, 1}), FrameSet::from_frames({1, 2, 2}));
    EXPECT_NE(FrameSet::from_frames({2, 1}), FrameSet::from_frames({1}));
}

TEST(FrameSetToString, CompactCanonicalForm) {
    EXPECT_EQ(FrameSet::from_frames({}).to_string(), "");
    EXPECT_EQ(FrameSet::from_frames({4}).to_string(), "4");
    EXPECT_EQ(FrameSet::from_frames(range(1, 250)).to_string(), "1-250");
    EXPECT_EQ(FrameSet::from_frames({1, 2}).to_string(), "1-2");
    EXPECT_EQ(FrameSet::from_frames(range(1, 100, 5)).to_string(), "1-96x5");
    EXPECT_EQ(FrameSet::from_frames({1, 3}).to_string(), "1,3");
    EXPECT_EQ(FrameSet::from_frames({1, 2, 3, 7, 10, 12}).to_string(), "1-3,7,10,12");
    EXPECT_EQ(FrameSet::from_frames({1, 5, 9, 10, 11}).to_string(), "1-9x4,10-11");
    EXPECT_EQ(FrameSet::from_frames({0, 10, 20, 21}).to_string(), "0-20x10,21");
}

TEST(FrameSetToString, RandomRoundTrips) {
    std::mt19937 rng(20240611);
    for (int round = 0; round < 2000; ++round) {
        std::vector<int> frames;
        const int pieces = std::uniform_int_distribution<int>(0, 8)(rng);
        for (int p = 0; p < pieces; ++p) {
            const int start = std::uniform_int_distribution<int>(0, 500)(rng);
            const int length = std::uniform_int_distribution<int>(1, 30)(rng);
            const int step = std::uniform_int_distribution<int>(1, 4)(rng);
            for (int i = 0; i < length; ++i) frames.push_back(start + i * step);
        }
        if (round % 7 == 0) frames.push_back(std::numeric_limits<int>::max());
        const FrameSet set = FrameSet::from_frames(frames);
        const std::string text = set.to_string();
        if (set.empty()) {
            EXPECT_EQ(text, "");
            continue;
        }
        auto back = FrameSet::parse(text);
        ASSERT_TRUE(back.ok()) << text << ": " << back.error().message;
        ASSERT_EQ(*back, set) << text;
        // Canonical: printing again gives the same text.
        EXPECT_EQ(back->to_string(), text);
    }
}

TEST(FrameSetChunks, SplitsInFrameOrder) {
    auto set = FrameSet::from_frames({1, 2, 3, 4, 5, 10, 11});
    auto chunks = set.chunks(3);
    ASSERT_EQ(chunks.size(), 3u);
    EXPECT_EQ(chunks[0].frames(), (std::vector<int>{1, 2, 3}));
    EXPECT_EQ(chunks[1].frames(), (std::vector<int>{4, 5, 10}));
    EXPECT_EQ(chunks[2].frames(), (std::vector<int>{11}));
}

TEST(FrameSetChunks, CoversEveryFrameOnce) {
    auto set = FrameSet::parse("1-97,200-300x7");
    ASSERT_TRUE(set.ok());
    for (std::size_t n : {1u, 2u, 5u, 10u, 1000u}) {
        std::vector<int> joined;
        for (const FrameSet& chunk : set->chunks(n)) {
            EXPECT_LE(chunk.size(), n);
            EXPECT_FALSE(chunk.empty());
            joined.insert(joined.end(), chunk.frames().begin(), chunk.frames().end());
        }
        EXPECT_EQ(joined, set->frames()) << n;
    }
    EXPECT_EQ(set->chunks(0).size(), set->size());
    EXPECT_TRUE(FrameSet::from_frames({}).chunks(4).empty());
}

}  // namespace
}  // namespace spotfarm::core

namespace spotfarm::core {

// Items in any order, overlapping and stepped, give the same set as sorting every frame would
// (the parser merges the items' ascending runs instead of sorting millions of frames).
TEST(FrameSetMerge, OverlappingStepsInAnyOrderAreOneSortedSet) {
    auto set = FrameSet::parse("30-60x7, 5-20x3, 1-40x2, 7, 2-4, 100, 3");
    ASSERT_TRUE(set) << set.error().message;
    std::vector<int> expected;
    for (int f = 30; f <= 60; f += 7) expected.push_back(f);
    for (int f = 5; f <= 20; f += 3) expected.push_back(f);
    for (int f = 1; f <= 40; f += 2) expected.push_back(f);
    for (int f : {7, 2, 3, 4, 100, 3}) expected.push_back(f);
    EXPECT_EQ(*set, FrameSet::from_frames(expected));
    EXPECT_TRUE(std::is_sorted(set->frames().begin(), set->frames().end()));
}

}  // namespace spotfarm::core
