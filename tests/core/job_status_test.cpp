#include "core/job_status.h"

#include <gtest/gtest.h>

namespace spotfarm::core {

TEST(JobStatus, NamesRoundTrip) {
    for (auto s : {JobStatus::queued, JobStatus::active, JobStatus::paused, JobStatus::completed,
                   JobStatus::failed, JobStatus::canceled}) {
        EXPECT_EQ(parse_job_status(to_string(s)), s);
    }
    EXPECT_FALSE(parse_job_status("running"));
}

TEST(JobStatus, NamedTransitionsMoveToTheirTarget) {
    EXPECT_EQ(*apply(JobStatus::queued, JobTransition::start), JobStatus::active);
    EXPECT_EQ(*apply(JobStatus::active, JobTransition::pause), JobStatus::paused);
    EXPECT_EQ(*apply(JobStatus::paused, JobTransition::resume), JobStatus::queued);
    EXPECT_EQ(*apply(JobStatus::active, JobTransition::complete), JobStatus::completed);
    EXPECT_EQ(*apply(JobStatus::active, JobTransition::fail), JobStatus::failed);
    EXPECT_EQ(*apply(JobStatus::failed, JobTransition::cancel), JobStatus::canceled);
    EXPECT_EQ(*apply(JobStatus::canceled, JobTransition::requeue), JobStatus::queued);
}

TEST(JobStatus, IllegalMovesAreRefusedWithTheCurrentStatus) {
    auto r = apply(JobStatus::completed, JobTransition::pause);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message, "cannot pause a job that is completed");
    EXPECT_FALSE(apply(JobStatus::active, JobTransition::resume));
    EXPECT_FALSE(apply(JobStatus::canceled, JobTransition::cancel));
    EXPECT_FALSE(apply(JobStatus::completed, JobTransition::requeue));
    EXPECT_FALSE(apply(JobStatus::active, JobTransition::start));
    EXPECT_FALSE(allowed(JobStatus::failed, JobTransition::complete));
}

TEST(JobStatus, RunnableAndFinished) {
    EXPECT_TRUE(is_runnable(JobStatus::queued));
    EXPECT_TRUE(is_runnable(JobStatus::active));
    EXPECT_FALSE(is_runnable(JobStatus::paused));
    EXPECT_TRUE(is_finished(JobStatus::canceled));
    EXPECT_FALSE(is_finished(JobStatus::paused));
}

}  // namespace spotfarm::core
