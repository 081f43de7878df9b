// Frame results as the task_attempts.results column holds them.
#include "store/json_columns.h"

#include <gtest/gtest.h>

namespace spotfarm::store {
namespace {

TEST(JsonColumns, FrameWarningsSurviveTheColumnAndOnlyFramesWithSomeNameThem) {
    const std::vector<core::FrameResult> results = {
        {1, "/o/1.png", 1.5, 1024, {"missing image 'sky' -> /hdr/sky.exr", "rendered on CPU"}},
        {2, "/o/2.png", 2.5, 2048, {}}};
    const std::string text = results_to_json(results);
    EXPECT_EQ(text.find("warnings"), text.rfind("warnings")) << "once, for frame 1: " << text;
    const auto back = results_from_json(text);
    ASSERT_EQ(back.size(), 2u);
    EXPECT_EQ(back[0].warnings, results[0].warnings);
    EXPECT_TRUE(back[1].warnings.empty());
    EXPECT_EQ(back[1].output, "/o/2.png");
}

TEST(JsonColumns, AWarningThatIsNotUtf8IsStoredNotThrown) {
    const std::vector<core::FrameResult> results = {{1, "/o/1.png", 1, 1, {"missing caf\xe9.exr"}}};
    std::string text;
    ASSERT_NO_THROW(text = results_to_json(results));
    const auto back = results_from_json(text);
    ASSERT_EQ(back.size(), 1u);
    ASSERT_EQ(back[0].warnings.size(), 1u);
    EXPECT_EQ(back[0].warnings[0].rfind("missing caf", 0), 0u);
}

}  // namespace
}  // namespace spotfarm::store
