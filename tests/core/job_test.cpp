#include "core/job.h"

#include <gtest/gtest.h>

namespace spotfarm::core {
namespace {

JobSpec good() {
    JobSpec s;
    s.scene = "/scenes/shot.blend";
    s.output = "/renders/shot/frame_####";
    s.frames = "1-10";
    return s;
}

std::string error_of(JobSpec s) {
    auto r = validate(std::move(s));
    return r ? "" : r.error().message;
}

}  // namespace

TEST(JobSpecValidation, AcceptsAGoodSpecAndNamesItAfterTheScene) {
    auto r = validate(good());
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->spec.name, "shot.blend");
    EXPECT_EQ(r->frames.size(), 10u);
}

TEST(JobSpecValidation, RefusesEachBadField) {
    auto s = good();
    s.scene.clear();
    EXPECT_NE(error_of(s).find("no scene"), std::string::npos);
    s = good();
    s.output = "/renders/../etc/frame_####";
    EXPECT_NE(error_of(s).find("'..'"), std::string::npos);
    s = good();
    s.output.clear();
    EXPECT_NE(error_of(s).find("no output"), std::string::npos);
    s = good();
    s.chunk = 0;
    EXPECT_NE(error_of(s).find("chunk size"), std::string::npos);
    s = good();
    s.priority = k_max_priority + 1;
    EXPECT_NE(error_of(s).find("priority"), std::string::npos);
    s = good();
    s.frames = "1-x";
    EXPECT_NE(error_of(s).find("frames '1-x'"), std::string::npos);
    s = good();
    s.frames = "1-1000000000";
    EXPECT_NE(error_of(s).find("frames"), std::string::npos);
}

TEST(JobSpecValidation, DotsInsideANameAreFine) {
    auto s = good();
    s.output = "/renders/shot..v2/frame_####";
    EXPECT_EQ(error_of(s), "");
}

}  // namespace spotfarm::core
