#pragma once
// The video a scene is saved to write (Blender's FFMPEG output), carried with a job so the
// manager can encode it from the frames once they are all rendered: a farm renders frames in
// parallel, never one video file. Values are Blender's own enum names (media/ffmpeg_options.h
// maps them to ffmpeg's).

#include <optional>
#include <string>

namespace spotfarm::core {

struct VideoOutput {
    std::string container;    // scene.render.ffmpeg.format: MPEG4, MKV, WEBM, QUICKTIME, ...
    std::string codec;        // ffmpeg.codec: H264, WEBM (VP9), AV1, H265, FFV1, PNG, ...
    std::string quality;      // ffmpeg.constant_rate_factor: HIGH, MEDIUM, ...; NONE: bitrate
    std::string speed;        // ffmpeg.ffmpeg_preset: BEST, GOOD, REALTIME
    int bitrate_kbps = 0;     // ffmpeg.video_bitrate, used when quality is NONE
    int gop = 0;              // ffmpeg.gopsize: frames between keyframes (0: the encoder's)
    int fps = 24;             // render.fps
    double fps_base = 1.0;    // render.fps_base: the frame rate is fps / fps_base
    std::string audio_codec;  // ffmpeg.audio_codec; the farm renders no audio (NONE: none asked)
    std::string color_mode;   // image_settings.color_mode: BW, RGB, RGBA

    bool operator==(const VideoOutput&) const = default;
};

// What a job asks of the manager once its frames are rendered, beside its render settings (on
// the wire, fields of the same flat settings object; workers never read them).
struct JobMedia {
    std::optional<VideoOutput> video;  // the scene's video, to encode from the frames
    std::optional<bool> preview;       // make a preview; unset: for an animation, not a still
    std::optional<int> fps;            // the scene's frame rate is fps / fps_base
    std::optional<double> fps_base;

    bool operator==(const JobMedia&) const = default;
};

}  // namespace spotfarm::core
