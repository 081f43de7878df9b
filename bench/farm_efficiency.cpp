// bench_farm_efficiency: the demo scene (uneven frames: 21-40 cost about twice the rest) on W
// local workers, and the makespan of each way to render it:
//   spotfarm render   `spotfarm render SCENE --frames F --workers W` (persistent sessions, one
//                     frame per task handed out as workers free up);
//   static split      W Blenders at once, each given one contiguous range (`-s A -e B -a`): the
//                     manual way, whose slowest range decides the end;
//   dynamic per frame one Blender per frame, W at a time (what `xargs -P W` does; --modes adds it);
//   ideal             the sum of Blender's own per-frame "Time:" divided by W, plus one Blender
//                     start-up (its start and scene load, to its first frame, while W Blenders
//                     start at once, read off the static split): perfect balance, no hand-over.
// Every Blender gets the same threads (cores / W) and CPU device. Targets: spotfarm within 10% of
// the ideal, and faster than the static split.
//
// Load only ever adds time, and a shared machine changes speed from one minute to the next. So
// --rounds N runs the modes N times, alternating which goes first, and the figures are medians
// over the rounds, each round's ratio printed beside them; the load is printed before and after.
//
// Usage: bench_farm_efficiency [--frames 1-24] [--percentage 25] [--workers 2] [--rounds 3]
//        [--modes render,static,per-frame] [--scene PATH] [--blender PATH]
// The defaults fit a 2-core machine in about a minute; `--frames 1-60 --percentage 100` is the
// whole shot.

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "bench_stats.h"
#include "blender/blender_install.h"
#include "blender/command_line.h"
#include "blender/log_parser.h"
#include "core/frame_set.h"
#include "demo_bench.h"
#include "util/subprocess.h"

using spotfarm::bench::median;

