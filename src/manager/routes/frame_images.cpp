#include "manager/routes/frame_images.h"

#include <chrono>
#include <string>
#include <vector>

#include "util/ascii.h"
#include "util/subprocess.h"

namespace spotfarm::manager::routes {
namespace {

namespace fs = std::filesystem;

constexpr std::chrono::seconds k_ffmpeg_time{120};

std::string extension_of(const fs::path& image) {
    std::string ext = image.extension().string();
    for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return ext;
}

// Runs ffmpeg on `image`, writing `dest` through a temporary file beside it. `output_args` go
// between the input and the output file.
util::Status run_ffmpeg(const fs::path& image, const fs::path& dest,
                        const std::vector<std::string>& output_args) {
    std::error_code ec;
    if (!fs::is_regular_file(image, ec)) {
        return util::make_error("the frame " + image.string() + " is not on the manager's disk",
                                util::ErrorKind::not_found);
    }
    fs::create_directories(dest.parent_path(), ec);
    // The extension stays last, so ffmpeg picks the format from it.
    const fs::path temp = dest.parent_path() / (".tmp-" + dest.filename().string());
    std::vector<std::string> argv = {"ffmpeg",    "-nostdin", "-hide_banner",
                                     "-loglevel", "error",    "-y"};
    // EXR holds linear light: show it as Blender's Standard view would, through sRGB's curve.
    if (extension_of(image) == ".exr") {
        argv.insert(argv.end(), {"-apply_trc", "iec61966_2_1"});
    }
    argv.insert(argv.end(), {"-i", image.string(), "-frames:v", "1"});
    argv.insert(argv.end(), output_args.begin(), output_args.end());
    argv.push_back(temp.string());
    auto ran = util::run_capture(argv, k_ffmpeg_time);
    if (!ran) {
        return util::make_error("cannot run ffmpeg to draw the frame (" + ran.error().message +
                                    "); install Debian's ffmpeg package on the manager's machine",
                                util::ErrorKind::unavailable);
    }
    if (!ran->status.success()) {
        fs::remove(temp, ec);
        std::string output = ran->output.substr(0, 600);
        while (!output.empty() && std::isspace(static_cast<unsigned char>(output.back())))
            output.pop_back();
        return util::make_error("ffmpeg could not read the frame " + image.string() + " (" +
                                ran->status.describe() + "): " + output);
    }
    fs::rename(temp, dest, ec);
    if (ec) {
        return util::make_error("cannot write " + dest.string() + ": " + ec.message(),
                                util::ErrorKind::storage);
    }
    return {};
}

}  // namespace

fs::path thumbnail_file(const fs::path& thumbs, core::JobId job, int frame) {
    return thumbs / ("job-" + job.to_string()) / (std::to_string(frame) + ".jpg");
}

fs::path converted_file(const fs::path& thumbs, core::JobId job, int frame) {
    return thumbs / ("job-" + job.to_string()) / (std::to_string(frame) + ".png");
}

bool browser_shows(const fs::path& image) {
    const std::string ext = extension_of(image);
    return ext == ".png" || ext == ".jpg" || ext == ".jpeg" || ext == ".webp";
}

util::Status make_thumbnail(const fs::path& image, const fs::path& dest) {
    // Never wider than the frame; an even height, which JPEG's chroma subsampling wants.
    const std::string scale =
        "scale='min(" + std::to_string(k_thumbnail_width) + ",iw)':-2:flags=area,format=yuvj420p";
    return run_ffmpeg(image, dest, {"-vf", scale, "-q:v", "4"});
}

util::Status make_png(const fs::path& image, const fs::path& dest) {
    return run_ffmpeg(image, dest, {"-pix_fmt", "rgba"});
}

}  // namespace spotfarm::manager::routes
