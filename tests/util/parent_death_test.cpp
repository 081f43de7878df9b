#include "util/parent_death.h"

#include <stdlib.h>
#include <unistd.h>

#include <string>

#include <gtest/gtest.h>

namespace spotfarm::util {
namespace {

// Sets the variable for one test and removes it after.
struct ParentVariable {
    explicit ParentVariable(const std::string& value) {
        ::setenv(std::string(k_parent_pid_variable).c_str(), value.c_str(), 1);
    }
    ~ParentVariable() { ::unsetenv(std::string(k_parent_pid_variable).c_str()); }
};

TEST(ParentDeath, WithoutTheVariableNothingIsAsked) {
    ::unsetenv(std::string(k_parent_pid_variable).c_str());
    EXPECT_TRUE(die_with_parent_from_environment());
}

TEST(ParentDeath, TheRealParentIsAccepted) {
    ParentVariable set(std::to_string(::getppid()));
    EXPECT_TRUE(die_with_parent_from_environment());
}

TEST(ParentDeath, AnotherPidMeansTheParentIsGone) {
    ParentVariable set(std::to_string(::getppid() + 100000));
    auto followed = die_with_parent_from_environment();
    ASSERT_FALSE(followed);
    EXPECT_EQ(followed.error().kind, ErrorKind::unavailable);
    EXPECT_NE(followed.error().message.find("has ended"), std::string::npos);
}

TEST(ParentDeath, AValueThatIsNotAPidIsRefused) {
    for (const char* bad : {"abc", "12x", "1", "-5"}) {
        ParentVariable set(bad);
        auto followed = die_with_parent_from_environment();
        ASSERT_FALSE(followed) << bad;
        EXPECT_EQ(followed.error().kind, ErrorKind::invalid) << bad;
    }
}

}  // namespace
}  // namespace spotfarm::util
