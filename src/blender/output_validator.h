#pragma once
// A frame counts as done only when its file is there, is not empty, decodes completely and has
// the size the render was set to. Blender's exit code and "Saved:" line are not proof of that.

#include <filesystem>

#include "util/result.h"

namespace spotfarm::blender {

struct ImageSize {
    int width = 0;  // 0: any
    int height = 0;
};

// Ok when `path` is a complete image of `expected` size (every pixel of every subimage read
// back); otherwise an error saying what is wrong with it. PNG is decoded with libpng in process
// (blender/png_check.h); other formats by the frame-check module (blender/frame_decoder.h), and
// when that cannot be loaded their check fails and says why.
util::Status validate_output(const std::filesystem::path& path, ImageSize expected = {});

}  // namespace spotfarm::blender
