#pragma once
// One Blender running the driver script: its log (stdout+stderr) read as it comes and parsed, its
// request and reply pipes, its process group. Knows nothing of frames or files; Session does.

#include <chrono>
#include <deque>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "blender/command_line.h"
#include "blender/log_parser.h"
#include "util/line_buffer.h"
#include "util/result.h"
#include "util/subprocess.h"
#include "util/unique_fd.h"

namespace spotfarm::blender {

// Where a running Blender's log goes: every line, and what the parser makes of it.
struct LogSink {
    std::function<void(const std::string&)> on_line;
    std::function<void(const LogEvent&)> on_event;
};

class BlenderProcess {
public:
    // The driver's request and reply fds in Blender.
    static constexpr int k_request_fd = 3;
    static constexpr int k_reply_fd = 4;

    // Starts `blender ... --python driver -- settings_json` (see session_command).
    static util::Result<BlenderProcess> start(const BlenderLaunch& launch,
                                              const std::filesystem::path& driver,
                                              const std::string& settings_json);

    util::Status send(const std::string& line);

    // What one wait() saw.
    struct Step {
        std::optional<std::string> reply;        // a reply line arrived
        std::optional<util::ExitStatus> exited;  // Blender is gone (only once no reply is left)
    };
    // Waits up to `timeout` for a reply line, passing log lines to `sink` meanwhile.
    Step wait(std::chrono::milliseconds timeout, const LogSink& sink);

    // Kills Blender's group at once, keeps its last words for the log tail, and reaps it.
    util::ExitStatus kill(const LogSink& sink);
    // Asks the driver to quit; kills the group if it has not left within `grace`.
    util::ExitStatus quit(std::chrono::milliseconds grace, const LogSink& sink);

    pid_t pid() const { return m_child.pid(); }
    // The last lines of Blender's log, oldest first, for failure reports.
    const std::deque<std::string>& log_tail() const { return m_tail; }

private:
    BlenderProcess(util::Subprocess child, util::UniqueFd requests, util::UniqueFd replies);
    void handle_lines(const std::vector<std::string>& lines, const LogSink& sink);
    void finish_log(const LogSink& sink);
    bool read_replies();

    util::Subprocess m_child;
    util::UniqueFd m_requests;  // we write, the driver reads
    util::UniqueFd m_replies;   // the driver writes, we read; reset at end of stream
    util::LineBuffer m_reply_buffer;
    std::deque<std::string> m_pending_replies;
    LogParser m_parser;
    std::deque<std::string> m_tail;
    bool m_log_finished = false;
};

}  // namespace spotfarm::blender
