// A job's allow_scripts, read from its settings, keeps it from workers that refuse scripts, also
// after a restart (the flag itself is not stored; the settings are).
#include "manager/farm.h"
#include "manager/farm_fixture.h"
#include "manager/job_scripts.h"

namespace spotfarm::manager {
namespace {

const core::ClaimLimits k_refuses{.refuse_scripts = true};

TEST(JobScripts, OnlyTheBooleanTrueAllowsScripts) {
    EXPECT_TRUE(settings_allow_scripts(R"({"scene":"a.blend","allow_scripts":true})"));
    EXPECT_FALSE(settings_allow_scripts(R"({"allow_scripts":false})"));
    EXPECT_FALSE(settings_allow_scripts(R"({"allow_scripts":"yes"})"));
    EXPECT_FALSE(settings_allow_scripts(R"({"engine":"CYCLES"})"));
    EXPECT_FALSE(settings_allow_scripts("not json"));
    EXPECT_FALSE(settings_allow_scripts("[true]"));
}

TEST_F(FarmTest, ARefusingWorkerIsNeverGivenAScriptJobAlsoAfterARestart) {
    auto scripts = farm->submit({.scene = "/scenes/rig.blend",
                                 .output = "/out/rig_####",
                                 .frames = "1-2",
                                 .priority = 90,
                                 .settings = R"({"engine":"CYCLES","allow_scripts":true})"});
    ASSERT_TRUE(scripts) << scripts.error().message;
    const core::JobId plain = submit("1");
    for (int round = 0; round < 2; ++round) {
        if (round == 1) open();
        const auto w = worker("careful" + std::to_string(round));
        auto a = farm->claim(w.id, {}, k_refuses);
        ASSERT_TRUE(a) << a.error().message;
        if (round == 0) {
            ASSERT_TRUE(*a);
            EXPECT_EQ((*a)->job, plain);
            ASSERT_TRUE(complete(**a, w.id));
        } else {
            EXPECT_FALSE(*a) << "task of job " << (*a)->job.value;
        }
    }
    // A worker that takes scripts gets it.
    EXPECT_EQ(claim(worker("open").id).job, *scripts);
}

}  // namespace
}  // namespace spotfarm::manager
