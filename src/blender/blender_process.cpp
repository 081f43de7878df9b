#include "blender/blender_process.h"

#include <unistd.h>

#include <cerrno>

#include "blender/blender_environment.h"
#include "blender/driver_protocol.h"
#include "util/utf8.h"

namespace spotfarm::blender {

namespace {
constexpr size_t k_tail_lines = 30;
}

util::Result<BlenderProcess> BlenderProcess::start(const BlenderLaunch& launch,
                                                   const std::filesystem::path& driver,
                                                   const std::string& settings_json) {
    auto requests = util::make_pipe();
    if (!requests) return requests.error();
    auto replies = util::make_pipe();
    if (!replies) return replies.error();
    if (auto st = util::set_nonblocking(replies->read.get()); !st) return st.error();

    util::SpawnOptions options;
    options.argv = session_command(launch, driver, settings_json);
    options.child_fds = {{requests->read.get(), k_request_fd}, {replies->write.get(), k_reply_fd}};
    // Only what Blender needs: a scene's Python must not find the worker's tokens or keys.
    options.env = blender_environment();
    options.inherit_env = false;
    // Python's own output then reaches the log as it happens, in order with Blender's.
    options.env.emplace_back("PYTHONUNBUFFERED", "1");
    auto child = util::Subprocess::spawn(options);
    if (!child) return child.error();
    // Only Blender may hold these ends, so its exit is seen as the end of the reply stream.
    requests->read.reset();
    replies->write.reset();
    return BlenderProcess(std::move(*child), std::move(requests->write), std::move(replies->read));
}

BlenderProcess::BlenderProcess(util::Subprocess child, util::UniqueFd requests,
                               util::UniqueFd replies)
    : m_child(std::move(child)), m_requests(std::move(requests)), m_replies(std::move(replies)) {}

util::Status BlenderProcess::send(const std::string& line) {
    if (!m_requests) return util::make_error("Blender's request pipe is closed");
    return util::write_all(m_requests.get(), line);
}

void BlenderProcess::handle_lines(const std::vector<std::string>& raw, const LogSink& sink) {
    for (const auto& bytes : raw) {
        // A scene's own prints (file names, Python) may be in any encoding; everything past
        // this point (reports, JSON, the log tail) needs UTF-8.
        const std::string line = util::valid_utf8(bytes);
        m_tail.push_back(line);
        if (m_tail.size() > k_tail_lines) m_tail.pop_front();
        if (sink.on_line) sink.on_line(line);
        for (auto& event : m_parser.feed(line)) {
            if (sink.on_event) sink.on_event(event);
        }
    }
}

void BlenderProcess::finish_log(const LogSink& sink) {
    if (m_log_finished) return;
    m_log_finished = true;
    for (auto& event : m_parser.finish()) {
        if (sink.on_event) sink.on_event(event);
    }
}

bool BlenderProcess::read_replies() {
    if (!m_replies) return false;
    std::vector<std::string> lines;
    char buffer[4096];
    bool open = true;
    for (;;) {
        ssize_t n = ::read(m_replies.get(), buffer, sizeof buffer);
        if (n > 0) {
            m_reply_buffer.feed(std::string_view(buffer, static_cast<size_t>(n)), lines);
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
        m_reply_buffer.flush(lines);
        m_replies.reset();
        open = false;
        break;
    }
    for (auto& line : lines) {
        if (!line.empty()) m_pending_replies.push_back(std::move(line));
    }
    return open;
}

BlenderProcess::Step BlenderProcess::wait(std::chrono::milliseconds timeout, const LogSink& sink) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        // Replies first: whatever Blender logged before replying is then already in the log
        // pipe and is read before the reply is handed over ("Time:" lines, errors).
        read_replies();
        std::vector<std::string> lines;
        m_child.read_output(lines);
        handle_lines(lines, sink);
        if (!m_pending_replies.empty()) {
            Step step;
            step.reply = std::move(m_pending_replies.front());
            m_pending_replies.pop_front();
            return step;
        }
        // Once Blender has exited, its log and replies are read to their end before saying so,
        // so the reasons it printed are not lost.
        if (auto st = m_child.poll_exit()) {
            lines.clear();
            m_child.read_output(lines);
            handle_lines(lines, sink);
            read_replies();
            if (!m_pending_replies.empty()) continue;
            finish_log(sink);
            return Step{std::nullopt, *st};
        }
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left <= std::chrono::milliseconds(0)) return Step{};
        // A Blender that exits is seen by poll_exit(), not by the pipes: look again at least
        // every 100 ms.
        int fds[2] = {m_child.output_fd(), m_replies.get()};
        (void)util::wait_readable(fds, std::min(left, std::chrono::milliseconds(100)));
    }
}

util::ExitStatus BlenderProcess::kill(const LogSink& sink) {
    auto st = m_child.terminate(std::chrono::milliseconds(0),
                                [&](const std::string& line) { handle_lines({line}, sink); });
    finish_log(sink);
    return st;
}

util::ExitStatus BlenderProcess::quit(std::chrono::milliseconds grace, const LogSink& sink) {
    if (m_child.exit_status()) return *m_child.exit_status();
    (void)send(quit_request());
    m_requests.reset();  // end of requests: a driver between reads leaves too
    auto on_line = [&](const std::string& line) { handle_lines({line}, sink); };
    if (auto st = m_child.wait_for(grace, on_line)) {
        finish_log(sink);
        return *st;
    }
    return kill(sink);
}

}  // namespace spotfarm::blender
