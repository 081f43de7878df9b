#include "core/task_queue.h"

#include <gtest/gtest.h>

#include <vector>

namespace spotfarm::core {
namespace {

std::vector<std::size_t> drain(TaskQueue& q) {
    std::vector<std::size_t> out;
    while (auto i = q.first([](std::size_t) { return true; })) {
        out.push_back(*i);
        q.erase(*i);
    }
    return out;
}

}  // namespace

TEST(TaskQueue, HandsOutFreshTasksInOrder) {
    TaskQueue q(4);
    EXPECT_EQ(q.size(), 4u);
    EXPECT_EQ(drain(q), (std::vector<std::size_t>{0, 1, 2, 3}));
    EXPECT_TRUE(q.empty());
}

TEST(TaskQueue, ReturnedTasksComeBeforeLaterFreshOnes) {
    TaskQueue q(5);
    q.erase(0);
    q.erase(1);
    q.erase(2);
    q.push(1);
    EXPECT_TRUE(q.contains(1));
    EXPECT_FALSE(q.contains(0));
    EXPECT_EQ(drain(q), (std::vector<std::size_t>{1, 3, 4}));
}

TEST(TaskQueue, SkipsIneligibleTasks) {
    TaskQueue q(3);
    auto i = q.first([](std::size_t index) { return index != 0; });
    ASSERT_TRUE(i);
    EXPECT_EQ(*i, 1u);
    q.erase(1);
    EXPECT_EQ(drain(q), (std::vector<std::size_t>{0, 2}));
}

TEST(TaskQueue, PushingAQueuedTaskChangesNothing) {
    TaskQueue q(3);
    q.push(2);
    EXPECT_EQ(q.size(), 3u);
    q.clear();
    EXPECT_TRUE(q.empty());
    q.push(7);
    EXPECT_EQ(drain(q), (std::vector<std::size_t>{7}));
}

TEST(TaskQueue, RestoredQueueHasAFreshTailAndReturnedHead) {
    TaskQueue q(3, 5);
    q.push(1);
    EXPECT_EQ(drain(q), (std::vector<std::size_t>{1, 3, 4}));
}

}  // namespace spotfarm::core
