#include "core/job.h"

#include <filesystem>
#include <numeric>

#include "core/errors.h"

namespace spotfarm::core {
namespace {

constexpr std::size_t k_max_name = 200;
constexpr std::size_t k_max_path = 4096;

bool has_parent_component(const std::string& path) {
    for (const auto& part : std::filesystem::path(path)) {
        if (part == "..") return true;
    }
    return false;
}

}  // namespace

util::Result<ValidJobSpec> validate(JobSpec spec) {
    if (spec.scene.empty()) {
        return invalid("the job has no scene: give the path of a .blend file");
    }
    if (spec.output.empty()) {
        return invalid(
            "the job has no output: give an output path such as /renders/shot/frame_####");
    }
    if (spec.scene.size() > k_max_path || spec.output.size() > k_max_path) {
        return invalid("the scene or output path is longer than 4096 characters");
    }
    if (has_parent_component(spec.output)) {
        return invalid("the output path '" + spec.output +
                       "' contains '..': give a path without parent references");
    }
    if (spec.chunk < 1) {
        return invalid("the chunk size is " + std::to_string(spec.chunk) +
                       ": give at least 1 frame per task");
    }
    if (spec.priority < k_min_priority || spec.priority > k_max_priority) {
        return invalid("the priority " + std::to_string(spec.priority) + " is out of range: give " +
                       std::to_string(k_min_priority) + " to " + std::to_string(k_max_priority));
    }
    if (spec.name.empty()) spec.name = std::filesystem::path(spec.scene).filename().string();
    if (spec.name.size() > k_max_name) {
        return invalid("the job name is longer than 200 characters");
    }
    auto frames = FrameSet::parse(spec.frames);
    if (!frames) return invalid("frames '" + spec.frames + "': " + frames.error().message);
    return ValidJobSpec{std::move(spec), std::move(frames).value()};
}

std::int64_t Job::task_count() const {
    return std::accumulate(counts.begin(), counts.end(), std::int64_t{0});
}

}  // namespace spotfarm::core
