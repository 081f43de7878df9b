#pragma once
// What the reliability tests find in /proc: processes that a test started, directly or not, and
// that should have ended with it.

#include <sys/types.h>

#include <string>
#include <vector>

namespace spotfarm::test {

// The pids of live processes (this one aside) whose command line or environment mentions `text`,
// such as a test's folder (on a worker's command line) or SPOTFARM_PARENT_PID=N (in the
// environment of a render's workers and their Blender). Zombies have neither and are not found.
std::vector<pid_t> processes_mentioning(const std::string& text);

}  // namespace spotfarm::test
