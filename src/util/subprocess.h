#pragma once
// Child processes the way a render farm needs them: each child leads its own process group (so
// Blender and anything it starts die together), stdout and stderr arrive on one non-blocking pipe
// read as it comes, and extra pipes can be handed to the child under chosen fd numbers.
// Destroying a Subprocess kills its group and reaps it: no child outlives its owner.

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "util/line_buffer.h"
#include "util/result.h"
#include "util/unique_fd.h"

namespace spotfarm::util {

// How a child ended.
struct ExitStatus {
    int code = -1;            // the exit code when it exited, -1 when a signal ended it
    int signal = 0;           // the signal that ended it, 0 when it exited
    long peak_memory_kb = 0;  // the child's peak resident memory (its largest waited-for process)
    bool success() const { return signal == 0 && code == 0; }
    // "exit code 1" or "killed by signal 9 (Killed)".
    std::string describe() const;
};

// `parent_fd` (still open in the parent) becomes fd number `child_fd` in the child.
struct ChildFd {
    int parent_fd;
    int child_fd;
};

struct SpawnOptions {
    std::vector<std::string> argv;  // argv[0] is looked up on PATH when it has no slash
    std::vector<std::pair<std::string, std::string>> env;  // set in the child, over the parent's
    bool inherit_env = true;         // false: the child's environment is `env` alone
    std::filesystem::path cwd;       // empty: the parent's
    std::vector<ChildFd> child_fds;  // child_fd must be >= 3
    // When set, stdout and stderr are appended to this file (created) instead of the pipe, so
    // a long-lived child's log needs nobody to read it; output_fd() is then -1.
    std::filesystem::path output_file;
};

using LineHandler = std::function<void(const std::string&)>;

class Subprocess {
public:
    // Starts the child. Fails (with the reason) when the program cannot be executed.
    static Result<Subprocess> spawn(const SpawnOptions& options);

    Subprocess(Subprocess&& other) noexcept;
    Subprocess& operator=(Subprocess&& other) noexcept;
    Subprocess(const Subprocess&) = delete;
    Subprocess& operator=(const Subprocess&) = delete;
    ~Subprocess();  // SIGKILL to the group and reap, if still running

    pid_t pid() const { return m_pid; }
    // The read end of stdout+stderr, non-blocking; -1 once the output has ended.
    int output_fd() const { return m_output.get(); }

    // Reads what output is available without blocking; complete lines are appended to `lines`.
    // Returns false once the output has ended (the unterminated rest is flushed as a line).
    bool read_output(std::vector<std::string>& lines);

    // The exit status once the child has exited (it is then reaped); nullopt while it runs.
    std::optional<ExitStatus> poll_exit();
    std::optional<ExitStatus> exit_status() const { return m_status; }

    // Waits up to `timeout` for the child to exit, passing output lines to `on_line` meanwhile.
    // nullopt on timeout (the child keeps running).
    std::optional<ExitStatus> wait_for(std::chrono::milliseconds timeout,
                                       const LineHandler& on_line = {});

    // Sends `sig` to the whole process group (no-op once reaped).
    void signal_group(int sig);

    // SIGTERM to the group; after `grace` without exit, SIGKILL. Reaps; returns how it ended.
    // Output still buffered is passed to `on_line`.
    ExitStatus terminate(std::chrono::milliseconds grace, const LineHandler& on_line = {});

private:
    Subprocess() = default;
    void kill_and_reap();
    std::optional<ExitStatus> reap(bool block);
    void drain_output(const LineHandler& on_line);

    pid_t m_pid = -1;
    UniqueFd m_output;
    UniqueFd m_pidfd;  // readable when the child exits; invalid where pidfd_open is missing
    LineBuffer m_lines;
    std::optional<ExitStatus> m_status;
};

// A one-shot command's result.
struct CaptureResult {
    ExitStatus status;
    std::string output;  // stdout and stderr interleaved as they came
};

// Runs a command to completion and captures its output. Fails when it cannot start or does not
// finish within `timeout` (it is then killed).
Result<CaptureResult> run_capture(const std::vector<std::string>& argv,
                                  std::chrono::milliseconds timeout,
                                  const std::vector<std::pair<std::string, std::string>>& env = {});

}  // namespace spotfarm::util
