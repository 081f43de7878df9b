#include "blender/failure_hint.h"

namespace spotfarm::blender {

namespace {
const char* hint(ErrorKind kind) {
    switch (kind) {
        case ErrorKind::denoiser:
            return "this Blender was built without OpenImageDenoise: turn denoising off in the "
                   "scene (Render Properties > Sampling > Denoise) or use a Blender from "
                   "blender.org";
        case ErrorKind::gpu:
            return "the GPU failed: check its driver, or render with --device cpu";
        case ErrorKind::cannot_save:
            return "check that the output folder exists, is writable and has free space";
        case ErrorKind::corrupt_file:
            return "the file is damaged or not a .blend: save it again from Blender";
        case ErrorKind::missing_file:
            return "a file the scene needs is not there";
        case ErrorKind::python_traceback:
            return "a Python script failed (the scene's own, an add-on or spotfarm's driver); "
                   "see Blender's log";
        case ErrorKind::generic:
            break;
    }
    return nullptr;
}
}  // namespace

std::string strip_error_prefix(std::string message) {
    auto start = message.find_first_not_of(" \t");
    if (start == std::string::npos) return {};
    message.erase(0, start);
    if (message.starts_with("Error:")) message.erase(0, 6);
    start = message.find_first_not_of(" \t");
    message.erase(0, start == std::string::npos ? message.size() : start);
    while (!message.empty() && (message.back() == ' ' || message.back() == '\n')) {
        message.pop_back();
    }
    return message;
}

std::string explain(const ErrorEvent& error) {
    std::string text = strip_error_prefix(error.message);
    if (const char* h = hint(error.kind)) text += std::string(" (") + h + ")";
    return text;
}

}  // namespace spotfarm::blender
