// Workers that refuse scripts: never handed a job whose scene may run Python.
#include "core/scheduler.h"

#include "core/scheduler_fixture.h"

namespace spotfarm::core {
namespace {

const ClaimLimits k_refuses{.refuse_scripts = true};

}  // namespace

class SchedulerScriptsTest : public SchedulerTest {
protected:
    JobId submit_scripts(const std::string& frames, int priority = k_default_priority) {
        JobSpec spec;
        spec.scene = "/scenes/rig.blend";
        spec.output = "/out/rig_####";
        spec.frames = frames;
        spec.priority = priority;
        spec.allow_scripts = true;
        auto id = s->submit(spec, ch);
        EXPECT_TRUE(id) << (id ? "" : id.error().message);
        return id.value_or(JobId{});
    }

    std::optional<TaskId> claim_refusing(WorkerId w, std::optional<JobId> warm = {}) {
        auto r = s->claim(w, warm, ch, k_refuses);
        EXPECT_TRUE(r) << (r ? "" : r.error().message);
        return r ? *r : std::nullopt;
    }
};

TEST_F(SchedulerScriptsTest, RefusingWorkerSkipsScriptJobsEvenOfHigherPriority) {
    JobId scripts = submit_scripts("1-3", 90);
    JobId plain = submit("1-2", 10);
    EXPECT_TRUE(job(scripts).allow_scripts);
    EXPECT_FALSE(job(plain).allow_scripts);
    WorkerId careful = worker("careful");
    std::vector<JobId> got;
    while (auto t = claim_refusing(careful)) got.push_back(task(*t).job);
    EXPECT_EQ(got, (std::vector<JobId>{plain, plain}));
    // The script job waits for a worker that takes scripts.
    EXPECT_EQ(job(scripts).count(TaskStatus::queued), 3);
    WorkerId open = worker("open");
    EXPECT_EQ(task(claim(open)).job, scripts);
}

TEST_F(SchedulerScriptsTest, WarmScriptJobIsNotHandedToARefusingWorker) {
    JobId scripts = submit_scripts("1-4");
    JobId plain = submit("1-4");
    WorkerId w = worker();
    auto t = claim_refusing(w, scripts);
    ASSERT_TRUE(t);
    EXPECT_EQ(task(*t).job, plain);
}

TEST_F(SchedulerScriptsTest, OnlyScriptJobsLeavesARefusingWorkerIdle) {
    submit_scripts("1-5");
    WorkerId w = worker();
    EXPECT_FALSE(claim_refusing(w));
    EXPECT_TRUE(try_claim(w));
}

}  // namespace spotfarm::core
