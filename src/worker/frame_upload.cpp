#include "worker/frame_upload.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "util/backoff.h"
#include "util/file_hash.h"
#include "util/seconds.h"

namespace spotfarm::worker {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

UploadOutcome upload_frame_file(const UploadContext& context, std::int64_t task_id,
                                std::int64_t attempt_id, int frame, const std::string& name,
                                const fs::path& file) {
    UploadOutcome outcome;
    util::Backoff backoff(1s, 30s, context.seed);
    const auto start = context.clock.now();
    int mismatches = 0;
    FrameUpload upload{attempt_id, frame, name, {}, file};
    for (;;) {
        if (upload.sha256.empty()) {
            auto digest = util::hash_file(file);
            if (!digest) {
                outcome.end = UploadEnd::failed;
                outcome.error =
                    util::make_error(fmt::format("frame {} cannot be read for its upload: {}",
                                                 frame, digest.error().message),
                                     util::ErrorKind::failed);
                return outcome;
            }
            upload.sha256 = digest->sha256;
        }
        ++outcome.tries;
        util::Status sent = context.manager.upload_frame(task_id, upload);
        if (sent) {
            std::error_code ec;
            fs::remove(file, ec);
            if (ec)
                spdlog::warn("cannot remove {} after its upload: {}", file.string(), ec.message());
            outcome.end = UploadEnd::kept;
            return outcome;
        }
        const util::Error& error = sent.error();
        switch (error.kind) {
            case util::ErrorKind::conflict:
            case util::ErrorKind::not_found:
                spdlog::warn(
                    "task {}: frame {} not taken: {}; the attempt is no longer this "
                    "worker's",
                    task_id, frame, error.message);
                outcome.end = UploadEnd::gone;
                outcome.error = error;
                return outcome;
            case util::ErrorKind::unavailable:
                break;
            case util::ErrorKind::failed:
                // 422: the bytes that arrived were not the ones hashed. The file may have changed
                // under us or been cut on the way: hash it again and send it again, a few times.
                if (++mismatches < context.hash_mismatch_tries) {
                    upload.sha256.clear();
                    break;
                }
                [[fallthrough]];
            default:
                outcome.end = UploadEnd::failed;
                outcome.error =
                    util::make_error(fmt::format("the manager refused frame {} ({}): {}", frame,
                                                 name, error.message),
                                     error.kind);
                return outcome;
        }
        const auto waited = context.clock.now() - start;
        if (waited >= context.give_up_after) {
            outcome.end = UploadEnd::failed;
            outcome.error = util::make_error(
                fmt::format("frame {} ({}) could not be uploaded in {} s: {}; the task goes back "
                            "to the manager to be rendered again",
                            frame, name, util::whole_seconds(waited), error.message),
                util::ErrorKind::unavailable);
            return outcome;
        }
        if (backoff.failures() == 0) {
            spdlog::warn("task {}: frame {} upload: {}; trying again", task_id, frame,
                         error.message);
        }
        if (context.must_stop && context.must_stop()) {
            outcome.end = UploadEnd::stopped;
            return outcome;
        }
        context.sleeper.sleep_for(backoff.next());
        if (context.must_stop && context.must_stop()) {
            outcome.end = UploadEnd::stopped;
            return outcome;
        }
        if (context.still_ours && !context.still_ours()) {
            outcome.end = UploadEnd::gone;
            outcome.error =
                util::make_error("the task is no longer this worker's", util::ErrorKind::conflict);
            return outcome;
        }
    }
}

}  // namespace spotfarm::worker
