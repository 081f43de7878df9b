// bench_farm_efficiency: the demo scene (uneven frames: 21-40 cost about twice the rest) on W
// local workers, four ways, and the makespan of each:
//   spotfarm render   `spotfarm render SCENE --frames F --workers W` (persistent sessions, one
//                     frame per task handed out as workers free up);
//   static split      W Blenders at once, each given one contiguous range (`-s A -e B -a`): the
//                     manual way, whose slowest range decides the end;
//   dynamic per frame one Blender per frame, W at a time (what `xargs -P W` does);
//   ideal             the sum of Blender's own per-frame "Time:" divided by W (the smallest sum
//                     of the two plain modes: no start-up, no scene load, perfect balance).
// Every Blender gets the same threads (cores / W) and CPU device. Targets: spotfarm within 10% of
// the ideal, and faster than the static split and the dynamic per-frame dispatch.
//
// Usage: bench_farm_efficiency [--frames 1-24] [--percentage 25] [--workers 2] [--scene PATH]
//        [--blender PATH]
// The defaults fit a busy 2-core machine in a few minutes; `--frames 1-60 --percentage 100` is
// the whole shot.

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "blender/blender_install.h"
#include "blender/command_line.h"
#include "blender/log_parser.h"
#include "core/frame_set.h"
#include "demo_bench.h"
#include "util/subprocess.h"

