#include "blender/log_patterns.h"

#include <gtest/gtest.h>

namespace spotfarm::blender {
namespace {

TEST(ParseBlenderTime, Forms) {
    EXPECT_DOUBLE_EQ(parse_blender_time("00:01.23").value_or(-1), 1.23);
    EXPECT_DOUBLE_EQ(parse_blender_time("02:05.50").value_or(-1), 125.5);
    EXPECT_DOUBLE_EQ(parse_blender_time("01:02:03.45").value_or(-1), 3723.45);
    EXPECT_DOUBLE_EQ(parse_blender_time(" 7.5 ").value_or(-1), 7.5);
    EXPECT_DOUBLE_EQ(parse_blender_time("00:00").value_or(-1), 0);
    EXPECT_DOUBLE_EQ(parse_blender_time("125:00.00").value_or(-1), 7500);
}

TEST(ParseBlenderTime, RejectsOtherText) {
    for (std::string_view bad :
         {"", "abc", "00:", ":01", "00:01.2x", "1:2:3:4", "00:01 |", "-00:01.00"}) {
        EXPECT_FALSE(parse_blender_time(bad).has_value()) << bad;
    }
}

TEST(StripLogPrefix, Blender5Prefix) {
    EXPECT_EQ(strip_log_prefix("00:03.906  render | Fra: 4 | Mem: 6M"), "Fra: 4 | Mem: 6M");
    EXPECT_EQ(strip_log_prefix("01:00:03.906  gpu.cycles      | CUDA error"), "CUDA error");
    EXPECT_EQ(strip_log_prefix("00:00.310  blend       |   indented"), "  indented");
}

TEST(StripLogPrefix, LeavesOtherLines) {
    for (std::string_view line :
         {"Fra:1 Mem:8.47M (Peak 10.20M) | Time:00:00.00 | Initializing", " Time: 00:00.18",
          "  File \"/x.py\", line 3", "12 render | x", "00:03.906 | x", "", "Blender quit"}) {
        EXPECT_EQ(strip_log_prefix(line), line);
    }
}

TEST(ParseProgressLine, Cycles3And4) {
    auto p = parse_progress_line(
        "Fra:12 Mem:9.91M (Peak 10.83M) | Time:00:01.23 | Remaining:00:03.10 | Mem:0.77M, "
        "Peak:0.77M | Scene, ViewLayer | Sample 16/64");
    ASSERT_TRUE(p.has_value());
    EXPECT_EQ(p->frame, 12);
    EXPECT_EQ(p->sample, 16);
    EXPECT_EQ(p->samples_total, 64);
    EXPECT_DOUBLE_EQ(p->elapsed_seconds, 1.23);
    EXPECT_DOUBLE_EQ(p->remaining_seconds, 3.10);
    EXPECT_DOUBLE_EQ(p->peak_memory_mb, 10.83);
    EXPECT_EQ(p->status, "Sample 16/64");
}

TEST(ParseProgressLine, UnknownFieldsStayMinusOne) {
    auto p =
        parse_progress_line("Fra:3 Mem:8.47M | Time:00:00.00 | Scene, ViewLayer | Initializing");
    ASSERT_TRUE(p.has_value());
    EXPECT_EQ(p->frame, 3);
    EXPECT_EQ(p->sample, -1);
    EXPECT_EQ(p->samples_total, -1);
    EXPECT_DOUBLE_EQ(p->remaining_seconds, -1);
    EXPECT_DOUBLE_EQ(p->peak_memory_mb, -1);
    EXPECT_DOUBLE_EQ(p->elapsed_seconds, 0);
    EXPECT_EQ(p->status, "Initializing");
}

TEST(ParseProgressLine, Eevee) {
    auto p = parse_progress_line(
        "Fra:1 Mem:10.18M (Peak 11.29M) | Time:00:02.78 | Rendering 25 / 64 samples");
    ASSERT_TRUE(p.has_value());
    EXPECT_EQ(p->sample, 25);
    EXPECT_EQ(p->samples_total, 64);
    EXPECT_EQ(p->status, "Rendering 25 / 64 samples");
    // Shader compilation counts are not samples.
    auto shaders = parse_progress_line("Fra:1 Mem:1M | Time:00:01.02 | Compiling shaders 12 / 40");
    ASSERT_TRUE(shaders.has_value());
    EXPECT_EQ(shaders->sample, -1);
}

TEST(ParseProgressLine, Blender29Tiles) {
    auto p = parse_progress_line(
        "Fra:1 Mem:20.41M (Peak 21.10M) | Time:00:00.41 | Remaining:00:48.67 | Mem:6.20M, "
        "Peak:6.20M | Scene, View Layer | Path Tracing Tile 51/510");
    ASSERT_TRUE(p.has_value());
    EXPECT_EQ(p->frame, 1);
    EXPECT_EQ(p->sample, -1);
    EXPECT_EQ(p->status, "Path Tracing Tile 51/510");
    auto with_samples = parse_progress_line(
        "Fra:1 Mem:20M | Time:00:45.08 | Path Tracing Tile 509/510, Sample 100/128");
    ASSERT_TRUE(with_samples.has_value());
    EXPECT_EQ(with_samples->sample, 100);
    EXPECT_EQ(with_samples->samples_total, 128);
}

TEST(ParseProgressLine, Blender5WithPrefixOrWithout) {
    for (std::string_view line : {"00:03.906  render | Fra: 4 | Mem: 6M | Sample 24/24",
                                  "Fra: 4 | Mem: 6M | Sample 24/24"}) {
        auto p = parse_progress_line(line);
        ASSERT_TRUE(p.has_value()) << line;
        EXPECT_EQ(p->frame, 4);
        EXPECT_EQ(p->sample, 24);
        EXPECT_EQ(p->samples_total, 24);
        EXPECT_DOUBLE_EQ(p->elapsed_seconds, -1);
        EXPECT_EQ(p->status, "Sample 24/24");
    }
}

TEST(ParseProgressLine, HoursAndMemoryUnits) {
    auto p = parse_progress_line("Fra:2 Mem:20.52M (Peak 1.25G) | Time:01:02:03.45 | Finished");
    ASSERT_TRUE(p.has_value());
    EXPECT_DOUBLE_EQ(p->elapsed_seconds, 3723.45);
    EXPECT_DOUBLE_EQ(p->peak_memory_mb, 1280);
    auto k = parse_progress_line("Fra:2 Mem:1M (Peak 512K) | Finished");
    ASSERT_TRUE(k.has_value());
    EXPECT_DOUBLE_EQ(k->peak_memory_mb, 0.5);
}

TEST(ParseProgressLine, OtherLines) {
    for (std::string_view line : {"Saved: '/x/0001.png'", " Time: 00:00.18 (Saving: 00:00.11)",
                                  "Fra:", "Fra:x Mem:1M", "Read blend: /x.blend", ""}) {
        EXPECT_FALSE(parse_progress_line(line).has_value()) << line;
    }
}

TEST(ParseSavedLine, QuotesAndPrefixes) {
    EXPECT_EQ(parse_saved_line("Saved: '/tmp/out/frame_0012.png'").value_or(SavedEvent{}).path,
              "/tmp/out/frame_0012.png");
    EXPECT_EQ(parse_saved_line("00:03.950  render | Saved: \"/r/it's here_0004.png\"")
                  .value_or(SavedEvent{})
                  .path,
              "/r/it's here_0004.png");
    EXPECT_EQ(parse_saved_line("Saved: /plain/0001.exr").value_or(SavedEvent{}).path,
              "/plain/0001.exr");
    EXPECT_FALSE(parse_saved_line("Info: Saved \"scene.blend\"").has_value());
    EXPECT_FALSE(parse_saved_line("Saved: ").has_value());
    EXPECT_FALSE(parse_saved_line("Saved: '").has_value());
}

TEST(ParseFrameTimeLine, Forms) {
    auto t = parse_frame_time_line(" Time: 00:01.32 (Saving: 00:00.15)");
    ASSERT_TRUE(t.has_value());
    EXPECT_DOUBLE_EQ(t->seconds, 1.32);
    EXPECT_DOUBLE_EQ(t->saving_seconds, 0.15);
    auto long_frame = parse_frame_time_line("Time: 01:02:03.66 (Saving: 00:00.00)");
    ASSERT_TRUE(long_frame.has_value());
    EXPECT_DOUBLE_EQ(long_frame->seconds, 3723.66);
    EXPECT_TRUE(parse_frame_time_line("00:05.432  render | Time: 00:01.44 (Saving: 00:00.04)"));
    EXPECT_FALSE(parse_frame_time_line("Fra:1 Mem:1M | Time:00:00.06 | Sample 4/4"));
    EXPECT_FALSE(parse_frame_time_line("Time: 00:01.32"));
}

ErrorEvent error_of(std::string_view line) {
    auto event = parse_problem_line(line);
    EXPECT_TRUE(event && std::holds_alternative<ErrorEvent>(*event)) << line;
    return event && std::holds_alternative<ErrorEvent>(*event) ? std::get<ErrorEvent>(*event)
                                                               : ErrorEvent{};
}

std::string warning_of(std::string_view line) {
    auto event = parse_problem_line(line);
    EXPECT_TRUE(event && std::holds_alternative<WarningEvent>(*event)) << line;
    return event && std::holds_alternative<WarningEvent>(*event)
               ? std::get<WarningEvent>(*event).message
               : "";
}

TEST(ParseProblemLine, ErrorKinds) {
    struct Case {
        std::string_view line;
        ErrorKind kind;
        std::string_view message;
    };
    const Case cases[] = {
        {"Error: Build without OpenImageDenoiser", ErrorKind::denoiser,
         "Build without OpenImageDenoiser"},
        {"Error: Render error (Invalid argument) cannot save: '/o/f_0001.png'",
         ErrorKind::cannot_save, "Render error (Invalid argument) cannot save: '/o/f_0001.png'"},
        {"Render error: cannot save /o/f_0001.png", ErrorKind::cannot_save,
         "Render error: cannot save /o/f_0001.png"},
        {"Render error (No space left on device) cannot save: '/o/1.exr'", ErrorKind::cannot_save,
         "Render error (No space left on device) cannot save: '/o/1.exr'"},
        {"CUDA error: Out of memory in cuMemAlloc(&device_pointer, size), line 612", ErrorKind::gpu,
         "CUDA error: Out of memory in cuMemAlloc(&device_pointer, size), line 612"},
        {"Error: Found no Cycles device of the specified type", ErrorKind::gpu,
         "Found no Cycles device of the specified type"},
        {"Error: OptiX error OPTIX_ERROR_UNSUPPORTED_ABI_VERSION in optixInit()", ErrorKind::gpu,
         "OptiX error OPTIX_ERROR_UNSUPPORTED_ABI_VERSION in optixInit()"},
        {"Failed to create OptiX context", ErrorKind::gpu, "Failed to create OptiX context"},
        {"HIP error: Invalid device function in hipModuleLoad", ErrorKind::gpu,
         "HIP error: Invalid device function in hipModuleLoad"},
        {"System is out of GPU memory", ErrorKind::gpu, "System is out of GPU memory"},
        {"Error: File format is not supported in file '/s/garbage.blend'", ErrorKind::corrupt_file,
         "File format is not supported in file '/s/garbage.blend'"},
        {"Error: Failed to read blend file '/s/t.blend': Missing DNA block",
         ErrorKind::corrupt_file, "Failed to read blend file '/s/t.blend': Missing DNA block"},
        {"Error: Cannot read file '/s/none.blend': No such file or directory",
         ErrorKind::missing_file, "Cannot read file '/s/none.blend': No such file or directory"},
        {"Error: Python: OSError: boom", ErrorKind::python_traceback, "Python: OSError: boom"},
        {"Error: Unknown compositor node", ErrorKind::generic, "Unknown compositor node"},
        {"00:01.700  blend | ERROR Failed to read blend file \"/s/t.blend\"",
         ErrorKind::corrupt_file, "Failed to read blend file \"/s/t.blend\""},
    };
    for (const Case& c : cases) {
        const ErrorEvent e = error_of(strip_log_prefix(c.line));
        EXPECT_EQ(e.kind, c.kind) << c.line << " -> " << to_string(e.kind);
        EXPECT_EQ(e.message, c.message) << c.line;
    }
}

TEST(ParseProblemLine, Warnings) {
    EXPECT_EQ(warning_of("Warning: Unable to open '/tex/wood.png'"),
              "Unable to open '/tex/wood.png'");
    EXPECT_EQ(warning_of("Unable to open '/tex/wood.png'"), "Unable to open '/tex/wood.png'");
    EXPECT_EQ(warning_of("GPUTexture: Blender Texture Not Loaded!"),
              "GPUTexture: Blender Texture Not Loaded!");
    EXPECT_EQ(warning_of("WARN Path \"/tex/x.png\" not found"), "Path \"/tex/x.png\" not found");
}

TEST(ParseProblemLine, QuietLines) {
    for (std::string_view line :
         {"Blender 3.4.1", "Read blend: /tmp/x.blend", "Blender quit", "",
          "EGL Error (0x3001): EGL_NOT_INITIALIZED: EGL is not initialized.",
          "Managed to successfully fallback to surfaceless EGL rendering!",
          "Error: Not freed memory blocks: 2, total unfreed memory 0.000214 MB",
          "Refer to the Cycles GPU rendering documentation for possible solutions:",
          "Loading render kernels (may take a few minutes the first time)", "SHIP error-free",
          "Build without OpenImageDenoiser"}) {
        EXPECT_FALSE(parse_problem_line(line).has_value()) << line;
    }
}

}  // namespace
}  // namespace spotfarm::blender
