#include "media/frame_sequence.h"

#include <map>

#include <fmt/format.h>

namespace spotfarm::media {

namespace fs = std::filesystem;

util::Result<Sequence> link_sequence(const std::vector<int>& frames,
                                     const std::vector<FrameFile>& files, const fs::path& dir,
                                     GapPolicy gaps) {
    std::map<int, fs::path> by_frame;
    for (const auto& f : files) by_frame[f.frame] = f.path;
    Sequence seq;
    const fs::path* previous = nullptr;
    for (int frame : frames) {
        auto it = by_frame.find(frame);
        const fs::path* source = nullptr;
        if (it != by_frame.end()) {
            source = &it->second;
            previous = source;
        } else {
            seq.missing.push_back(frame);
            if (gaps == GapPolicy::hold) source = previous;
        }
        if (source == nullptr) continue;
        const std::string ext = source->extension().string();
        if (seq.extension.empty()) {
            seq.extension = ext;
        } else if (ext != seq.extension) {
            return util::make_error(fmt::format("the frames are of more than one format ({} and "
                                                "{}); render them all in one --format",
                                                seq.extension, ext),
                                    util::ErrorKind::invalid);
        }
        ++seq.length;
        std::error_code ec;
        fs::create_symlink(fs::absolute(*source), dir / fmt::format("{:06d}{}", seq.length, ext),
                           ec);
        if (ec) {
            return util::make_error(
                "cannot link the frames for ffmpeg in " + dir.string() + ": " + ec.message(),
                util::ErrorKind::storage);
        }
    }
    if (seq.length == 0) {
        return util::make_error("no frame of the job is on disk, so there is nothing to encode",
                                util::ErrorKind::not_found);
    }
    seq.input = dir / ("%06d" + seq.extension);
    if (!seq.missing.empty()) {
        seq.note =
            fmt::format("frames {} have no file: {}", frame_list_text(seq.missing),
                        gaps == GapPolicy::hold ? "the frame before each is held in its place"
                                                : "they are left out, so the video is shorter");
    }
    return seq;
}

std::vector<int> spread_frames(const std::vector<int>& frames, std::size_t count) {
    if (frames.size() <= count || count == 0) return frames;
    std::vector<int> out;
    if (count == 1) return {frames.front()};
    for (std::size_t i = 0; i < count; ++i) {
        out.push_back(frames[i * (frames.size() - 1) / (count - 1)]);
    }
    return out;
}

std::string frame_list_text(const std::vector<int>& frames) {
    std::string out;
    for (std::size_t i = 0; i < frames.size();) {
        std::size_t j = i;
        while (j + 1 < frames.size() && frames[j + 1] == frames[j] + 1) ++j;
        if (!out.empty()) out += ", ";
        out += j == i ? std::to_string(frames[i]) : fmt::format("{}-{}", frames[i], frames[j]);
        i = j + 1;
    }
    return out;
}

}  // namespace spotfarm::media
