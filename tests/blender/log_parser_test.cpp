#include "blender/log_parser.h"

#include <fstream>
#include <string>

#include <gtest/gtest.h>

namespace spotfarm::blender {
namespace {

std::vector<LogEvent> parse_lines(const std::vector<std::string>& lines) {
    LogParser parser;
    std::vector<LogEvent> events;
    for (const std::string& line : lines) {
        auto more = parser.feed(line);
        events.insert(events.end(), more.begin(), more.end());
    }
    auto rest = parser.finish();
    events.insert(events.end(), rest.begin(), rest.end());
    return events;
}

std::vector<std::string> read_log(const std::string& name) {
    std::ifstream in(std::string(SPOTFARM_TEST_DATA) + "/blender-logs/" + name);
    EXPECT_TRUE(in) << name;
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

template <class T>
std::vector<T> only(const std::vector<LogEvent>& events) {
    std::vector<T> out;
    for (const LogEvent& e : events) {
        if (const T* t = std::get_if<T>(&e)) out.push_back(*t);
    }
    return out;
}

struct Parsed {
    std::vector<ProgressEvent> progress;
    std::vector<SavedEvent> saved;
    std::vector<FrameTimeEvent> times;
    std::vector<ErrorEvent> errors;
    std::vector<WarningEvent> warnings;
};

Parsed parse_log(const std::string& name) {
    const auto events = parse_lines(read_log(name));
    return {only<ProgressEvent>(events), only<SavedEvent>(events), only<FrameTimeEvent>(events),
            only<ErrorEvent>(events), only<WarningEvent>(events)};
}

void expect_plausible_frame_time(const FrameTimeEvent& t) {
    EXPECT_GT(t.seconds, 0);
    EXPECT_GE(t.saving_seconds, 0);
    EXPECT_LE(t.saving_seconds, t.seconds);
    EXPECT_LT(t.seconds, 60);
}

// --- Real logs of Blender 3.4.1 ---

TEST(LogParserRecorded, CyclesFrame) {
    const Parsed p = parse_log("cycles-3.4.log");
    ASSERT_FALSE(p.progress.empty());
    for (const auto& e : p.progress) {
        EXPECT_EQ(e.frame, 1);
        EXPECT_DOUBLE_EQ(e.peak_memory_mb, 10.20);
        EXPECT_GE(e.elapsed_seconds, 0);
    }
    EXPECT_EQ(p.progress.back().status, "Finished");
    const auto& last_sample = p.progress[p.progress.size() - 2];
    EXPECT_EQ(last_sample.sample, 4);
    EXPECT_EQ(last_sample.samples_total, 4);
    EXPECT_TRUE(std::any_of(p.progress.begin(), p.progress.end(),
                            [](const ProgressEvent& e) { return e.remaining_seconds >= 0; }));
    ASSERT_EQ(p.saved.size(), 1u);
    EXPECT_EQ(p.saved[0].path, "/tmp/spotfarm-logs/out/frame_0001.png");
    ASSERT_EQ(p.times.size(), 1u);
    expect_plausible_frame_time(p.times[0]);
    EXPECT_TRUE(p.errors.empty());
    EXPECT_TRUE(p.warnings.empty());
}

TEST(LogParserRecorded, CyclesAnimationTwoFrames) {
    const Parsed p = parse_log("cycles-anim-3.4.log");
    ASSERT_EQ(p.saved.size(), 2u);
    EXPECT_EQ(p.saved[0].path, "/tmp/spotfarm-logs/out/anim_01.png");
    EXPECT_EQ(p.saved[1].path, "/tmp/spotfarm-logs/out/anim_02.png");
    EXPECT_EQ(p.times.size(), 2u);
    EXPECT_EQ(p.progress.front().frame, 1);
    EXPECT_EQ(p.progress.back().frame, 2);
    EXPECT_TRUE(p.errors.empty());
}

TEST(LogParserRecorded, EeveeFrameHeadless) {
    const Parsed p = parse_log("eevee-3.4.log");
    ASSERT_FALSE(p.progress.empty());
    EXPECT_EQ(p.progress.back().sample, 4);
    EXPECT_EQ(p.progress.back().samples_total, 4);
    EXPECT_EQ(p.progress.front().status, "Syncing Cube");
    ASSERT_EQ(p.saved.size(), 1u);
    EXPECT_EQ(p.saved[0].path, "/tmp/spotfarm-logs/out/eevee_0001.png");
    ASSERT_EQ(p.times.size(), 1u);
    expect_plausible_frame_time(p.times[0]);
    // The EGL fallback chatter is not an error.
    EXPECT_TRUE(p.errors.empty());
}

TEST(LogParserRecorded, DenoiserMissing) {
    const Parsed p = parse_log("denoise-3.4.log");
    ASSERT_EQ(p.errors.size(), 1u);
    EXPECT_EQ(p.errors[0].kind, ErrorKind::denoiser);
    EXPECT_EQ(p.errors[0].message, "Build without OpenImageDenoiser");
    EXPECT_TRUE(p.saved.empty());
}

TEST(LogParserRecorded, GarbageTruncatedAndMissingBlend) {
    const Parsed garbage = parse_log("garbage-blend-3.4.log");
    ASSERT_EQ(garbage.errors.size(), 1u);
    EXPECT_EQ(garbage.errors[0].kind, ErrorKind::corrupt_file);
    EXPECT_NE(garbage.errors[0].message.find("File format is not supported"), std::string::npos);
    EXPECT_TRUE(garbage.progress.empty());

    const Parsed truncated = parse_log("truncated-blend-3.4.log");
    ASSERT_EQ(truncated.errors.size(), 1u);
    EXPECT_EQ(truncated.errors[0].kind, ErrorKind::corrupt_file);
    EXPECT_NE(truncated.errors[0].message.find("Failed to read blend file"), std::string::npos);

    const Parsed missing = parse_log("missing-blend-3.4.log");
    ASSERT_EQ(missing.errors.size(), 1u);
    EXPECT_EQ(missing.errors[0].kind, ErrorKind::missing_file);
    EXPECT_NE(missing.errors[0].message.find("/tmp/spotfarm-logs/no-such-scene.blend"),
              std::string::npos);
}

TEST(LogParserRecorded, UnwritableOutput) {
    const Parsed p = parse_log("unwritable-output-3.4.log");
    ASSERT_EQ(p.errors.size(), 1u);
    EXPECT_EQ(p.errors[0].kind, ErrorKind::cannot_save);
    EXPECT_NE(p.errors[0].message.find("/tmp/spotfarm-logs/not-a-folder/frame_0001.png"),
              std::string::npos);
    EXPECT_TRUE(p.saved.empty());
    // Blender prints the frame's time even when saving failed.
    EXPECT_EQ(p.times.size(), 1u);
}

TEST(LogParserRecorded, NoOptixDevice) {
    const Parsed p = parse_log("no-optix-device-3.4.log");
    ASSERT_EQ(p.errors.size(), 1u);
    EXPECT_EQ(p.errors[0].kind, ErrorKind::gpu);
    EXPECT_EQ(p.errors[0].message, "Found no Cycles device of the specified type");
}

TEST(LogParserRecorded, PythonTracebackIsOneError) {
    const Parsed p = parse_log("python-error-3.4.log");
    ASSERT_EQ(p.errors.size(), 1u);
    EXPECT_EQ(p.errors[0].kind, ErrorKind::python_traceback);
    EXPECT_EQ(p.errors[0].message, "ValueError: bad render settings in settings.json");
    EXPECT_TRUE(p.progress.empty());
}

TEST(LogParserRecorded, ChainedTracebackKeepsLastExceptionAndRenderGoesOn) {
    const Parsed p = parse_log("python-chained-error-3.4.log");
    ASSERT_EQ(p.errors.size(), 1u);
    EXPECT_EQ(p.errors[0].kind, ErrorKind::python_traceback);
    EXPECT_EQ(p.errors[0].message, "RuntimeError: render settings have no sample count");
    // Without --python-exit-code the render runs anyway.
    EXPECT_EQ(p.saved.size(), 1u);
    EXPECT_FALSE(p.progress.empty());
}

TEST(LogParserRecorded, SyntaxErrorAndMissingScript) {
    const Parsed syntax = parse_log("python-syntax-error-3.4.log");
    ASSERT_EQ(syntax.errors.size(), 1u);
    EXPECT_EQ(syntax.errors[0].kind, ErrorKind::python_traceback);
    EXPECT_EQ(syntax.errors[0].message, "SyntaxError: '(' was never closed");

    const Parsed missing = parse_log("missing-script-3.4.log");
    ASSERT_EQ(missing.errors.size(), 1u);
    EXPECT_EQ(missing.errors[0].kind, ErrorKind::python_traceback);
    EXPECT_EQ(missing.errors[0].message.rfind("OSError: Python file", 0), 0u)
        << missing.errors[0].message;
}

TEST(LogParserRecorded, MissingTexture) {
    // Cycles 3.4 renders with a missing texture without a word in its log; Eevee at least says it
    // could not load a texture.
    const Parsed cycles = parse_log("missing-texture-3.4.log");
    EXPECT_TRUE(cycles.errors.empty());
    EXPECT_TRUE(cycles.warnings.empty());
    EXPECT_EQ(cycles.saved.size(), 1u);

    const Parsed eevee = parse_log("missing-texture-eevee-3.4.log");
    EXPECT_TRUE(eevee.errors.empty());
    ASSERT_EQ(eevee.warnings.size(), 1u);
    EXPECT_EQ(eevee.warnings[0].message, "GPUTexture: Blender Texture Not Loaded!");
    EXPECT_EQ(eevee.saved.size(), 1u);
}

// Every Saved:/Time: line of every log gives exactly one event.
TEST(LogParserRecorded, EveryLogAccountsForEachLine) {
    for (const char* name : {"cycles-3.4.log",
                             "cycles-anim-3.4.log",
                             "eevee-3.4.log",
                             "denoise-3.4.log",
                             "missing-texture-3.4.log",
                             "missing-texture-eevee-3.4.log",
                             "garbage-blend-3.4.log",
                             "truncated-blend-3.4.log",
                             "missing-blend-3.4.log",
                             "unwritable-output-3.4.log",
                             "python-error-3.4.log",
                             "python-chained-error-3.4.log",
                             "python-syntax-error-3.4.log",
                             "missing-script-3.4.log",
                             "no-optix-device-3.4.log",
                             "cycles-2.93.log",
                             "cycles-4.2.log",
                             "eevee-4.2.log",
                             "cycles-5.0.log",
                             "errors-5.0.log"}) {
        const auto lines = read_log(name);
        ASSERT_FALSE(lines.empty()) << name;
        std::size_t saved_lines = 0, time_lines = 0, fra_lines = 0;
        for (const std::string& line : lines) {
            saved_lines += line.find("Saved: ") != std::string::npos;
            time_lines += line.find("(Saving: ") != std::string::npos;
            fra_lines += line.find("Fra:") != std::string::npos;
        }
        const Parsed p = parse_log(name);
        EXPECT_EQ(p.saved.size(), saved_lines) << name;
        EXPECT_EQ(p.times.size(), time_lines) << name;
        EXPECT_EQ(p.progress.size(), fra_lines) << name;
    }
}

// --- Hand-written logs of other versions ---

TEST(LogParserOtherVersions, Blender293TilesAndOldCannotSave) {
    const Parsed p = parse_log("cycles-2.93.log");
    EXPECT_EQ(p.progress[2].status, "Path Tracing Tile 51/510");
    EXPECT_DOUBLE_EQ(p.progress[2].remaining_seconds, 48.67);
    EXPECT_EQ(p.progress[3].sample, 128);
    EXPECT_DOUBLE_EQ(p.progress.back().elapsed_seconds, 3723.45);
    EXPECT_DOUBLE_EQ(p.progress.back().peak_memory_mb, 1.25 * 1024);
    ASSERT_EQ(p.saved.size(), 1u);
    ASSERT_EQ(p.times.size(), 2u);
    EXPECT_DOUBLE_EQ(p.times[0].seconds, 45.38);
    EXPECT_DOUBLE_EQ(p.times[0].saving_seconds, 0.21);
    EXPECT_DOUBLE_EQ(p.times[1].seconds, 3723.66);
    ASSERT_EQ(p.errors.size(), 1u);
    EXPECT_EQ(p.errors[0].kind, ErrorKind::cannot_save);
}

TEST(LogParserOtherVersions, Blender42CyclesWarningAndGpuErrorOnce) {
    const Parsed p = parse_log("cycles-4.2.log");
    ASSERT_EQ(p.warnings.size(), 1u);
    EXPECT_EQ(p.warnings[0].message, "Unable to open '/home/artist/textures/wood_diffuse.png'");
    // Cycles prints the CUDA error raw and again as "Error:": one event.
    ASSERT_EQ(p.errors.size(), 1u);
    EXPECT_EQ(p.errors[0].kind, ErrorKind::gpu);
    EXPECT_EQ(p.errors[0].message,
              "CUDA error: Out of memory in cuMemAlloc(&device_pointer, size), line 612");
    ASSERT_EQ(p.times.size(), 2u);
    EXPECT_DOUBLE_EQ(p.times[0].seconds, 23.03);
    EXPECT_DOUBLE_EQ(p.progress.back().peak_memory_mb, 2.01 * 1024);
    const auto sample64 = std::find_if(p.progress.begin(), p.progress.end(),
                                       [](const ProgressEvent& e) { return e.sample == 64; });
    ASSERT_NE(sample64, p.progress.end());
    EXPECT_EQ(sample64->samples_total, 128);
    EXPECT_DOUBLE_EQ(sample64->remaining_seconds, 10.31);
}

TEST(LogParserOtherVersions, Blender42Eevee) {
    const Parsed p = parse_log("eevee-4.2.log");
    ASSERT_EQ(p.progress.size(), 5u);
    EXPECT_EQ(p.progress[1].sample, -1);  // "Compiling shaders 12 / 40"
    EXPECT_EQ(p.progress[3].frame, 12);
    EXPECT_EQ(p.progress[3].sample, 25);
    EXPECT_EQ(p.progress[3].samples_total, 64);
    EXPECT_EQ(p.saved.at(0).path, "/renders/sh020/sh020_0012.png");
    EXPECT_TRUE(p.errors.empty());
}

TEST(LogParserOtherVersions, Blender5Prefixed) {
    const Parsed p = parse_log("cycles-5.0.log");
    ASSERT_EQ(p.progress.size(), 5u);
    EXPECT_EQ(p.progress[2].frame, 4);
    EXPECT_EQ(p.progress[2].sample, 24);
    EXPECT_EQ(p.progress[2].samples_total, 24);
    EXPECT_DOUBLE_EQ(p.progress[3].remaining_seconds, 1.10);
    EXPECT_DOUBLE_EQ(p.progress[3].elapsed_seconds, 0.30);
    EXPECT_DOUBLE_EQ(p.progress[3].peak_memory_mb, 9);
    ASSERT_EQ(p.saved.size(), 2u);
    EXPECT_EQ(p.saved[1].path, "/renders/sh030/sh030_0005.png");
    ASSERT_EQ(p.times.size(), 2u);
    EXPECT_DOUBLE_EQ(p.times[0].seconds, 2.75);
    EXPECT_DOUBLE_EQ(p.times[1].saving_seconds, 0.04);
    EXPECT_TRUE(p.errors.empty());
}

TEST(LogParserOtherVersions, Blender5Errors) {
    const auto events = parse_lines(read_log("errors-5.0.log"));
    ASSERT_EQ(events.size(), 5u);
    EXPECT_EQ(std::get<WarningEvent>(events[0]).message,
              "Unable to open '/home/artist/textures/brick_albedo.png': No such file or directory");
    EXPECT_EQ(std::get<ProgressEvent>(events[1]).frame, 7);
    EXPECT_EQ(std::get<ErrorEvent>(events[2]).kind, ErrorKind::gpu);
    const auto& python = std::get<ErrorEvent>(events[3]);
    EXPECT_EQ(python.kind, ErrorKind::python_traceback);
    EXPECT_EQ(python.message,
              "RuntimeError: Error: CUDA error: Illegal address in cuCtxSynchronize(), line 93");
    EXPECT_EQ(std::get<ErrorEvent>(events[4]).kind, ErrorKind::missing_file);
}

// --- The state machine on its own ---

TEST(LogParser, TracebackWaitsForItsEnd) {
    LogParser parser;
    EXPECT_TRUE(parser.feed("Traceback (most recent call last):").empty());
    EXPECT_TRUE(parser.feed("  File \"/x.py\", line 1, in <module>").empty());
    EXPECT_TRUE(parser.feed("KeyError: 'a'").empty());
    EXPECT_TRUE(parser.feed("").empty());
    auto events = parser.feed("Fra:3 Mem:1M | Time:00:00.10 | Sample 1/8");
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(std::get<ErrorEvent>(events[0]),
              (ErrorEvent{ErrorKind::python_traceback, "KeyError: 'a'"}));
    EXPECT_EQ(std::get<ProgressEvent>(events[1]).frame, 3);
}

TEST(LogParser, FinishFlushesPendingTraceback) {
    LogParser parser;
    EXPECT_TRUE(parser.feed("Error: Python: Traceback (most recent call last):").empty());
    EXPECT_TRUE(parser.feed("  File \"/x.py\", line 1, in <module>").empty());
    EXPECT_TRUE(parser.feed("ZeroDivisionError: division by zero").empty());
    auto events = parser.finish();
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(std::get<ErrorEvent>(events[0]).message, "ZeroDivisionError: division by zero");
    EXPECT_TRUE(parser.finish().empty());
}

TEST(LogParser, TracebackCutOffBeforeException) {
    LogParser parser;
    (void)parser.feed("Traceback (most recent call last):");
    (void)parser.feed("  File \"/x.py\", line 1, in <module>");
    auto events = parser.finish();
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(std::get<ErrorEvent>(events[0]).kind, ErrorKind::python_traceback);
    EXPECT_NE(std::get<ErrorEvent>(events[0]).message.find("ended before"), std::string::npos);
}

TEST(LogParser, ScriptFailedAloneIsAnError) {
    LogParser parser;
    auto events = parser.feed("Error: script failed, file: '/x.py', exiting.");
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(std::get<ErrorEvent>(events[0]).kind, ErrorKind::python_traceback);
}

TEST(LogParser, SameErrorOnLaterFrameIsReportedAgain) {
    LogParser parser;
    std::vector<LogEvent> events;
    for (std::string_view line :
         {"Fra:1 Mem:1M | Sample 1/8", "CUDA error: Launch failed",
          "Error: CUDA error: Launch failed", "Saved: '/o/0001.png'", "Fra:2 Mem:1M | Sample 1/8",
          "Error: CUDA error: Launch failed"}) {
        auto more = parser.feed(line);
        events.insert(events.end(), more.begin(), more.end());
    }
    EXPECT_EQ(only<ErrorEvent>(events).size(), 2u);
}

TEST(LogParser, IgnoresOrdinaryLines) {
    LogParser parser;
    for (std::string_view line : {"Blender 3.4.1", "Read blend: /tmp/x.blend", "", "Blender quit",
                                  "Info: Saved \"x.blend\""}) {
        EXPECT_TRUE(parser.feed(line).empty()) << line;
    }
}

}  // namespace
}  // namespace spotfarm::blender
