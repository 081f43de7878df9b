#pragma once
// The Blender version that saved a .blend file, read from the file's first bytes without Blender:
// "BLENDER-v304" (Blender 3.4; '-' or '_' for the pointer size, 'v' or 'V' for the byte order),
// "BLENDER17-01v0500" (Blender 5.0's longer header), each possibly inside a zstd stream (Blender
// 3.0 and later) or gzip (older) when the file was saved compressed.

#include <filesystem>
#include <string>
#include <string_view>

#include "util/result.h"

namespace spotfarm::blender {

struct BlendFileVersion {
    int major = 0;
    int minor = 0;
    std::string compression;  // "none", "zstd" or "gzip"
    std::string text() const { return std::to_string(major) + "." + std::to_string(minor); }
    // Whether a Blender `major`.`minor` is at least this version.
    bool opened_by(int blender_major, int blender_minor) const {
        return blender_major > major || (blender_major == major && blender_minor >= minor);
    }
};

// The version in the first bytes of an uncompressed .blend (at least 17 bytes are looked at
// when there are). Fails on bytes that are not a .blend header.
util::Result<BlendFileVersion> parse_blend_header(std::string_view bytes);

// Reads the header of the file at `path`, decompressing its start when it is compressed.
// Errors say what the file is instead (not found, not a .blend, a broken stream).
util::Result<BlendFileVersion> read_blend_version(const std::filesystem::path& path);

}  // namespace spotfarm::blender
