// spotfarm_frame_check.so: decodes a frame with OpenImageIO. It is a module of its own, loaded
// on first use (blender/frame_decoder.h), so that OpenImageIO and the ~250 libraries it pulls in
// are loaded only by the processes that check frames, not by every `spotfarm` command.

#include <algorithm>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

#include <OpenImageIO/imageio.h>

#include "blender/frame_check_abi.h"

namespace {

constexpr int k_rows_per_read = 64;  // bounds memory for large frames with many channels

void set_message(SpotfarmFrameCheckReport& report, std::string text) {
    if (text.empty()) text = "unknown decoding error";
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    std::size_t n = std::min(text.size(), sizeof report.message - 1);
    std::memcpy(report.message, text.data(), n);
    report.message[n] = '\0';
}

// Reads every pixel of the current subimage; false (with the decoder's error) when one fails.
bool read_all_pixels(OIIO::ImageInput& in, int subimage, const OIIO::ImageSpec& spec,
                     SpotfarmFrameCheckReport& report) {
    if (spec.tile_width > 0) {
        std::vector<unsigned char> buffer(spec.image_bytes(true));
        if (!in.read_image(subimage, 0, 0, spec.nchannels, OIIO::TypeUnknown, buffer.data())) {
            set_message(report, in.geterror());
            return false;
        }
        return true;
    }
    std::vector<unsigned char> buffer(spec.pixel_bytes(true) * static_cast<size_t>(spec.width) *
                                      k_rows_per_read);
    for (int y = spec.y; y < spec.y + spec.height; y += k_rows_per_read) {
        int y_end = std::min(y + k_rows_per_read, spec.y + spec.height);
        if (!in.read_scanlines(subimage, 0, y, y_end, spec.z, 0, spec.nchannels, OIIO::TypeUnknown,
                               buffer.data())) {
            set_message(report, in.geterror());
            return false;
        }
    }
    return true;
}

int check(const char* path, int expected_width, int expected_height,
          SpotfarmFrameCheckReport& report) {
    auto in = OIIO::ImageInput::open(path);
    if (!in) {
        set_message(report, OIIO::geterror());
        return spotfarm_frame_unreadable;
    }
    const OIIO::ImageSpec first = in->spec();
    report.width = first.width;
    report.height = first.height;
    if (expected_width > 0 && (first.width != expected_width || first.height != expected_height)) {
        return spotfarm_frame_wrong_size;
    }
    for (int subimage = 0; in->seek_subimage(subimage, 0); ++subimage) {
        if (!read_all_pixels(*in, subimage, in->spec(), report)) return spotfarm_frame_damaged;
    }
    return spotfarm_frame_ok;
}

}  // namespace

extern "C" __attribute__((visibility("default"))) int spotfarm_frame_check_v1(
    const char* path, int expected_width, int expected_height, SpotfarmFrameCheckReport* report) {
    *report = SpotfarmFrameCheckReport{};
    // Nothing may unwind into the C caller: a decoder that throws has failed to decode.
    try {
        return check(path, expected_width, expected_height, *report);
    } catch (const std::exception& e) {
        set_message(*report, e.what());
    } catch (...) {
        set_message(*report, "the decoder failed");
    }
    return spotfarm_frame_damaged;
}