namespace {

namespace fs = std::filesystem;
using namespace spotfarm;
using Clock = std::chrono::steady_clock;

struct BenchArgs : bench::DemoArgs {
    int workers = 2;
};

struct ModeResult {
    std::string name;
    double makespan = 0;         // seconds from the first start to the last exit
    double blender_seconds = 0;  // sum of Blender's "Time:" over the frames
    int frames = 0;              // frames Blender reported done
    std::string problem;         // set when the mode did not render every frame
};

// One running command and the parser of its log.
struct Running {
    util::Subprocess child;
    blender::LogParser parser;
};

void count_frames(const std::vector<blender::LogEvent>& events, ModeResult& result) {
    for (const auto& e : events) {
        if (const auto* t = std::get_if<blender::FrameTimeEvent>(&e)) {
            result.blender_seconds += t->seconds;
            ++result.frames;
        }
    }
}

// Runs `commands` in order, at most `parallel` at once, starting the next as one ends.
ModeResult run_pool(const std::string& name, const std::vector<std::vector<std::string>>& commands,
                    int parallel) {
    ModeResult result{name};
    const auto started = Clock::now();
    std::vector<std::unique_ptr<Running>> running;
    std::size_t next = 0;
    while (result.problem.empty() && (next < commands.size() || !running.empty())) {
        while (next < commands.size() && static_cast<int>(running.size()) < parallel) {
            auto child = util::Subprocess::spawn({.argv = commands[next++]});
            if (!child) {
                result.problem = child.error().message;
                break;
            }
            running.push_back(std::make_unique<Running>(Running{std::move(child).value(), {}}));
        }
        for (auto it = running.begin(); it != running.end();) {
            Running& r = **it;
            std::vector<std::string> lines;
            r.child.read_output(lines);
            for (const auto& line : lines) count_frames(r.parser.feed(line), result);
            auto status = r.child.poll_exit();
            if (!status) {
                ++it;
                continue;
            }
            lines.clear();
            r.child.read_output(lines);
            for (const auto& line : lines) count_frames(r.parser.feed(line), result);
            count_frames(r.parser.finish(), result);
            if (!status->success()) result.problem = name + ": " + status->describe();
            it = running.erase(it);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    result.makespan = std::chrono::duration<double>(Clock::now() - started).count();
    return result;
}

blender::PlainSettings plain_settings(const BenchArgs& args, const fs::path& out, int threads) {
    return bench::demo_plain_settings(args, out, threads);
}

int usage(const std::string& why) {
    std::cerr << "bench_farm_efficiency: " << why
              << "\nusage: bench_farm_efficiency [--frames 1-24] [--percentage 25] [--workers 2] "
                 "[--scene PATH] [--blender PATH]\n";
    return 2;
}

void print_row(const ModeResult& r, double ideal) {
    if (!r.problem.empty()) {
        fmt::print("{:<20} FAILED: {}\n", r.name, r.problem);
        return;
    }
    if (r.frames == 0) {  // spotfarm's own log does not repeat Blender's lines
        fmt::print("{:<20} {:>9.1f} s {:>12.2f}x {:>16} {:>8}\n", r.name, r.makespan,
                   r.makespan / ideal, "-", "-");
        return;
    }
    fmt::print("{:<20} {:>9.1f} s {:>12.2f}x {:>14.1f} s {:>8}\n", r.name, r.makespan,
               r.makespan / ideal, r.blender_seconds, r.frames);
}

}  // namespace

int main(int argc, char** argv) {
    BenchArgs args;
    auto bad =
        bench::parse_demo_args(argc, argv, args, [&](const std::string& a, const std::string& v) {
            if (a != "--workers") return false;
            args.workers = std::max(1, std::atoi(v.c_str()));
            return true;
        });
    if (!bad.empty()) return usage(bad);
    auto frames = core::FrameSet::parse(args.frames);
    if (!frames) return usage(frames.error().message);
    const int first = frames->first();
    const int count = static_cast<int>(frames->size());
    if (frames->last() - first + 1 != count) {
        return usage("--frames must be one contiguous range, so it splits into -s/-e ranges");
    }
    if (!fs::exists(args.scene)) return usage("scene not found: " + args.scene);
    auto blender = blender::find_blender(blender::blender_search_from_env(args.blender));
    if (!blender) return usage(blender.error().message);
    auto version = blender::read_blender_version(*blender);
    blender::BlenderLaunch launch{*blender, fs::absolute(args.scene), false, true};
    const int cores = static_cast<int>(::sysconf(_SC_NPROCESSORS_ONLN));
    const int threads = std::max(1, cores / args.workers);
    const int w = args.workers;

    const fs::path root =
        fs::temp_directory_path() / fmt::format("spotfarm-farm-bench-{}", ::getpid());
    std::vector<ModeResult> results;

    std::cerr << "bench_farm_efficiency: spotfarm render..." << std::endl;
    std::vector<std::string> render = {SPOTFARM_EXE,
                                       "render",
                                       args.scene,
                                       "--frames",
                                       args.frames,
                                       "-o",
                                       (root / "spotfarm" / "f_####").string(),
                                       "--workers",
                                       std::to_string(w),
                                       "--percentage",
                                       std::to_string(args.percentage),
                                       "--device",
                                       "cpu"};
    if (!args.blender.empty()) render.insert(render.end(), {"--blender", args.blender});
    results.push_back(run_pool("spotfarm render", {render}, 1));

    std::cerr << "bench_farm_efficiency: static split..." << std::endl;
    std::vector<std::vector<std::string>> ranges;
    for (int k = 0; k < w; ++k) {
        const int a = first + count * k / w;
        const int b = first + count * (k + 1) / w - 1;
        if (a > b) continue;
        ranges.push_back(
            blender::range_command(launch, plain_settings(args, root / "static", threads), a, b));
    }
    results.push_back(run_pool("static split", ranges, w));

    std::cerr << "bench_farm_efficiency: dynamic per frame..." << std::endl;
    std::vector<std::vector<std::string>> per_frame;
    for (int f : frames->frames()) {
        per_frame.push_back(
            blender::frames_command(launch, plain_settings(args, root / "dynamic", threads), {f}));
    }
    results.push_back(run_pool("dynamic per frame", per_frame, w));
    fs::remove_all(root);

    double sum = 0;
    for (const auto& r : results) {
        if (r.frames == count && (sum == 0 || r.blender_seconds < sum)) sum = r.blender_seconds;
    }
    const double ideal = sum / w;
    fmt::print("{}, frames {} at {}%, W={} workers x {} threads, Blender {}, {} CPU cores\n",
               fs::path(args.scene).filename().string(), args.frames, args.percentage, w, threads,
               version ? version->text : "?", cores);
    fmt::print("{:<20} {:>11} {:>13} {:>16} {:>8}\n", "mode", "makespan", "vs ideal",
               "Blender Time:", "frames");
    for (const auto& r : results) print_row(r, ideal);
    fmt::print("{:<20} {:>9.1f} s {:>12.2f}x   (sum of Time: / W)\n", "ideal", ideal, 1.0);
    for (const auto& r : results) {
        if (!r.problem.empty()) return 1;
    }
    const auto& farm = results[0];
    fmt::print(
        "spotfarm render: {:.2f}x the ideal (target <= 1.10), {:.2f}x the static split, "
        "{:.2f}x the dynamic per-frame dispatch (targets < 1)\n",
        farm.makespan / ideal, farm.makespan / results[1].makespan,
        farm.makespan / results[2].makespan);
    return 0;
}
