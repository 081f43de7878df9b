#include "util/dedicated_thread.h"

#include <gtest/gtest.h>

namespace spotfarm::util {
namespace {

TEST(DedicatedThread, RunsEveryFunctionOnOneThreadOtherThanTheCaller) {
    DedicatedThread thread;
    const auto first = thread.run([] { return std::this_thread::get_id(); });
    const auto second = thread.run([] { return std::this_thread::get_id(); });
    EXPECT_EQ(first, second);
    EXPECT_NE(first, std::this_thread::get_id());
}

TEST(DedicatedThread, ReturnsTheResultAndRunsInOrder) {
    DedicatedThread thread;
    std::vector<int> seen;
    for (int i = 0; i < 5; ++i)
        EXPECT_EQ(thread.run([&seen, i] {
            seen.push_back(i);
            return i * 2;
        }),
                  i * 2);
    EXPECT_EQ(seen, (std::vector<int>{0, 1, 2, 3, 4}));
}

}  // namespace
}  // namespace spotfarm::util
