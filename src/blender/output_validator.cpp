#include "blender/output_validator.h"

#include <string>
#include <system_error>

#include "blender/frame_decoder.h"

namespace spotfarm::blender {

namespace fs = std::filesystem;

util::Status validate_output(const fs::path& path, ImageSize expected) {
    std::error_code ec;
    auto status = fs::status(path, ec);
    if (ec || !fs::exists(status)) return util::make_error(path.string() + " was not written");
    if (!fs::is_regular_file(status)) return util::make_error(path.string() + " is not a file");
    if (fs::file_size(path, ec) == 0 || ec) return util::make_error(path.string() + " is empty");

    auto decoder = frame_decoder();
    if (!decoder) {
        return util::make_error("cannot check " + path.string() + ": " + decoder.error().message,
                                decoder.error().kind);
    }
    SpotfarmFrameCheckReport report{};
    switch (decoder->check(path, expected.width, expected.height, report)) {
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
    return util::make_error(path.string() + " could not be checked: the frame-check module " +
                            decoder->module_path().string() + " gave an unknown answer");
}

}  // namespace spotfarm::blender
