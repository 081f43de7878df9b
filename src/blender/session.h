#pragma once
// A persistent Blender session: one Blender loads the scene once and renders frame after frame on
// request (driver.py over a pipe). Each frame is written under a temporary name in the output
// folder, checked (complete, decodable, the right size), then renamed into place; a failed frame
// leaves nothing behind. A watchdog kills Blender's process group when a frame stalls or runs
// over its limit. Blender is started again after a crash or kill, after N frames, or once its
// peak memory passes a bound. Calling stop() after each chunk gives one Blender per chunk.
//
// Not thread-safe: one thread drives a session.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "blender/blender_process.h"
#include "blender/command_line.h"
#include "blender/driver_protocol.h"
#include "blender/driver_script.h"
#include "blender/log_events.h"
#include "blender/watchdog.h"
#include "util/clock.h"
#include "util/result.h"

namespace spotfarm::blender {

struct SessionOptions {
    BlenderLaunch launch;   // which Blender, which .blend, scripts allowed or not
    RenderSettings render;  // engine, format, samples, resolution, device, ...
    WatchdogLimits limits;  // no progress / frame time while rendering
    std::chrono::milliseconds load_limit{std::chrono::minutes(10)};  // start + scene load; 0: none
    int restart_every = 0;     // start a fresh Blender after this many frames; 0: never
    double max_memory_mb = 0;  // start a fresh Blender once its peak memory passes this; 0: never
    bool strict = false;       // missing linked files fail start() instead of warning
    // Transfer mode: file paths as the scene wrote them (absolute, from the submitter's machine)
    // -> where that file is here. The driver rewrites them after the scene loads, before the
    // first frame; the .blend on disk is never edited.
    std::map<std::string, std::string> path_remap;
};

// The outcome of one frame.
struct FrameResult {
    int frame = 0;
    bool ok = false;
    std::filesystem::path output;  // the final file (in place when ok)
    double render_seconds = 0;     // inside Blender's render call, as the driver measured it
    double blender_seconds = -1;   // Blender's own "Time:" for the frame; -1 if it printed none
    double wall_seconds = 0;       // from render() to the file in place, restarts included
    double peak_memory_mb = 0;     // Blender's peak resident memory so far
    std::string error;             // why it failed, for people
    bool interrupted = false;      // stopped because should_stop() said so
    bool session_broken = false;   // Blender could not be started: later frames would fail too
    bool disk_full = false;        // no room for the frame: later frames would fail too
    util::ErrorKind start_error = util::ErrorKind::failed;  // with session_broken: start()'s
    std::vector<std::string> warnings;
    std::vector<std::string> log_tail;  // Blender's last log lines, when the frame failed
};

struct SessionCallbacks {
    std::function<void(int frame, const ProgressEvent&)> on_progress;
    std::function<void(const std::string&)> on_log_line;  // every line Blender prints
    std::function<void(const std::string&)> on_notice;    // restarts, warnings, missing files
    std::function<bool()> should_stop;                    // polled often; true: kill and stop
};

class Session {
public:
    explicit Session(SessionOptions options, SessionCallbacks callbacks = {},
                     const util::Clock& clock = util::steady_clock());
    ~Session();  // quits Blender
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    // Starts Blender loading the scene and returns without waiting for it, unless one is already
    // running: the load then overlaps whatever the caller does next, and start() or render()
    // waits for it. Fails (unavailable) only when Blender cannot be run at all.
    util::Status launch();

    // Starts Blender (see launch) unless already running, and waits until the scene is loaded.
    // Error kinds: invalid for bad input (unreadable scene, a setting the scene or Blender
    // refuses, missing files with strict), unavailable when Blender cannot be run, interrupted
    // when should_stop() said so, failed otherwise.
    util::Result<SessionInfo> start();

    // Renders `frame` to `final_path` (whose extension should be info().extension). An existing
    // file is replaced only with `overwrite`, and then only when it is older than this render:
    // one written while this frame rendered was finished by another attempt (a farm's lease
    // lapsed) and is kept, this copy dropped; so is one `may_replace` (asked only when a file is
    // there) says to keep. Starts or restarts Blender as needed.
    FrameResult render(int frame, const std::filesystem::path& final_path, bool overwrite = false,
                       const std::function<bool()>& may_replace = {});

    // Sends one request line to the driver of a loaded scene (starting Blender first if needed)
    // and returns its reply line, or an error that says why none came within load_limit.
    // `doing` names the request in errors ("listing the scene's files").
    util::Result<std::string> ask(const std::string& request, const std::string& doing);

    // Quits Blender (one still loading the scene is killed); the next render() starts afresh.
    void stop();

    // What the last start reported; empty before the first start.
    const std::optional<SessionInfo>& info() const { return m_info; }
    // A Blender is running: loading the scene or ready for frames.
    bool running() const { return m_process != nullptr; }
    // A Blender has loaded the scene and waits for frames.
    bool ready() const { return m_process != nullptr && m_ready; }
    int processes_started() const { return m_processes_started; }

private:
    struct Wait {
        std::optional<std::string> reply;
        std::string failure;  // why no reply came
        bool interrupted = false;
    };
    // Waits for the driver's next reply, feeding the log to the watchdog, until `deadline`
    // (loading) or the watchdog (rendering) says to give up.
    Wait await_reply(const std::string& doing,
                     std::optional<util::Clock::time_point> deadline = std::nullopt);
    std::optional<std::string> restart_reason() const;
    // Writes options.path_remap where every Blender of this session reads it.
    util::Status write_remap_file();
    void handle_event(const LogEvent& event);
    void notice(const std::string& text);
    std::string frame_error(std::string fallback) const;
    void fail(FrameResult& result, std::string error);
    // Lets go of a Blender that is gone (crashed, killed), remembering why and its last words.
    void retire(std::string why);

    SessionOptions m_options;
    SessionCallbacks m_callbacks;
    const util::Clock& m_clock;
    Watchdog m_watchdog;
    LogSink m_sink;
    std::optional<DriverScript> m_driver;
    util::TempFile m_remap_file;  // options.path_remap for the driver; every Blender reads it
    std::unique_ptr<BlenderProcess> m_process;
    bool m_ready = false;  // m_process has answered that the scene is loaded
    std::optional<util::Clock::time_point> m_load_deadline;  // of the load in progress
    std::optional<SessionInfo> m_info;
    int m_processes_started = 0;
    int m_frames_in_process = 0;
    double m_peak_memory_mb = 0;
    std::uintmax_t m_largest_frame_bytes = 0;  // of the frames this session wrote
    std::string m_last_exit;               // why the previous Blender died, for the restart notice
    std::vector<std::string> m_last_tail;  // its last log lines

    // What the log said during the current frame (or the scene load).
    int m_current_frame = -1;
    std::vector<ErrorEvent> m_errors;
    std::vector<std::string> m_warnings;
    double m_blender_seconds = -1;
    // What the scene load found (missing files, fallbacks): true of every frame of this Blender,
    // so each frame's result carries it for whoever collects the frames' warnings.
    std::vector<std::string> m_scene_warnings;
};

}  // namespace spotfarm::blender
