#include "blender/png_check.h"

#include <png.h>

#include <array>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <vector>

namespace spotfarm::blender {

namespace {

void set_message(SpotfarmFrameCheckReport& report, const char* text) {
    std::snprintf(report.message, sizeof report.message, "%s", text);
}

// Frees libpng's reader however the check ends.
struct ImageReader {
    png_image image{};
    ImageReader() { image.version = PNG_IMAGE_VERSION; }
    ~ImageReader() { png_image_free(&image); }
    ImageReader(const ImageReader&) = delete;
    ImageReader& operator=(const ImageReader&) = delete;
};

}  // namespace

bool has_png_signature(const std::filesystem::path& path) {
    std::array<unsigned char, 8> head{};
    std::ifstream in(path, std::ios::binary);
    if (!in.read(reinterpret_cast<char*>(head.data()), head.size())) return false;
    return png_sig_cmp(head.data(), 0, head.size()) == 0;
}

int check_png(const std::filesystem::path& path, int expected_width, int expected_height,
              SpotfarmFrameCheckReport& report) {
    report = {};
    ImageReader reader;
    png_image& image = reader.image;
    // libpng's simplified API reports every error in image.message and returns 0: no longjmp
    // crosses this code.
    if (png_image_begin_read_from_file(&image, path.c_str()) == 0) {
        set_message(report, image.message);
        return spotfarm_frame_unreadable;
    }
    report.width = static_cast<int>(image.width);
    report.height = static_cast<int>(image.height);
    if ((expected_width > 0 && report.width != expected_width) ||
        (expected_height > 0 && report.height != expected_height)) {
        return spotfarm_frame_wrong_size;
    }
    // The file's own pixel layout, so nothing is converted: this only proves every row decodes.
    std::vector<png_byte> pixels(PNG_IMAGE_SIZE(image));
    if (png_image_finish_read(&image, nullptr, pixels.data(), 0, nullptr) == 0) {
        set_message(report, image.message);
        return spotfarm_frame_damaged;
    }
    return spotfarm_frame_ok;
}

}  // namespace spotfarm::blender
