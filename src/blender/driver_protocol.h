#pragma once
// The JSON lines spoken with the driver script (driver.py): the settings it starts with, the
// "ready" line it answers with, and render requests and replies. driver.py documents the same.

#include <filesystem>
#include <string>
#include <vector>

#include "blender/output_validator.h"
#include "util/result.h"

namespace spotfarm::blender {

// How the scene is to be rendered. Empty strings and zeros keep what the .blend says.
struct RenderSettings {
    std::string scene;   // scene name in the file
    std::string engine;  // CYCLES, BLENDER_EEVEE, BLENDER_WORKBENCH
    std::string format;  // PNG, JPEG, OPEN_EXR, OPEN_EXR_MULTILAYER, TIFF
    int samples = 0;
    int width = 0;  // with height: the resolution before the percentage
    int height = 0;
    int percentage = 0;            // resolution percentage, e.g. 25 for previews
    int threads = 0;               // 0: all cores
    std::string device = "auto";   // cpu, gpu, auto, OPTIX, CUDA, HIP, ONEAPI, METAL
    bool persistent_data = false;  // keep render data between frames (faster, more memory)
};

// A file the scene links to that is not on disk.
struct MissingFile {
    std::string kind;  // image, library, sound, font, movie clip, volume, cache file
    std::string name;  // the datablock's name in the scene
    std::string path;  // absolute
};

// What the driver reports once the scene is loaded and set up.
struct SessionInfo {
    std::string blender_version;
    std::string scene;
    std::string engine;
    std::string format;     // Blender's file format name, e.g. PNG
    std::string extension;  // what frames are written with, e.g. ".png"
    ImageSize resolution;   // the size frames come out at (0x0: not checked, e.g. cropped)
    int frame_start = 0;
    int frame_end = 0;
    std::string device_used;  // "CPU", "GPU OPTIX: NVIDIA ...", ...
    std::vector<MissingFile> missing_files;
    std::vector<std::string> warnings;
    double peak_memory_mb = 0;
};

struct RenderReply {
    bool ok = false;
    int frame = 0;
    std::string output;
    std::string error;
    double render_seconds = 0;
    double peak_memory_mb = 0;
    std::vector<std::string> warnings;
};

// The JSON argument the driver is started with; `scripts`: the scene's own Python may run (-y);
// `path_remap_file`: a JSON object of paths to rewrite once the scene is loaded (none if empty).
std::string driver_settings_json(const RenderSettings& settings, bool scripts, int request_fd,
                                 int reply_fd, const std::filesystem::path& path_remap_file = {});

// A "ready" reply; an error when it says the set-up failed or when the format has no extension.
util::Result<SessionInfo> parse_ready_reply(const std::string& line);

util::Result<RenderReply> parse_render_reply(const std::string& line);

std::string render_request(int frame, const std::filesystem::path& output);
std::string quit_request();
// Asks for every external file the scene needs (dependency_reply.h reads the answer).
std::string dependencies_request();

// "image 'wood' -> /tex/wood.png".
std::string describe(const MissingFile& file);

}  // namespace spotfarm::blender
