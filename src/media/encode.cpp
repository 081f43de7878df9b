#include "media/encode.h"

#include <cmath>

#include <fmt/format.h>

#include "media/ffmpeg_options.h"
#include "media/ffmpeg_run.h"
#include "util/atomic_file.h"
#include "util/temp_dir.h"

namespace spotfarm::media {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t k_sheet_frames = 36;
constexpr int k_sheet_tile_width = 240;

// Runs ffmpeg with `args` writing a temporary file beside `output`, then renames it into place.
util::Status write_with_ffmpeg(std::vector<std::string> args, const fs::path& output) {
    util::TempFile temp(util::temp_path_for(output));
    args.insert(args.begin(), "-y");
    args.push_back(temp.path().string());
    if (auto ran = run_ffmpeg(args, k_encode_timeout); !ran) return ran;
    if (auto moved = util::rename_into_place(temp.path(), output, true); !moved) return moved;
    temp.release();
    return {};
}

util::Result<util::TempDir> work_dir(const fs::path& beside) {
    std::error_code ec;
    fs::create_directories(beside, ec);
    // Beside the output, not in /tmp: the links are many and small, and /tmp may be a RAM disk.
    auto dir = util::TempDir::create_in(beside, ".spotfarm-frames-");
    if (!dir)
        return util::make_error("cannot make a folder for ffmpeg's input: " + dir.error().message,
                                util::ErrorKind::storage);
    return dir;
}

}  // namespace

std::vector<std::string> input_options(const Sequence& sequence, const std::string& frame_rate) {
    std::vector<std::string> args = {"-framerate", frame_rate};
    if (sequence.extension == ".exr") args.insert(args.end(), {"-apply_trc", "iec61966_2_1"});
    args.insert(args.end(), {"-i", sequence.input.string()});
    return args;
}

util::Result<EncodedVideo> encode_video(const core::VideoOutput& video,
                                        const std::vector<int>& frames,
                                        const std::vector<FrameFile>& files,
                                        const fs::path& output) {
    auto options = output_options(video);
    if (!options) return options.error();
    auto dir = work_dir(output.parent_path());
    if (!dir) return dir.error();
    auto seq = link_sequence(frames, files, dir->path(), GapPolicy::hold);
    if (!seq) return seq.error();
    std::vector<std::string> args = input_options(*seq, frame_rate_text(video.fps, video.fps_base));
    args.insert(args.end(), options->begin(), options->end());
    if (auto written = write_with_ffmpeg(std::move(args), output); !written) {
        return written.error();
    }
    return EncodedVideo{output, seq->note};
}

util::Result<PreviewSet> make_previews(const std::string& frame_rate,
                                       const std::vector<int>& frames,
                                       const std::vector<FrameFile>& files, const fs::path& dir,
                                       GapPolicy gaps) {
    auto links = work_dir(dir);
    if (!links) return links.error();
    auto seq = link_sequence(frames, files, links->path(), gaps);
    if (!seq) return seq.error();
    PreviewSet set{dir / k_preview_mp4, dir / k_preview_webm, dir / k_contact_sheet, seq->note};
    // Even sides (4:2:0 needs them), and no wider than a page shows.
    const std::string scale =
        "scale='min(1280,iw)':-2:flags=bicubic,scale=trunc(iw/2)*2:trunc(ih/2)*2";
    std::vector<std::string> mp4 = input_options(*seq, frame_rate);
    mp4.insert(mp4.end(), {"-vf", scale, "-c:v", "libx264", "-preset", "veryfast", "-crf", "23",
                           "-pix_fmt", "yuv420p", "-movflags", "+faststart", "-an", "-f", "mp4"});
    if (auto made = write_with_ffmpeg(mp4, set.mp4); !made) return made.error();
    std::vector<std::string> webm = input_options(*seq, frame_rate);
    webm.insert(webm.end(),
                {"-vf", scale, "-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8",
                 "-crf", "35", "-b:v", "0", "-pix_fmt", "yuv420p", "-an", "-f", "webm"});
    if (auto made = write_with_ffmpeg(webm, set.webm); !made) return made.error();

    // The sheet: a few frames spread over the job, in a near-square grid.
    std::vector<int> picked = spread_frames(frames, k_sheet_frames);
    auto sheet_links = work_dir(dir);
    if (!sheet_links) return sheet_links.error();
    auto sheet_seq = link_sequence(picked, files, sheet_links->path(), GapPolicy::skip);
    if (!sheet_seq) return sheet_seq.error();
    const int n = sheet_seq->length;
    const int columns = static_cast<int>(std::ceil(std::sqrt(static_cast<double>(n))));
    const int rows = (n + columns - 1) / columns;
    std::vector<std::string> sheet = input_options(*sheet_seq, "1");
    sheet.insert(sheet.end(),
                 {"-vf",
                  fmt::format("scale='min({},iw)':-2,tile={}x{}:padding=4:margin=4:color=0x202020",
                              k_sheet_tile_width, columns, rows),
                  "-frames:v", "1", "-update", "1", "-f", "image2", "-c:v", "png"});
    if (auto made = write_with_ffmpeg(sheet, set.contact_sheet); !made) return made.error();
    return set;
}

}  // namespace spotfarm::media
