#pragma once
// A job's frames as the numbered sequence ffmpeg reads (dir/000001.png, 000002.png, ...): links
// to the files where they are, in frame order, with the gaps of missing frames held or skipped.

#include <filesystem>
#include <string>
#include <vector>

#include "util/result.h"

namespace spotfarm::media {

struct FrameFile {
    int frame = 0;
    std::filesystem::path path;
};

enum class GapPolicy {
    hold,  // a missing frame shows the frame before it (the timing stays the scene's)
    skip,  // a missing frame is left out (the video is shorter)
};

struct Sequence {
    std::filesystem::path input;  // "dir/%06d.png": ffmpeg's image2 pattern
    std::string extension;        // ".png", ".jpg", ".exr", ...
    int length = 0;               // images in the sequence
    std::vector<int> missing;     // frames asked for that have no file
    std::string note;             // what was done about `missing`, for the log; empty if none
};

// Links `files` into `dir` (which must exist and be empty) in the order of `frames`. An error
// when no frame has a file, or the files differ in extension.
util::Result<Sequence> link_sequence(const std::vector<int>& frames,
                                     const std::vector<FrameFile>& files,
                                     const std::filesystem::path& dir, GapPolicy gaps);

// Picks at most `count` of `frames`, evenly spread, first and last included.
std::vector<int> spread_frames(const std::vector<int>& frames, std::size_t count);

// "3, 5-7, 9": frames as a short list for messages.
std::string frame_list_text(const std::vector<int>& frames);

}  // namespace spotfarm::media
