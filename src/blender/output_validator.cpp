#include "blender/output_validator.h"

#include <algorithm>
#include <string>
#include <system_error>
#include <vector>

#include <OpenImageIO/imageio.h>

namespace spotfarm::blender {

namespace fs = std::filesystem;

namespace {

constexpr int k_rows_per_read = 64;  // bounds memory for large frames with many channels

std::string oiio_message(const std::string& text) {
    std::string msg = text.empty() ? "unknown decoding error" : text;
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    return msg;
}

// Reads every pixel of the current subimage; returns a decoding error, or "" when it all read.
std::string read_all_pixels(OIIO::ImageInput& in, int subimage, const OIIO::ImageSpec& spec) {
    size_t pixel_bytes = spec.pixel_bytes(true);
    if (spec.tile_width > 0) {
        std::vector<unsigned char> buffer(spec.image_bytes(true));
        if (!in.read_image(subimage, 0, 0, spec.nchannels, OIIO::TypeUnknown, buffer.data())) {
            return oiio_message(in.geterror());
        }
        return {};
    }
    std::vector<unsigned char> buffer(pixel_bytes * static_cast<size_t>(spec.width) *
                                      k_rows_per_read);
    for (int y = spec.y; y < spec.y + spec.height; y += k_rows_per_read) {
        int y_end = std::min(y + k_rows_per_read, spec.y + spec.height);
        if (!in.read_scanlines(subimage, 0, y, y_end, spec.z, 0, spec.nchannels,
                               OIIO::TypeUnknown, buffer.data())) {
            return oiio_message(in.geterror());
        }
    }
    return {};
}

}  // namespace

util::Status validate_output(const fs::path& path, ImageSize expected) {
    std::error_code ec;
    auto status = fs::status(path, ec);
    if (ec || !fs::exists(status)) return util::make_error(path.string() + " was not written");
    if (!fs::is_regular_file(status)) return util::make_error(path.string() + " is not a file");
    if (fs::file_size(path, ec) == 0 || ec) return util::make_error(path.string() + " is empty");

    auto in = OIIO::ImageInput::open(path.string());
    if (!in) {
        return util::make_error(path.string() + " is not a readable image: " +
                                oiio_message(OIIO::geterror()));
    }
    const OIIO::ImageSpec first = in->spec();
    if (expected.width > 0 && (first.width != expected.width || first.height != expected.height)) {
        return util::make_error(path.string() + " is " + std::to_string(first.width) + "x" +
                                std::to_string(first.height) + " pixels, expected " +
                                std::to_string(expected.width) + "x" +
                                std::to_string(expected.height));
    }
    for (int subimage = 0; in->seek_subimage(subimage, 0); ++subimage) {
        std::string error = read_all_pixels(*in, subimage, in->spec());
        if (!error.empty()) {
            return util::make_error(path.string() + " is incomplete or damaged: " + error);
        }
    }
    return {};
}

}  // namespace spotfarm::blender
