#pragma once
// What Blender's output says, one event per fact: progress, a saved frame, a frame's time, an
// error, a warning. Made by LogParser (log_parser.h).

#include <string>
#include <variant>

namespace spotfarm::blender {

// A progress line ("Fra:12 Mem:9.91M (Peak 10.83M) | Time:00:01.23 | ... | Sample 16/64").
// Fields Blender did not print are -1 (or empty).
struct ProgressEvent {
    int frame = -1;
    int sample = -1;
    int samples_total = -1;
    double elapsed_seconds = -1;
    double remaining_seconds = -1;
    double peak_memory_mb = -1;
    std::string status;  // the last '|' field, e.g. "Sample 16/64" or "Syncing Cube"
    bool operator==(const ProgressEvent&) const = default;
};

// "Saved: '/renders/frame_0012.png'": the path as Blender printed it.
struct SavedEvent {
    std::string path;
    bool operator==(const SavedEvent&) const = default;
};

// " Time: 00:01.32 (Saving: 00:00.15)": the whole frame, and the part spent saving it.
struct FrameTimeEvent {
    double seconds = 0;
    double saving_seconds = 0;
    bool operator==(const FrameTimeEvent&) const = default;
};

enum class ErrorKind {
    generic,
    cannot_save,       // the frame could not be written (folder missing, read-only, disk full)
    python_traceback,  // a Python exception (driver script, add-on, the scene's own scripts)
    gpu,               // CUDA/OptiX/HIP/Metal/oneAPI failures, no device of the asked type
    missing_file,      // the .blend or another input file is not there
    denoiser,          // denoising asked for but unavailable (e.g. built without OpenImageDenoise)
    corrupt_file,      // the .blend is not a blend file, or is damaged or truncated
};

// The text of an error without Blender's "Error: " prefix; for a Python traceback, the
// exception line ("ValueError: bad settings").
struct ErrorEvent {
    ErrorKind kind = ErrorKind::generic;
    std::string message;
    bool operator==(const ErrorEvent&) const = default;
};

// A warning without Blender's "Warning: " prefix, e.g. "Unable to open '/tex/wood.png'".
struct WarningEvent {
    std::string message;
    bool operator==(const WarningEvent&) const = default;
};

using LogEvent = std::variant<ProgressEvent, SavedEvent, FrameTimeEvent, ErrorEvent, WarningEvent>;

// "cannot_save", "gpu", ...: for logs and messages.
const char* to_string(ErrorKind kind);

}  // namespace spotfarm::blender
