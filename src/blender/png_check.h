#pragma once
// PNG frames, the farm's default output, are checked with libpng inside the program: loading the
// frame-check module means loading OpenImageIO and its ~250 libraries, about half a second of CPU
// and 130 MiB per worker, which on a small machine is time taken from Blender. Other formats
// still go to the module (blender/frame_decoder.h).

#include <filesystem>

#include "blender/frame_check_abi.h"

namespace spotfarm::blender {

// True when the file at `path` starts with the PNG signature (false when it cannot be read).
bool has_png_signature(const std::filesystem::path& path);

// Decodes the PNG at `path` completely (every row, every chunk's CRC); a
// SpotfarmFrameCheckOutcome with `report` filled as the module does. An expected width of 0
// accepts any size.
int check_png(const std::filesystem::path& path, int expected_width, int expected_height,
              SpotfarmFrameCheckReport& report);

}  // namespace spotfarm::blender
