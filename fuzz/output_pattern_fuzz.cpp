// Output patterns (-o, and the "output" of POST /jobs) and image format names: normalizing never
// crashes, a normalized pattern never climbs out of its folder, and when the file name holds the
// frame number ('#'), every frame path made from it keeps the pattern's folder. (A '#' only in a
// folder name numbers folders, as in Blender.)

#include <filesystem>

#include "blender/output_pattern.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace blender = spotfarm::blender;
    const std::string_view text = spotfarm::fuzz::as_text(data, size);
    (void)blender::extension_for_format(text);
    auto pattern = blender::normalize_output_pattern(text);
    if (!pattern) return 0;
    spotfarm::fuzz::require(pattern->find("..") == std::string::npos, "no '..' in a pattern");
    const std::filesystem::path as_path(*pattern);
    if (as_path.filename().string().find('#') == std::string::npos) return 0;
    const auto folder = as_path.parent_path();
    for (int frame : {0, 1, 42, 99999, 2147483647}) {
        const std::string path = blender::frame_path(*pattern, frame, ".png");
        spotfarm::fuzz::require(std::filesystem::path(path).parent_path() == folder,
                                "a frame lands in the pattern's folder");
    }
    return 0;
}
