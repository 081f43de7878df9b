// bench_engine: renders the demo scene's frames three ways on this machine and prints a table.
//   1. one persistent session (spotfarm's way: Blender loads the scene once);
//   2. one Blender per frame (`blender -b scene -f N`, as farms that start a process per task);
//   3. one Blender for the whole range (`blender -b scene -s A -e B -a`, the manual way).
// For each: wall time, overhead per frame beyond Blender's own "Time:" for the frames, and peak
// memory. Targets: the session's overhead per frame at least 5x smaller than one Blender per
// frame, and its wall time within 5% of the single -a run.
//
// Usage: bench_engine [--scene PATH] [--frames 1-24] [--percentage 25] [--blender PATH]
//        (the scene defaults to $SPOTFARM_DEMO_SCENE, then the build's demo/demo.blend)

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "blender/blender_install.h"
#include "blender/command_line.h"
#include "blender/log_parser.h"
#include "blender/session.h"
#include "core/frame_set.h"
#include "util/subprocess.h"
#include "demo_bench.h"

namespace {

namespace fs = std::filesystem;
using namespace spotfarm;
using Clock = std::chrono::steady_clock;

using BenchArgs = bench::DemoArgs;

struct ModeResult {
    std::string name;
    double wall_seconds = 0;
    double blender_seconds = 0;  // sum of Blender's "Time:" over the frames
    int frames = 0;              // frames Blender reported done
    int processes = 0;
    double peak_memory_mb = 0;
    std::string problem;         // set when the mode did not render every frame
};

double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// Runs one plain Blender command to its end, adding its frames' times to `result`.
void run_plain(const std::vector<std::string>& argv, ModeResult& result) {
    util::SpawnOptions options;
    options.argv = argv;
    auto child = util::Subprocess::spawn(options);
    if (!child) {
        result.problem = child.error().message;
        return;
    }
    ++result.processes;
    blender::LogParser parser;
    auto handle = [&](const std::vector<blender::LogEvent>& events) {
        for (const auto& e : events) {
            if (auto* t = std::get_if<blender::FrameTimeEvent>(&e)) {
                result.blender_seconds += t->seconds;
                ++result.frames;
            }
        }
    };
    auto status = child->wait_for(std::chrono::hours(2),
                                  [&](const std::string& line) { handle(parser.feed(line)); });
    handle(parser.finish());
    if (!status || !status->success()) {
        result.problem = "blender " + (status ? status->describe() : std::string("timed out"));
        return;
    }
    result.peak_memory_mb = std::max(result.peak_memory_mb, status->peak_memory_kb / 1024.0);
}

blender::PlainSettings plain_settings(const BenchArgs& args, const fs::path& out) {
    return bench::demo_plain_settings(args, out);
}

ModeResult run_session(const blender::BlenderLaunch& launch, const BenchArgs& args,
                       const core::FrameSet& frames, const fs::path& out) {
    ModeResult result{"persistent session"};
    blender::SessionOptions options;
    options.launch = launch;
    options.render.format = "PNG";
    options.render.percentage = args.percentage;
    options.render.device = "cpu";
    auto started = Clock::now();
    {
        blender::Session session(options);
        if (auto info = session.start(); !info) {
            result.problem = info.error().message;
            return result;
        }
        for (int f : frames.frames()) {
            auto r = session.render(f, out / fmt::format("frame_{:04}.png", f));
            if (!r.ok) {
                result.problem = fmt::format("frame {}: {}", f, r.error);
                break;
            }
            result.blender_seconds += r.blender_seconds;
            result.peak_memory_mb = std::max(result.peak_memory_mb, r.peak_memory_mb);
            ++result.frames;
        }
        session.stop();
        result.processes = session.processes_started();
    }
    result.wall_seconds = since(started);
    return result;
}

// Runs plain Blender commands one after another, as one mode.
ModeResult run_commands(const std::string& name,
                        const std::vector<std::vector<std::string>>& commands) {
    ModeResult result{name};
    auto started = Clock::now();
    for (const auto& argv : commands) {
        run_plain(argv, result);
        if (!result.problem.empty()) break;
    }
    result.wall_seconds = since(started);
    return result;
}

ModeResult run_per_frame(const blender::BlenderLaunch& launch, const BenchArgs& args,
                         const core::FrameSet& frames, const fs::path& out) {
    std::vector<std::vector<std::string>> commands;
    for (int f : frames.frames()) {
        commands.push_back(blender::frames_command(launch, plain_settings(args, out), {f}));
    }
    return run_commands("one Blender per frame", commands);
}

ModeResult run_range(const blender::BlenderLaunch& launch, const BenchArgs& args,
                     const core::FrameSet& frames, const fs::path& out) {
    return run_commands("one Blender, -s -e -a",
                        {blender::range_command(launch, plain_settings(args, out), frames.first(),
                                                frames.last())});
}

double overhead_per_frame(const ModeResult& r) {
    return r.frames ? (r.wall_seconds - r.blender_seconds) / r.frames : 0;
}

int usage(const std::string& why) {
    std::cerr << "bench_engine: " << why
              << "\nusage: bench_engine [--scene PATH] [--frames 1-24] [--percentage 25] "
                 "[--blender PATH]\n";
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    BenchArgs args;
    if (auto bad = bench::parse_demo_args(argc, argv, args); !bad.empty()) return usage(bad);
    auto frames = core::FrameSet::parse(args.frames);
    if (!frames) return usage(frames.error().message);
    if (frames->last() - frames->first() + 1 != static_cast<int>(frames->size())) {
        return usage("--frames must be one contiguous range, so -s/-e/-a renders the same frames");
    }
    if (!fs::exists(args.scene)) return usage("scene not found: " + args.scene);
    auto blender = blender::find_blender(blender::blender_search_from_env(args.blender));
    if (!blender) return usage(blender.error().message);
    auto version = blender::read_blender_version(*blender);
    blender::BlenderLaunch launch{*blender, fs::absolute(args.scene), false, true};

    fs::path root = fs::temp_directory_path() / fmt::format("spotfarm-bench-{}", ::getpid());
    std::vector<ModeResult> results;
    using Runner = ModeResult (*)(const blender::BlenderLaunch&, const BenchArgs&,
                                  const core::FrameSet&, const fs::path&);
    const std::pair<const char*, Runner> modes[] = {
        {"session", run_session}, {"per-frame", run_per_frame}, {"range", run_range}};
    for (const auto& [dir, run] : modes) {
        fs::create_directories(root / dir);
        std::cerr << "bench_engine: " << dir << "..." << std::endl;
        results.push_back(run(launch, args, *frames, root / dir));
    }
    fs::remove_all(root);

    fmt::print("{}, frames {} at {}%, Blender {}, {} CPU cores\n", fs::path(args.scene).filename().string(),
               args.frames, args.percentage, version ? version->text : "?",
               ::sysconf(_SC_NPROCESSORS_ONLN));
    fmt::print("{:<24} {:>10} {:>14} {:>16} {:>10} {:>12}\n", "mode", "wall", "Blender time",
               "overhead/frame", "processes", "peak memory");
    for (const auto& r : results) {
        if (!r.problem.empty()) {
            fmt::print("{:<24} FAILED: {}\n", r.name, r.problem);
            continue;
        }
        fmt::print("{:<24} {:>8.1f} s {:>12.1f} s {:>14.2f} s {:>10} {:>9.0f} MB\n", r.name,
                   r.wall_seconds, r.blender_seconds, overhead_per_frame(r), r.processes,
                   r.peak_memory_mb);
    }
    const auto& session = results[0];
    const auto& per_frame = results[1];
    const auto& range = results[2];
    bool all_ok = session.problem.empty() && per_frame.problem.empty() && range.problem.empty();
    if (!all_ok) return 1;
    double overhead_ratio = overhead_per_frame(per_frame) / std::max(overhead_per_frame(session), 1e-6);
    double wall_ratio = session.wall_seconds / range.wall_seconds;
    fmt::print("session overhead/frame is {:.1f}x smaller than one Blender per frame (target >= 5x): {}\n",
               overhead_ratio, overhead_ratio >= 5 ? "met" : "NOT met");
    fmt::print("session wall is {:.3f}x the single -a run (target <= 1.05): {}\n", wall_ratio,
               wall_ratio <= 1.05 ? "met" : "NOT met");
    return 0;
}
