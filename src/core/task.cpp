#include "core/task.h"

#include <algorithm>

#include "core/errors.h"

namespace spotfarm::core {

bool Task::failed_on_worker(WorkerId w) const {
    return std::find(failed_on.begin(), failed_on.end(), w) != failed_on.end();
}

util::Status validate_results(const Task& task, std::span<const FrameResult> results) {
    std::vector<int> reported;
    reported.reserve(results.size());
    for (const FrameResult& r : results) {
        if (r.output.empty()) {
            return invalid("frame " + std::to_string(r.frame) + " has no output file");
        }
        reported.push_back(r.frame);
    }
    std::sort(reported.begin(), reported.end());
    if (std::adjacent_find(reported.begin(), reported.end()) != reported.end()) {
        return invalid("the results name a frame twice");
    }
    if (reported != task.frames.frames()) {
        return invalid("the results do not match the task's frames " + task.frames.to_string() +
                       ": report each of them once");
    }
    return {};
}

}  // namespace spotfarm::core
