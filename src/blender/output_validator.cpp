#include "blender/output_validator.h"

#include <string>
#include <system_error>

#include "blender/frame_decoder.h"
#include "blender/png_check.h"

namespace spotfarm::blender {

namespace fs = std::filesystem;

util::Status validate_output(const fs::path& path, ImageSize expected) {
    std::error_code ec;
    auto status = fs::status(path, ec);
    if (ec || !fs::exists(status)) return util::make_error(path.string() + " was not written");
    if (!fs::is_regular_file(status)) return util::make_error(path.string() + " is not a file");
    if (fs::file_size(path, ec) == 0 || ec) return util::make_error(path.string() + " is empty");

    SpotfarmFrameCheckReport report{};
    int outcome = 0;
    std::string checker = "libpng";
    if (has_png_signature(path)) {
        outcome = check_png(path, expected.width, expected.height, report);
    } else {
        auto decoder = frame_decoder();
        if (!decoder) {
            return util::make_error(
                "cannot check " + path.string() + ": " + decoder.error().message,
                decoder.error().kind);
        }
        outcome = decoder->check(path, expected.width, expected.height, report);
        checker = "the frame-check module " + decoder->module_path().string();
    }
    switch (outcome) {
        case spotfarm_frame_ok:
            return {};
        case spotfarm_frame_unreadable:
            return util::make_error(path.string() + " is not a readable image: " + report.message);
        case spotfarm_frame_wrong_size:
            return util::make_error(path.string() + " is " + std::to_string(report.width) + "x" +
                                    std::to_string(report.height) + " pixels, expected " +
                                    std::to_string(expected.width) + "x" +
                                    std::to_string(expected.height));
        case spotfarm_frame_damaged:
            return util::make_error(path.string() + " is incomplete or damaged: " + report.message);
    }
    return util::make_error(path.string() + " could not be checked: " + checker +
                            " gave an unknown answer");
}

}  // namespace spotfarm::blender
