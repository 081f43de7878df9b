#pragma once
// Videos made from a job's rendered frames with ffmpeg: the scene's own video (its container,
// codec, quality and frame rate) and the previews people watch (an H.264 MP4, a VP9 WebM and a
// contact sheet). Each file appears whole under its final name or not at all.

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "core/video_output.h"
#include "media/frame_sequence.h"
#include "util/result.h"

namespace spotfarm::media {

// How long one ffmpeg run may take before it is stopped.
inline constexpr std::chrono::seconds k_encode_timeout{3600};

struct EncodedVideo {
    std::filesystem::path file;
    std::string note;  // gaps held, for the log; empty when every frame was there
};

// Encodes `frames` (their files in `files`) into `output` as the scene would have written it.
// Missing frames are held. Written beside `output` under a temporary name, then renamed.
util::Result<EncodedVideo> encode_video(const core::VideoOutput& video,
                                        const std::vector<int>& frames,
                                        const std::vector<FrameFile>& files,
                                        const std::filesystem::path& output);

struct PreviewSet {
    std::filesystem::path mp4;            // preview.mp4: H.264, yuv420p, at most 1280 wide
    std::filesystem::path webm;           // preview.webm: VP9
    std::filesystem::path contact_sheet;  // contact-sheet.png: up to 36 frames in a grid
    std::string note;                     // gaps, for the log
};

inline constexpr const char* k_preview_mp4 = "preview.mp4";
inline constexpr const char* k_preview_webm = "preview.webm";
inline constexpr const char* k_contact_sheet = "contact-sheet.png";

// Makes the three preview files in `dir` (made if missing) at `frame_rate` (frame_rate_text).
util::Result<PreviewSet> make_previews(const std::string& frame_rate,
                                       const std::vector<int>& frames,
                                       const std::vector<FrameFile>& files,
                                       const std::filesystem::path& dir, GapPolicy gaps);

// ffmpeg's input options for a linked sequence: EXR frames hold linear light, which is shown
// through the sRGB transfer curve as Blender's Standard view would.
std::vector<std::string> input_options(const Sequence& sequence, const std::string& frame_rate);

}  // namespace spotfarm::media
