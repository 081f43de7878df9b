#include "cli/transfer/sync_run.h"

#include <algorithm>
#include <chrono>
#include <optional>
#include <ostream>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/client/wire_answer.h"
#include "cli/common/commands.h"
#include "cli/preview/job_media_client.h"
#include "cli/transfer/byte_text.h"
#include "cli/transfer/frame_sync.h"
#include "core/job_status.h"
#include "protocol/job_summary.h"
#include "util/stop_signals.h"

namespace spotfarm::cli {

namespace {

using json = nlohmann::json;

// Between passes while following: a second, cut short by Ctrl-C.
void wait_a_moment(const util::StopSignals& stop) {
    for (int i = 0; i < 10 && !stop.raised(); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
}

json summary_json(const SyncRunOptions& o, std::size_t downloaded, std::size_t present,
                  const std::vector<FailedFrame>& failed, std::int64_t bytes, double seconds,
                  const std::string& status) {
    json failures = json::array();
    for (const auto& f : failed) {
        failures.push_back({{"frame", f.frame.frame}, {"name", f.frame.name}, {"error", f.error}});
    }
    json j = {{"job", o.job},       {"dir", o.dir.string()}, {"downloaded", downloaded},
              {"present", present}, {"failed", failures},    {"bytes", bytes},
              {"seconds", seconds}};
    if (!status.empty()) j["status"] = status;
    return j;
}

// Brings the scene's video into o.dir once the manager has made it (waiting while it makes it).
// The bytes downloaded: 0 when the job has no video, or it is here already.
util::Result<std::int64_t> sync_video(ApiClient& api, const SyncRunOptions& o,
                                      const util::StopSignals& stop) {
    auto media = wait_for_job_media(api, o.job, {}, std::chrono::milliseconds(250),
                                    [&stop] { return stop.raised(); });
    // A manager that makes no media has no video to bring.
    if (!media && media.error().kind == util::ErrorKind::not_found) return std::int64_t{0};
    if (!media) return media.error();
    if (!media->video || media->video_size <= 0) return std::int64_t{0};
    const std::filesystem::path dest = o.dir / *media->video;
    std::error_code ec;
    if (std::filesystem::file_size(dest, ec) == static_cast<std::uintmax_t>(media->video_size) &&
        !ec) {
        return std::int64_t{0};
    }
    return download_job_file(api, "/jobs/" + std::to_string(o.job) + "/video", dest);
}

}  // namespace

int run_sync(ApiClient& api, const SyncRunOptions& o, std::ostream& out, std::ostream& err) {
    util::StopSignals stop;
    FrameSync sync(api, {.dir = o.dir, .jobs = o.jobs, .abandon = [&] { return stop.raised(); }});
    const auto started = std::chrono::steady_clock::now();
    std::size_t downloaded = 0;
    std::size_t present = 0;
    std::int64_t bytes = 0;
    std::vector<FailedFrame> failed;  // of the last pass: a later pass retries them
    std::string status;
    bool finished = false;
    bool reached = false;
    for (;;) {
        auto round = sync.sync(o.job);
        if (!round) {
            // While following, a manager that went away for a moment is waited for.
            const bool transient = round.error().kind == util::ErrorKind::unavailable;
            if (!o.follow || !reached || !transient || stop.raised()) {
                err << "spotfarm sync: " << round.error().message << "\n";
                return stop.raised() ? stop.exit_code() : exit_code(round.error().kind);
            }
            wait_a_moment(stop);
            continue;
        }
        reached = true;
        // Frames this run downloaded in an earlier pass are not "already there" from before.
        present = round->present - std::min(round->present, downloaded);
        downloaded += round->downloaded.size();
        bytes += round->bytes;
        failed = round->failed;
        if (!o.json) {
            for (const auto& f : round->downloaded) {
                out << fmt::format("  frame {:>5}  {}  {}\n", f.frame, (o.dir / f.name).string(),
                                   byte_text(f.size));
            }
            out.flush();
        }
        if (!o.follow || finished || stop.raised()) break;
        if (auto job = get_answer<protocol::JobDetail>(api, "/jobs/" + std::to_string(o.job))) {
            status = std::string(core::to_string(job->summary.status));
            // One more pass after the end: the last frames arrived just before it.
            if (core::is_finished(job->summary.status)) {
                finished = true;
                continue;
            }
        }
        wait_a_moment(stop);
    }
    // The scene's video, which the manager encodes once the job completed, comes home too.
    if (!stop.raised() && (!o.follow || status == "completed")) {
        if (auto video = sync_video(api, o, stop); !video) {
            err << "spotfarm sync: the scene's video: " << video.error().message << "\n";
            if (video.error().kind != util::ErrorKind::interrupted) return k_exit_failure;
        } else if (*video > 0) {
            bytes += *video;
            if (!o.json)
                out << "  video        "
                    << "downloaded (" << byte_text(*video) << ")\n";
        }
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (o.json) {
        out << summary_json(o, downloaded, present, failed, bytes, seconds, status).dump(2) << "\n";
    } else {
        out << fmt::format("{} downloaded, {} already there, {} failed: {} in {:.1f} s ({})\n",
                           downloaded, present, failed.size(), byte_text(bytes), seconds,
                           rate_text(bytes, seconds));
    }
    for (const auto& f : failed) {
        err << fmt::format("spotfarm sync: frame {} ({}): {}\n", f.frame.frame, f.frame.name,
                           f.error);
    }
    if (stop.raised()) {
        err << fmt::format(
            "spotfarm sync: stopped following; job {} goes on. "
            "`spotfarm sync {} -o {} --follow` picks up where this stopped.\n",
            o.job, o.job, o.dir.string());
        return stop.exit_code();
    }
    if (!failed.empty()) {
        err << "spotfarm sync: running the same command again resumes the downloads.\n";
        return k_exit_failure;
    }
    if (o.follow && status != "completed") {
        err << fmt::format("spotfarm sync: job {} ended {}; its finished frames are in {}.\n",
                           o.job, status, o.dir.string());
        return k_exit_failure;
    }
    return k_exit_ok;
}

}  // namespace spotfarm::cli