namespace {

namespace fs = std::filesystem;
using namespace spotfarm;
using Clock = std::chrono::steady_clock;

struct BenchArgs : bench::DemoArgs {
    int workers = 2;
    int rounds = 3;
    std::vector<std::string> modes = {"render", "static"};
};

struct ModeResult {
    std::string name;
    double makespan = 0;         // seconds from the first start to the last exit
    double blender_seconds = 0;  // sum of Blender's "Time:" over the frames
    double start_seconds = 0;    // mean over its Blenders: spawn to the first frame's start
    int frames = 0;              // frames Blender reported done
    std::string problem;         // set when the mode did not render every frame
};

// One running command, the parser of its log, and when its first frame began.
struct Running {
    util::Subprocess child;
    blender::LogParser parser;
    Clock::time_point spawned;
    std::optional<double> start_seconds;
};

void count_frames(const std::vector<blender::LogEvent>& events, ModeResult& result, Running& r) {
    for (const auto& e : events) {
        if (const auto* t = std::get_if<blender::FrameTimeEvent>(&e)) {
            result.blender_seconds += t->seconds;
            ++result.frames;
            if (!r.start_seconds) {
                const double now = std::chrono::duration<double>(Clock::now() - r.spawned).count();
                r.start_seconds = std::max(0.0, now - t->seconds);
            }
        }
    }
}

// Runs `commands` in order, at most `parallel` at once, starting the next as one ends.
ModeResult run_pool(const std::string& name, const std::vector<std::vector<std::string>>& commands,
                    int parallel) {
    ModeResult result{name};
    const auto started = Clock::now();
    std::vector<std::unique_ptr<Running>> running;
    std::vector<double> starts;
    std::size_t next = 0;
    while (result.problem.empty() && (next < commands.size() || !running.empty())) {
        while (next < commands.size() && static_cast<int>(running.size()) < parallel) {
            const auto spawned = Clock::now();
            auto child = util::Subprocess::spawn({.argv = commands[next++]});
            if (!child) {
                result.problem = child.error().message;
                break;
            }
            running.push_back(
                std::make_unique<Running>(Running{std::move(child).value(), {}, spawned, {}}));
        }
        for (auto it = running.begin(); it != running.end();) {
            Running& r = **it;
            std::vector<std::string> lines;
            r.child.read_output(lines);
            for (const auto& line : lines) count_frames(r.parser.feed(line), result, r);
            auto status = r.child.poll_exit();
            if (!status) {
                ++it;
                continue;
            }
            lines.clear();
            r.child.read_output(lines);
            for (const auto& line : lines) count_frames(r.parser.feed(line), result, r);
            count_frames(r.parser.finish(), result, r);
            if (r.start_seconds) starts.push_back(*r.start_seconds);
            if (!status->success()) result.problem = name + ": " + status->describe();
            it = running.erase(it);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    result.makespan = std::chrono::duration<double>(Clock::now() - started).count();
    for (double x : starts) result.start_seconds += x / static_cast<double>(starts.size());
    return result;
}

int usage(const std::string& why) {
    std::cerr << "bench_farm_efficiency: " << why
              << "\nusage: bench_farm_efficiency [--frames 1-24] [--percentage 25] [--workers 2] "
                 "[--rounds 3] [--modes render,static,per-frame] [--scene PATH] [--blender PATH]\n";
    return 2;
}

// The commands of each mode, made once.
struct Modes {
    std::vector<std::string> render;
    std::vector<std::vector<std::string>> ranges;
    std::vector<std::vector<std::string>> per_frame;
};

ModeResult run_mode(const std::string& mode, const Modes& m, const fs::path& root, int workers) {
    fs::remove_all(root);
    if (mode == "render") return run_pool("spotfarm render", {m.render}, 1);
    if (mode == "static") return run_pool("static split", m.ranges, workers);
    return run_pool("dynamic per frame", m.per_frame, workers);
}

}  // namespace

int main(int argc, char** argv) {
    BenchArgs args;
    auto bad =
        bench::parse_demo_args(argc, argv, args, [&](const std::string& a, const std::string& v) {
            if (a == "--workers") {
                args.workers = std::max(1, std::atoi(v.c_str()));
            } else if (a == "--rounds") {
                args.rounds = std::max(1, std::atoi(v.c_str()));
            } else if (a == "--modes") {
                args.modes = bench::comma_list(v);
            } else {
                return false;
            }
            return true;
        });
    if (!bad.empty()) return usage(bad);
    for (const auto& mode : args.modes) {
        if (mode != "render" && mode != "static" && mode != "per-frame") {
            return usage("unknown mode " + mode + " (render, static, per-frame)");
        }
    }
    if (std::find(args.modes.begin(), args.modes.end(), "static") == args.modes.end()) {
        return usage("--modes needs static: the ideal's start-up is read off it");
    }
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
    Modes m;
    m.render = {SPOTFARM_EXE,
                "render",
                args.scene,
                "--frames",
                args.frames,
                "-o",
                (root / "f_####").string(),
                "--workers",
                std::to_string(w),
                "--percentage",
                std::to_string(args.percentage),
                "--device",
                "cpu"};
    if (!args.blender.empty()) m.render.insert(m.render.end(), {"--blender", args.blender});
    for (int k = 0; k < w; ++k) {
        const int a = first + count * k / w;
        const int b = first + count * (k + 1) / w - 1;
        if (a > b) continue;
        m.ranges.push_back(
            blender::range_command(launch, bench::demo_plain_settings(args, root, threads), a, b));
    }
    for (int f : frames->frames()) {
        m.per_frame.push_back(
            blender::frames_command(launch, bench::demo_plain_settings(args, root, threads), {f}));
    }

    const std::string load_before = bench::load_average();
    std::map<std::string, std::vector<ModeResult>> results;
    for (int round = 1; round <= args.rounds; ++round) {
        std::vector<std::string> order = args.modes;
        if (round % 2 == 0) std::reverse(order.begin(), order.end());
        for (const auto& mode : order) {
            std::cerr << "bench_farm_efficiency: round " << round << ", " << mode << "..."
                      << std::flush;
            ModeResult r = run_mode(mode, m, root, w);
            std::cerr << fmt::format(" {:.2f} s\n", r.makespan);
            if (!r.problem.empty()) {
                fmt::print("{}: FAILED: {}\n", r.name, r.problem);
                fs::remove_all(root);
                return 1;
            }
            results[mode].push_back(std::move(r));
        }
    }
    fs::remove_all(root);

    // The ideal of each round: its static split's Blender time and start-up.
    std::vector<double> ideals;
    for (const auto& r : results["static"]) {
        ideals.push_back(r.blender_seconds / w + r.start_seconds);
    }
    auto column = [&](const std::string& mode, double ModeResult::*field) {
        std::vector<double> v;
        for (const auto& r : results[mode]) v.push_back(r.*field);
        return v;
    };
    const double ideal = median(ideals);
    fmt::print(
        "{}, frames {} at {}%, W={} workers x {} threads, Blender {}, {} CPU cores, "
        "median of {} rounds\n",
        fs::path(args.scene).filename().string(), args.frames, args.percentage, w, threads,
        version ? version->text : "?", cores, args.rounds);
    fmt::print("load before: {}, after: {}\n", load_before, bench::load_average());
    fmt::print("{:<20} {:>11} {:>10} {:>15} {:>11}\n", "mode", "makespan", "vs ideal",
               "Blender Time:", "start-up");
    for (const auto& mode : args.modes) {
        const auto& rs = results[mode];
        const double span = median(column(mode, &ModeResult::makespan));
        const double time = median(column(mode, &ModeResult::blender_seconds));
        const double start = median(column(mode, &ModeResult::start_seconds));
        if (mode == "render") {  // spotfarm's own log does not repeat Blender's lines
            fmt::print("{:<20} {:>9.2f} s {:>9.2f}x {:>15} {:>11}\n", rs[0].name, span,
                       span / ideal, "-", "-");
        } else {
            fmt::print("{:<20} {:>9.2f} s {:>9.2f}x {:>13.2f} s {:>9.2f} s\n", rs[0].name, span,
                       span / ideal, time, start);
        }
    }
    fmt::print("{:<20} {:>9.2f} s {:>9.2f}x   (Time: / W + one start-up)\n", "ideal", ideal, 1.0);
    if (!results.count("render")) return 0;

    // Each round's ratios, and their medians.
    std::vector<double> vs_ideal, vs_static;
    std::string each_ideal, each_static;
    for (int k = 0; k < args.rounds; ++k) {
        const double span = results["render"][k].makespan;
        vs_ideal.push_back(span / ideals[k]);
        vs_static.push_back(span / results["static"][k].makespan);
        each_ideal += fmt::format("{}{:.2f}", k ? " " : "", vs_ideal.back());
        each_static += fmt::format("{}{:.2f}", k ? " " : "", vs_static.back());
    }
    const double r_ideal = median(vs_ideal);
    const double r_static = median(vs_static);
    fmt::print("spotfarm render / ideal: {:.2f}x (rounds: {}; target <= 1.10: {})\n", r_ideal,
               each_ideal, r_ideal <= 1.10 ? "met" : "NOT met");
    fmt::print("spotfarm render / static split: {:.2f}x (rounds: {}; target < 1: {})\n", r_static,
               each_static, r_static < 1 ? "met" : "NOT met");
    if (results.count("per-frame")) {
        fmt::print("spotfarm render / dynamic per frame: {:.2f}x\n",
                   median(column("render", &ModeResult::makespan)) /
                       median(column("per-frame", &ModeResult::makespan)));
    }
    return 0;
}
