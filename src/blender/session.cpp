#include "blender/session.h"

#include <algorithm>
#include <type_traits>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "blender/disk_space.h"
#include "blender/failure_hint.h"
#include "blender/output_validator.h"
#include "blender/private_temp_file.h"
#include "util/atomic_file.h"
#include "util/duration_text.h"
#include "util/seconds.h"

namespace spotfarm::blender {

namespace fs = std::filesystem;
using std::chrono::milliseconds;

namespace {

// True when `path` is a file last written at or after `since`.
bool written_since(const fs::path& path, fs::file_time_type since) {
    std::error_code ec;
    const auto written = fs::last_write_time(path, ec);
    return !ec && written >= since;
}

constexpr milliseconds k_poll_slice{100};  // how often should_stop() and the watchdog are asked
constexpr milliseconds k_quit_grace{10'000};

// "frame 3: no progress ..." -> "no progress ...": results already say which frame.
std::string without_frame_label(const std::string& reason, int frame) {
    std::string label = fmt::format("frame {}: ", frame);
    return reason.starts_with(label) ? reason.substr(label.size()) : reason;
}

bool is_input_error(ErrorKind kind) {
    return kind == ErrorKind::corrupt_file || kind == ErrorKind::missing_file;
}

}  // namespace

Session::Session(SessionOptions options, SessionCallbacks callbacks, const util::Clock& clock)
    : m_options(std::move(options)),
      m_callbacks(std::move(callbacks)),
      m_clock(clock),
      m_watchdog(clock, m_options.limits) {
    m_sink.on_line = [this](const std::string& line) {
        m_watchdog.progress();  // any output is a sign of life
        if (m_callbacks.on_log_line) m_callbacks.on_log_line(line);
    };
    m_sink.on_event = [this](const LogEvent& event) { handle_event(event); };
}

Session::~Session() {
    stop();
}

void Session::notice(const std::string& text) {
    if (m_callbacks.on_notice) m_callbacks.on_notice(text);
}

void Session::handle_event(const LogEvent& event) {
    std::visit(
        [this](const auto& e) {
            using T = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<T, ProgressEvent>) {
                if (m_callbacks.on_progress) m_callbacks.on_progress(m_current_frame, e);
            } else if constexpr (std::is_same_v<T, ErrorEvent>) {
                if (std::find(m_errors.begin(), m_errors.end(), e) == m_errors.end()) {
                    m_errors.push_back(e);
                }
            } else if constexpr (std::is_same_v<T, WarningEvent>) {
                m_warnings.push_back(e.message);
            } else if constexpr (std::is_same_v<T, FrameTimeEvent>) {
                m_blender_seconds = e.seconds;
            }
        },
        event);
}

Session::Wait Session::await_reply(const std::string& doing,
                                   std::optional<util::Clock::time_point> deadline) {
    for (;;) {
        if (m_callbacks.should_stop && m_callbacks.should_stop()) {
            m_process->kill(m_sink);
            retire("was stopped on request");
            return Wait{std::nullopt, "interrupted", true};
        }
        if (auto reason = m_watchdog.expired()) {
            m_process->kill(m_sink);
            retire("was killed by the watchdog");
            return Wait{std::nullopt, *reason + "; Blender was killed"};
        }
        if (deadline && m_clock.now() >= *deadline) {
            m_process->kill(m_sink);
            retire("was killed while loading the scene");
            return Wait{std::nullopt,
                        fmt::format("Blender did not finish {} within {} and was "
                                    "killed (--load-timeout)",
                                    doing, util::describe_duration(m_options.load_limit))};
        }
        milliseconds slice = std::min(k_poll_slice, m_watchdog.time_left().value_or(k_poll_slice));
        auto step = m_process->wait(std::max(slice, milliseconds(1)), m_sink);
        if (step.reply) return Wait{std::move(step.reply)};
        if (step.exited) {
            retire("ended with " + step.exited->describe());
            std::string why = "Blender ended (" + step.exited->describe() + ") while " + doing;
            return Wait{std::nullopt, frame_error(why)};
        }
    }
}

// The errors Blender printed, explained; `fallback` when it printed none. With both, the
// fallback comes first and the errors follow.
std::string Session::frame_error(std::string fallback) const {
    if (m_errors.empty()) return fallback;
    std::string text = explain(m_errors.front());
    for (size_t i = 1; i < m_errors.size() && i < 3; ++i) text += "; " + explain(m_errors[i]);
    return fallback.empty() ? text : fallback + ": " + text;
}

util::Status Session::write_remap_file() {
    std::string table;
    try {
        table = nlohmann::json(m_options.path_remap).dump();
    } catch (const nlohmann::json::exception&) {
        return util::make_error("a path in the path remap is not valid UTF-8; rename the file",
                                util::ErrorKind::invalid);
    }
    // A file, not the settings argument: a scene with many outside files would pass the limit
    // of one command-line argument (128 KiB on Linux).
    auto file = write_private_temp_file("remap", ".json", table, "the path remap for Blender");
    if (!file) return util::make_error(file.error().message, util::ErrorKind::unavailable);
    m_remap_file = std::move(*file);
    return {};
}

util::Status Session::launch() {
    if (m_process) return {};
    if (!m_driver) {
        auto driver = DriverScript::write();
        if (!driver) return driver.error();
        m_driver.emplace(std::move(*driver));
    }
    if (!m_options.path_remap.empty() && m_remap_file.path().empty()) {
        if (auto st = write_remap_file(); !st) return st;
    }
    if (!m_last_exit.empty()) notice("starting a new Blender (the last one " + m_last_exit + ")");
    m_last_exit.clear();
    m_errors.clear();
    m_warnings.clear();
    m_current_frame = -1;
    auto settings = driver_settings_json(m_options.render, m_options.launch.allow_scripts,
                                         BlenderProcess::k_request_fd, BlenderProcess::k_reply_fd,
                                         m_remap_file.path());
    auto process = BlenderProcess::start(m_options.launch, m_driver->path(), settings);
    if (!process) {
        return util::make_error("cannot start Blender: " + process.error().message,
                                util::ErrorKind::unavailable);
    }
    m_process = std::make_unique<BlenderProcess>(std::move(*process));
    m_ready = false;
    ++m_processes_started;
    m_frames_in_process = 0;
    m_peak_memory_mb = 0;
    m_load_deadline.reset();
    if (m_options.load_limit.count() > 0) m_load_deadline = m_clock.now() + m_options.load_limit;
    return {};
}

util::Result<SessionInfo> Session::start() {
    if (ready()) return *m_info;
    if (auto launched = launch(); !launched) return launched.error();
    Wait wait = await_reply("loading " + m_options.launch.scene_file.string(), m_load_deadline);
    if (wait.interrupted) {
        return util::make_error("interrupted while Blender loaded the scene",
                                util::ErrorKind::interrupted);
    }
    if (!wait.reply) {
        bool bad_input = std::any_of(m_errors.begin(), m_errors.end(),
                                     [](const ErrorEvent& e) { return is_input_error(e.kind); });
        std::string message = wait.failure;
        if (bad_input) message = "Blender could not open the scene: " + frame_error("");
        if (m_process) stop();
        return util::make_error(message,
                                bad_input ? util::ErrorKind::invalid : util::ErrorKind::failed);
    }
    auto info = parse_ready_reply(*wait.reply);
    if (!info) {
        stop();
        return info.error();
    }
    if (m_options.strict && !info->missing_files.empty()) {
        std::string list;
        for (const auto& f : info->missing_files) list += "\n  " + describe(f);
        stop();
        return util::make_error("the scene links to files that are missing (--strict):" + list,
                                util::ErrorKind::invalid);
    }
    m_scene_warnings.clear();
    for (const auto& f : info->missing_files) m_scene_warnings.push_back("missing " + describe(f));
    m_scene_warnings.insert(m_scene_warnings.end(), info->warnings.begin(), info->warnings.end());
    if (m_processes_started == 1) {
        for (const auto& f : info->missing_files) {
            notice("missing " + describe(f) +
                   " (it will render wrong, e.g. magenta; "
                   "--strict makes this an error)");
        }
        for (const auto& w : info->warnings) notice(w);
    }
    m_peak_memory_mb = info->peak_memory_mb;
    m_info = std::move(*info);
    m_ready = true;
    return *m_info;
}

std::optional<std::string> Session::restart_reason() const {
    if (m_options.restart_every > 0 && m_frames_in_process >= m_options.restart_every) {
        return fmt::format("starting a fresh Blender after {} frames (--restart-every)",
                           m_frames_in_process);
    }
    if (m_options.max_memory_mb > 0 && m_peak_memory_mb > m_options.max_memory_mb) {
        return fmt::format(
            "starting a fresh Blender: its peak memory {:.0f} MB passed "
            "--max-memory {:.0f} MB",
            m_peak_memory_mb, m_options.max_memory_mb);
    }
    return std::nullopt;
}

void Session::retire(std::string why) {
    m_last_tail.assign(m_process->log_tail().begin(), m_process->log_tail().end());
    m_process.reset();
    m_last_exit = std::move(why);
}

void Session::fail(FrameResult& result, std::string error) {
    result.ok = false;
    result.error = std::move(error);
    if (!result.interrupted) {
        if (auto full = disk_full_message(result.output.parent_path(), m_largest_frame_bytes,
                                          result.error, system_free_space())) {
            result.error = std::move(*full);
            result.disk_full = true;
        }
    }
    if (m_process) {
        result.log_tail.assign(m_process->log_tail().begin(), m_process->log_tail().end());
    } else {
        result.log_tail = m_last_tail;
    }
}

FrameResult Session::render(int frame, const fs::path& final_path, bool overwrite,
                            const std::function<bool()>& may_replace) {
    FrameResult result;
    result.frame = frame;
    result.output = final_path;
    auto started = m_clock.now();
    auto finish = [&]() -> FrameResult {
        result.wall_seconds = util::seconds_between(started, m_clock.now());
        return std::move(result);
    };

    if (ready()) {
        if (auto why = restart_reason()) {
            notice(*why);
            stop();
        }
    }
    if (!ready()) {
        auto info = start();
        if (!info) {
            result.error = info.error().message;
            result.interrupted = info.error().kind == util::ErrorKind::interrupted;
            result.session_broken = !result.interrupted;
            result.start_error = info.error().kind;
            return finish();
        }
    }

    const auto render_began = fs::file_time_type::clock::now();
    util::TempFile temp(util::temp_path_for(final_path));
    m_errors.clear();
    m_warnings.clear();
    m_blender_seconds = -1;
    m_current_frame = frame;

    if (auto st = m_process->send(render_request(frame, temp.path())); !st) {
        m_process->kill(m_sink);
        retire("stopped taking requests");
        fail(result, frame_error("Blender stopped taking requests: " + st.error().message));
        return finish();
    }
    m_watchdog.frame_started(frame);
    Wait wait = await_reply(fmt::format("rendering frame {}", frame));
    m_watchdog.frame_finished();
    ++m_frames_in_process;
    result.warnings = m_scene_warnings;
    result.warnings.insert(result.warnings.end(), m_warnings.begin(), m_warnings.end());
    result.blender_seconds = m_blender_seconds;

    if (!wait.reply) {
        result.interrupted = wait.interrupted;
        fail(result, without_frame_label(wait.failure, frame));
        return finish();
    }
    auto reply = parse_render_reply(*wait.reply);
    if (!reply) {
        fail(result, reply.error().message);
        return finish();
    }
    result.render_seconds = reply->render_seconds;
    result.peak_memory_mb = reply->peak_memory_mb;
    m_peak_memory_mb = std::max(m_peak_memory_mb, reply->peak_memory_mb);
    result.warnings.insert(result.warnings.end(), reply->warnings.begin(), reply->warnings.end());
    if (!reply->ok) {
        // The driver's message repeats what Blender printed; the log's version has the kind.
        fail(result, m_errors.empty() ? strip_error_prefix(reply->error) : frame_error(""));
        return finish();
    }
    if (!m_errors.empty()) {
        fail(result, frame_error("Blender reported an error"));
        return finish();
    }
    ImageSize expected = m_info ? m_info->resolution : ImageSize{};
    if (auto st = validate_output(temp.path(), expected); !st) {
        fail(result, "Blender's output is not a valid frame: " + st.error().message);
        return finish();
    }
    std::error_code exists_error;
    if (overwrite && fs::exists(final_path, exists_error) &&
        (written_since(final_path, render_began) || (may_replace && !may_replace()))) {
        // Another attempt at this frame finished it while this one rendered (this worker was
        // paused past its lease, or its manager lost track of it): that frame is complete and
        // may already be counted, so it stays, and this copy goes.
        notice("frame " + std::to_string(frame) + " was finished by another worker meanwhile; " +
               "its file is kept");
        std::error_code size_error;
        const std::uintmax_t bytes = fs::file_size(final_path, size_error);
        if (!size_error) m_largest_frame_bytes = std::max(m_largest_frame_bytes, bytes);
        result.ok = true;
        return finish();
    }
    if (auto st = util::rename_into_place(temp.path(), final_path, overwrite); !st) {
        fail(result, st.error().message + (overwrite ? "" : " (--overwrite renders it again)"));
        return finish();
    }
    temp.release();
    // A worker killed while its Blender saved this frame (an earlier attempt) left its temporary
    // file behind; one written since this render began belongs to a live process.
    util::remove_stale_temps(final_path, render_began);
    std::error_code size_error;
    const std::uintmax_t bytes = fs::file_size(final_path, size_error);
    if (!size_error) m_largest_frame_bytes = std::max(m_largest_frame_bytes, bytes);
    result.ok = true;
    return finish();
}

util::Result<std::string> Session::ask(const std::string& request, const std::string& doing) {
    if (!ready()) {
        auto info = start();
        if (!info) return info.error();
    }
    m_errors.clear();
    if (auto st = m_process->send(request); !st) {
        m_process->kill(m_sink);
        retire("stopped taking requests");
        return util::make_error(frame_error("Blender stopped taking requests while " + doing +
                                            ": " + st.error().message));
    }
    std::optional<util::Clock::time_point> deadline;
    if (m_options.load_limit.count() > 0) deadline = m_clock.now() + m_options.load_limit;
    Wait wait = await_reply(doing, deadline);
    if (wait.interrupted) {
        return util::make_error("interrupted while " + doing, util::ErrorKind::interrupted);
    }
    if (!wait.reply) return util::make_error(wait.failure);
    return std::move(*wait.reply);
}

void Session::stop() {
    if (!m_process) return;
    // A driver still loading reads no request until the scene is in, so a quit would wait it out.
    if (m_ready) {
        m_process->quit(k_quit_grace, m_sink);
    } else {
        m_process->kill(m_sink);
    }
    m_process.reset();
}

}  // namespace spotfarm::blender
