// The invariants of a job that completed under faults.

#include <set>

#include "blender/output_validator.h"
#include "chaos.h"
#include "support/run_cli.h"

namespace spotfarm::test {

namespace fs = std::filesystem;

void ChaosTest::check(Job& job) {
    // What people see: the job completed, as `spotfarm job --json` says.
    const CliRun shown =
        run_cli({"job", std::to_string(job.id), "--json", "--manager", url(), "--token", m_people},
                std::chrono::seconds(60));
    const json view = json::parse(shown.out, nullptr, false);
    if (shown.exit_code != 0 || !view.is_object() || view.value("status", "") != "completed") {
        job.broken.push_back("`spotfarm job --json` does not say completed: " + shown.out +
                             shown.err);
    }

    // Every frame once under its own name, and nothing else: no temporary file, no copy.
    std::set<std::string> expected;
    for (int frame = 1; frame <= job.frames; ++frame) {
        expected.insert(frame_file(job, frame).filename().string());
    }
    for (const auto& name : list_dir(job.out)) {
        if (name == ".spotfarm") continue;  // the farm's own state beside the frames
        if (expected.count(name) == 0)
            job.broken.push_back("unexpected file in the output: " + name);
    }

    for (int frame = 1; frame <= job.frames; ++frame) {
        const fs::path path = frame_file(job, frame);
        const auto stamp = stamp_of(path);
        if (!stamp) {
            job.broken.push_back("frame " + std::to_string(frame) + " is missing");
            continue;
        }
        if (auto valid = blender::validate_output(path); !valid.ok()) {
            job.broken.push_back("frame " + std::to_string(frame) +
                                 " is not a valid image: " + valid.error().message);
        }
        // Written again after the manager recorded it complete: a new inode (renamed into place)
        // or a new modification time.
        auto seen = job.done.find(frame);
        if (seen == job.done.end()) {
            job.broken.push_back("frame " + std::to_string(frame) +
                                 " was never shown completed in the job's view");
        } else if (!(seen->second == *stamp)) {
            job.broken.push_back(
                "frame " + std::to_string(frame) +
                " was written again after it was completed: inode " +
                std::to_string(seen->second.inode) + " -> " + std::to_string(stamp->inode) +
                ", mtime " + std::to_string(seen->second.mtime_ns) + " -> " +
                std::to_string(stamp->mtime_ns) + "\n" + frame_history(job, frame));
        }
    }
}

}  // namespace spotfarm::test
