#include "util/fd_limit.h"

#include <sys/resource.h>

#include <gtest/gtest.h>

namespace spotfarm::util {
namespace {

// Puts the process's limit back as it was, whatever the test did.
class SavedLimit {
public:
    SavedLimit() { ::getrlimit(RLIMIT_NOFILE, &m_saved); }
    ~SavedLimit() { ::setrlimit(RLIMIT_NOFILE, &m_saved); }
    SavedLimit(const SavedLimit&) = delete;
    SavedLimit& operator=(const SavedLimit&) = delete;
    const struct rlimit& saved() const { return m_saved; }

private:
    struct rlimit m_saved {};
};

TEST(FdLimit, TheSoftLimitIsRaisedToTheHardOne) {
    SavedLimit saved;
    // Half the hard limit, as a login shell's 1024 is next to a hard limit of 500,000.
    struct rlimit lowered = saved.saved();
    lowered.rlim_cur = lowered.rlim_max / 2;
    ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &lowered), 0);
    ASSERT_EQ(fd_limit()->soft, lowered.rlim_cur);

    auto raised = raise_fd_limit();
    ASSERT_TRUE(raised) << raised.error().message;
    EXPECT_EQ(raised->soft, saved.saved().rlim_max);
    EXPECT_EQ(raised->hard, saved.saved().rlim_max);
    struct rlimit now {};
    ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &now), 0);
    EXPECT_EQ(now.rlim_cur, now.rlim_max);
}

}  // namespace
}  // namespace spotfarm::util
