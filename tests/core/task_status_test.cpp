#include "core/task_status.h"

#include <gtest/gtest.h>

namespace spotfarm::core {

TEST(TaskStatus, NamesRoundTrip) {
    for (int i = 0; i < k_task_status_count; ++i) {
        auto s = static_cast<TaskStatus>(i);
        EXPECT_EQ(parse_task_status(to_string(s)), s);
    }
    EXPECT_FALSE(parse_task_status(""));
}

TEST(TaskStatus, LeaseCycle) {
    EXPECT_EQ(*apply(TaskStatus::queued, TaskTransition::claim), TaskStatus::active);
    EXPECT_EQ(*apply(TaskStatus::active, TaskTransition::release), TaskStatus::queued);
    EXPECT_EQ(*apply(TaskStatus::active, TaskTransition::retry), TaskStatus::queued);
    EXPECT_EQ(*apply(TaskStatus::active, TaskTransition::complete), TaskStatus::completed);
    // Late results of a lost lease still complete a queued task.
    EXPECT_EQ(*apply(TaskStatus::queued, TaskTransition::complete), TaskStatus::completed);
    EXPECT_EQ(*apply(TaskStatus::failed, TaskTransition::requeue), TaskStatus::queued);
}

TEST(TaskStatus, IllegalMovesAreRefused) {
    auto r = apply(TaskStatus::completed, TaskTransition::claim);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message, "cannot claim a task that is completed");
    EXPECT_FALSE(apply(TaskStatus::active, TaskTransition::claim));
    EXPECT_FALSE(apply(TaskStatus::queued, TaskTransition::release));
    EXPECT_FALSE(apply(TaskStatus::canceled, TaskTransition::complete));
    EXPECT_FALSE(apply(TaskStatus::completed, TaskTransition::requeue));
    EXPECT_FALSE(apply(TaskStatus::completed, TaskTransition::cancel));
}

}  // namespace spotfarm::core
