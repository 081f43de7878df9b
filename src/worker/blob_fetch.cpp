#include "worker/blob_fetch.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "util/backoff.h"

namespace spotfarm::worker {

namespace {

using namespace std::chrono_literals;

// Rounds of tries for blobs the manager could not serve (no answer, 5xx), with back-off between.
constexpr int k_fetch_rounds = 6;

// What a failed fetch of `file`'s blob means for a person.
util::Error fetch_error(std::int64_t job_id, const protocol::TreeFile& file,
                        const util::Error& error, const BlobCache& cache) {
    const std::string what =
        file.path.empty() ? fmt::format("the tree of job {} (blob {})", job_id, file.hash)
                          : fmt::format("{} of job {} (blob {})", file.path, job_id, file.hash);
    switch (error.kind) {
        case util::ErrorKind::not_found:
            return util::make_error(
                fmt::format("cannot fetch {}: the manager no longer has it ({}); submit the job "
                            "again so that its files are uploaded again",
                            what, error.message),
                util::ErrorKind::not_found);
        case util::ErrorKind::unauthorized:
            return util::make_error(
                fmt::format("the manager refused {} to this worker: {}", what, error.message),
                util::ErrorKind::unauthorized);
        case util::ErrorKind::storage:
            return util::make_error(
                fmt::format("cannot store {}: {}; {}: lower --cache-size or free space on that "
                            "disk",
                            what, error.message, cache.describe()),
                util::ErrorKind::storage);
        case util::ErrorKind::unavailable:
            return util::make_error(
                fmt::format("cannot fetch {}: {}; the manager could not serve it after {} tries",
                            what, error.message, k_fetch_rounds),
                util::ErrorKind::unavailable);
        case util::ErrorKind::interrupted:
            return error;
        default:
            return util::make_error(
                fmt::format("{} arrived damaged: {}; the manager's copy may be corrupt (the "
                            "submitter can upload it again by submitting the job again)",
                            what, error.message),
                util::ErrorKind::failed);
    }
}

}  // namespace

util::Status fetch_blobs(BlobCache& cache, std::int64_t job_id,
                         std::vector<protocol::TreeFile> blobs, const FetchContext& fetch) {
    util::Backoff backoff(1s, 30s);
    const std::size_t count = blobs.size();
    const bool tree_only = count == 1 && blobs.front().path.empty();
    std::atomic<std::int64_t> over_the_wire{0};  // resumed .part bytes excluded
    auto done = [&]() -> util::Status {
        if (!tree_only) {
            spdlog::info("job {}: {} files fetched, {} over the network", job_id, count,
                         format_bytes(over_the_wire));
        }
        return {};
    };
    for (int round = 1; !blobs.empty(); ++round) {
        std::mutex mutex;
        std::condition_variable done_cv;
        std::size_t next = 0;
        int running = 0;
        std::atomic<bool> stop{false};
        std::vector<protocol::TreeFile> retry;
        std::optional<util::Error> failure;
        std::optional<util::Error> transient;  // the latest of those worth another try

        auto work = [&] {
            for (;;) {
                protocol::TreeFile file;
                {
                    std::lock_guard lock(mutex);
                    if (stop || failure || next >= blobs.size()) break;
                    file = blobs[next++];
                }
                auto got = fetch.manager.fetch_blob(file.hash, file.size, cache.path_of(file.hash));
                if (got) over_the_wire += *got;
                util::Status kept = got ? cache.added(file.hash) : util::Status(got.error());
                std::lock_guard lock(mutex);
                if (kept) continue;
                if (kept.error().kind == util::ErrorKind::unavailable) {
                    retry.push_back(file);
                    transient = kept.error();
                } else if (!failure) {
                    failure = fetch_error(job_id, file, kept.error(), cache);
                }
            }
            std::lock_guard lock(mutex);
            --running;
            done_cv.notify_all();
        };
        const int threads = static_cast<int>(std::min<std::size_t>(
            blobs.size(), static_cast<std::size_t>(std::max(1, fetch.parallel))));
        std::vector<std::thread> pool;
        running = threads;
        for (int i = 0; i < threads; ++i) pool.emplace_back(work);
        {
            std::unique_lock lock(mutex);
            while (running > 0) {
                if (done_cv.wait_for(lock, 1s, [&] { return running == 0; })) break;
                lock.unlock();
                const bool go_on = !fetch.keep_going || fetch.keep_going();
                lock.lock();
                if (!go_on) stop = true;
            }
        }
        for (auto& thread : pool) thread.join();
        if (failure) return *failure;
        if (stop) {
            return util::make_error(fmt::format("job {}: fetching stopped", job_id),
                                    util::ErrorKind::interrupted);
        }
        if (retry.empty()) return done();
        if (round >= k_fetch_rounds) return fetch_error(job_id, retry.front(), *transient, cache);
        spdlog::warn("job {}: {} blobs could not be fetched; trying again", job_id, retry.size());
        fetch.sleeper.sleep_for(backoff.next());
        if (fetch.keep_going && !fetch.keep_going()) {
            return util::make_error(fmt::format("job {}: fetching stopped", job_id),
                                    util::ErrorKind::interrupted);
        }
        blobs = std::move(retry);
    }
    return {};
}

}  // namespace spotfarm::worker
