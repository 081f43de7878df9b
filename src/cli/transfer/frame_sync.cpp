#include "cli/transfer/frame_sync.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>

#include "cli/client/wire_answer.h"
#include "util/file_hash.h"
#include "util/resumable_download.h"

namespace spotfarm::cli {

namespace fs = std::filesystem;

FrameSync::FrameSync(ApiClient& api, FrameSyncOptions options)
    : m_api(api), m_options(std::move(options)) {}

bool FrameSync::in_place(const protocol::FrameFile& frame) {
    {
        std::lock_guard lock(m_mutex);
        if (m_verified.contains({frame.name, frame.hash})) return true;
    }
    const fs::path path = m_options.dir / frame.name;
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    if (ec || static_cast<std::int64_t>(size) != frame.size) return false;
    auto digest = util::hash_file(path);
    if (!digest || digest->sha256 != frame.hash) return false;
    std::lock_guard lock(m_mutex);
    m_verified.insert({frame.name, frame.hash});
    return true;
}

util::Result<SyncRound> FrameSync::sync(std::int64_t job) {
    const auto started = std::chrono::steady_clock::now();
    const std::string frames_path = "/jobs/" + std::to_string(job) + "/frames";
    auto listed = get_answer<protocol::FrameFiles>(m_api, frames_path);
    if (!listed) return listed.error();
    SyncRound round;
    round.listed = listed->frames.size();
    const std::vector<protocol::FrameFile>& frames = listed->frames;

    std::mutex mutex;
    std::atomic<std::size_t> next{0};
    auto work = [&] {
        for (std::size_t i = next++; i < frames.size(); i = next++) {
            const protocol::FrameFile& frame = frames[i];
            if (auto ok = protocol::check_tree_path(frame.name); !ok) {
                std::lock_guard lock(mutex);
                round.failed.push_back({frame, "the manager named it '" + frame.name +
                                                   "', which is no path inside a folder"});
                continue;
            }
            if (in_place(frame)) {
                std::lock_guard lock(mutex);
                ++round.present;
                continue;
            }
            util::DownloadRequest request;
            request.url = m_api.config().manager_url + "/api/v1" + frames_path + "/" +
                          std::to_string(frame.frame);
            request.headers.emplace_back("Authorization", "Bearer " + m_api.config().token);
            request.dest = m_options.dir / frame.name;
            request.sha256 = frame.hash;
            request.size = frame.size;
            request.abandon = m_options.abandon;
            auto outcome = util::download_verified(m_api.http(), request);
            if (outcome) {
                std::lock_guard lock(m_mutex);
                m_verified.insert({frame.name, frame.hash});
            }
            std::lock_guard lock(mutex);
            if (!outcome) {
                round.failed.push_back({frame, outcome.error().message});
                continue;
            }
            round.bytes += outcome->bytes_fetched;
            round.downloaded.push_back(frame);
        }
    };
    const auto threads = std::clamp<std::size_t>(frames.size(), 1, std::max(1, m_options.jobs));
    std::vector<std::thread> pool;
    for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(work);
    work();
    for (auto& thread : pool) thread.join();

    auto by_frame = [](const auto& a, const auto& b) { return a.frame < b.frame; };
    std::sort(round.downloaded.begin(), round.downloaded.end(), by_frame);
    std::sort(
        round.failed.begin(), round.failed.end(),
        [](const FailedFrame& a, const FailedFrame& b) { return a.frame.frame < b.frame.frame; });
    round.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return round;
}

}  // namespace spotfarm::cli
