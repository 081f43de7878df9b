#include "cli/render/render_progress.h"

#include <gtest/gtest.h>

namespace spotfarm::cli {

TEST(RenderProgress, LineShowsBarCountsRateAndEta) {
    auto text = RenderProgress::line(12, 48, 2, 1, 0.5, 72, "w1:13, w2:14 40%");
    EXPECT_EQ(text,
              "[######..................] 12/48 frames, 2 rendering (w1:13, w2:14 40%), 1 failed, "
              "0.50 frames/s, ETA 1 min 12 s");
}

TEST(RenderProgress, NoRateBeforeTheFirstFrame) {
    auto text = RenderProgress::line(0, 10, 1, 0, 0, -1, "");
    EXPECT_EQ(text, "[........................] 0/10 frames, 1 rendering");
}

}  // namespace spotfarm::cli
