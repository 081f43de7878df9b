#pragma once
// A child that must not outlive the process that started it (a local worker of `spotfarm
// render`): the parent names itself in the child's environment, and the child asks the kernel
// for SIGKILL when that parent goes (PR_SET_PDEATHSIG), then checks that the parent had not
// already gone before it asked.

#include <string_view>

#include "util/result.h"

namespace spotfarm::util {

// The environment variable that holds the parent's pid.
inline constexpr std::string_view k_parent_pid_variable = "SPOTFARM_PARENT_PID";

// When k_parent_pid_variable is set: arranges SIGKILL at the parent's death and fails (kind
// unavailable) when the parent named there is no longer this process's parent. Without the
// variable, does nothing.
Status die_with_parent_from_environment();

}  // namespace spotfarm::util
