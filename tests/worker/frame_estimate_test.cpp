#include "worker/frame_estimate.h"

#include <gtest/gtest.h>

namespace spotfarm::worker {
namespace {

using namespace std::chrono_literals;
using Time = util::Clock::time_point;

TEST(ExpectedFrameEnd, ExtrapolatesFromSamples) {
    Time start{100s};
    // 20 of 100 samples in 10 s: 40 s to go.
    EXPECT_EQ(expected_frame_end(start, start + 10s, 20, 100, std::nullopt), start + 50s);
    // Samples win over the job's earlier frames.
    EXPECT_EQ(expected_frame_end(start, start + 10s, 20, 100, 12s), start + 50s);
}

TEST(ExpectedFrameEnd, FallsBackToEarlierFrames) {
    Time start{100s};
    EXPECT_EQ(expected_frame_end(start, start + 4s, 0, 0, 12s), start + 12s);
    // Slower than any earlier frame already: no guess.
    EXPECT_EQ(expected_frame_end(start, start + 13s, 0, 0, 12s), std::nullopt);
}

TEST(ExpectedFrameEnd, NothingToJudgeFrom) {
    Time start{100s};
    EXPECT_EQ(expected_frame_end(start, start + 4s, 0, 0, std::nullopt), std::nullopt);
    EXPECT_EQ(expected_frame_end(start, start + 4s, 0, 64, std::nullopt), std::nullopt);
}

}  // namespace
}  // namespace spotfarm::worker
