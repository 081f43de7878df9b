#include "providers/command_runner.h"

#include <gtest/gtest.h>

namespace spotfarm::providers {
namespace {

using namespace std::chrono_literals;

TEST(ProcessCommandRunner, RunsAProgramWithItsEnvironment) {
    ProcessCommandRunner runner;
    auto ran = runner.run({"sh", "-c", "echo \"$GREETING\"; exit 3"}, {{"GREETING", "hello"}}, 10s);
    ASSERT_TRUE(ran) << ran.error().message;
    EXPECT_EQ(ran->exit_code, 3);
    EXPECT_EQ(ran->output, "hello\n");
}

TEST(ProcessCommandRunner, AMissingProgramIsAnError) {
    ProcessCommandRunner runner;
    EXPECT_FALSE(runner.run({"spotfarm-no-such-program"}, {}, 10s));
}

TEST(CommandText, QuotesWhatAShellWouldRead) {
    EXPECT_EQ(describe_command({"squeue", "-h", "-o", "%i|%T", "it's"}),
              "squeue -h -o '%i|%T' 'it'\\''s'");
    EXPECT_EQ(shell_quote(""), "''");
}

}  // namespace
}  // namespace spotfarm::providers
