#pragma once
// What the API's handlers share. The manager service owns one and keeps it alive as long as its
// server runs; every handler runs on the server's io thread, which is the only thread that touches
// the Farm and everything here, except the blob store (thread-safe), which the disk pool's work
// uses too (routes/disk_work.h).

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/thread_pool.hpp>

#include "core/ids.h"
#include "manager/blob_store.h"
#include "manager/commit_gate.h"
#include "manager/farm.h"
#include "manager/farm_metrics.h"
#include "manager/fleet_view.h"
#include "manager/http/auth.h"
#include "manager/http/login_sessions.h"
#include "manager/http/notifier.h"
#include "manager/live_logs.h"
#include "manager/media_jobs.h"
#include "manager/routes/event_feed.h"
#include "manager/worker_keys.h"
#include "protocol/protocol.h"
#include "util/clock.h"
#include "util/self_executable.h"

namespace spotfarm::manager::routes {

struct ApiContext {
    explicit ApiContext(Farm& f) : farm(f), commits(f), feed(f) {}

    Farm& farm;
    CommitGate commits;     // answers that wait for the farm's group commit
    WorkerKeys keys;        // bearer secret -> worker, for the authenticator
    http::Notifier claims;  // workers waiting in POST /workers/{id}/claim
    // Set when the farm is closing: claims are answered "no work" at once, so workers told to
    // stop are not held in a long-poll.
    bool claims_closed = false;
    http::Notifier event_waiters;  // clients waiting in GET /events?wait=S
    EventFeed feed;                // browsers following GET /events as server-sent events
    // The dashboard's login (routes/login.cpp): which token opens it, and its sessions.
    const http::Authenticator* auth = nullptr;
    http::LoginSessions logins{util::steady_clock()};
    std::filesystem::path thumbs;  // <state>/thumbs: job-<id>/<frame>.jpg (routes/thumbnails.h)
    // Each finished frame's figures, by job (routes/frame_stats.cpp).
    struct FrameStat {
        double render_seconds = 0;
        std::int64_t peak_memory_bytes = 0;
        std::int64_t worker = 0;
        int attempts = 0;
    };
    std::unordered_map<core::JobId, std::map<int, FrameStat>> frame_stats;
    std::size_t thumbnails_pending = 0;      // on the disk pool now
    boost::asio::any_io_executor disk_done;  // the io thread, where disk work reports back
    LiveLogs logs;                           // the end of Blender's output of each task in progress
    // Each job's settings as workers get them, parsed once per job.
    std::unordered_map<core::JobId, core::JobSettings> job_settings;

    std::chrono::milliseconds max_claim_wait{std::chrono::seconds(60)};
    std::chrono::milliseconds max_events_wait{std::chrono::seconds(60)};
    // What GET /download/spotfarm serves: this program, for workers on other machines.
    // and the frame-check module beside it (blender/frame_decoder.h), which workers load.
    std::filesystem::path executable = util::self_executable();
    std::shared_ptr<const std::string> executable_bytes;  // read at the first download
    std::filesystem::path frame_check_module;             // empty: beside `executable`
    std::shared_ptr<const std::string> frame_check_bytes;
    // Answers of one download being sent at once; more are told to come back (503).
    std::size_t max_downloads = 8;
    FleetView* fleet = nullptr;
    // What GET /metrics tells of the farm besides its state (farm_metrics.h).
    FarmCounters counters;
    // Videos and previews of jobs, made on a thread of its own (media_jobs.h).
    std::unique_ptr<MediaJobs> media;  // the fleet runner, when the manager runs a fleet

    // Transfer mode (docs/transfer.md).
    std::unique_ptr<BlobStore> blobs;  // <state>/blobs; set by the manager service
    std::filesystem::path outputs;     // <state>/outputs: job-<id>/<name>
    // The blobs each job's workers may read (its tree blob and every blob the tree lists; none
    // for a shared-mode job), read once per job.
    std::unordered_map<core::JobId, std::shared_ptr<const std::unordered_set<std::string>>>
        job_blobs;
    // Hashes and writes large bodies, and walks many files, off the io thread. Last, so it is
    // joined before anything its work uses goes away.
    std::unique_ptr<boost::asio::thread_pool> disk;
};

}  // namespace spotfarm::manager::routes
