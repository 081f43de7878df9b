#include "manager/state_lock.h"

#include <unistd.h>

#include <gtest/gtest.h>

#include "support/scratch_dir.h"

namespace spotfarm::manager {
namespace {

TEST(StateLock, OneHolderAtATimeAndTheSecondIsToldWhoHoldsIt) {
    test::ScratchDir dir;
    const auto state = dir.path() / "state";
    EXPECT_FALSE(StateLock::holder(state));
    {
        auto first = StateLock::acquire(state);
        ASSERT_TRUE(first) << first.error().message;
        EXPECT_EQ(StateLock::holder(state), ::getpid());
        auto second = StateLock::acquire(state);
        ASSERT_FALSE(second);
        EXPECT_EQ(second.error().kind, util::ErrorKind::conflict);
        EXPECT_NE(second.error().message.find("pid " + std::to_string(::getpid())),
                  std::string::npos)
            << second.error().message;
    }
    EXPECT_FALSE(StateLock::holder(state));
    EXPECT_TRUE(StateLock::acquire(state));
}

}  // namespace
}  // namespace spotfarm::manager
