#pragma once
// The manager as the worker loop sees it: one method per call of docs/protocol.md. ManagerClient
// speaks it over HTTP; tests give the loop a fake.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <variant>

#include "protocol/protocol.h"
#include "util/result.h"

namespace spotfarm::worker {

// A failed call's util::Error::kind says how to treat it: unavailable (no answer, or a 5xx: try
// again later), invalid (a 4xx, or an answer not understood: the same call would be refused
// again), unauthorized (401/403: the token is wrong or revoked), not_found (404/410: the manager
// does not know this worker or task, any more).
inline bool is_retryable(const util::Error& error) {
    return error.kind == util::ErrorKind::unavailable;
}

// A task handed out that this worker cannot read: it fails the attempt with `reason`, so the task
// goes back to the queue (or fails for all to see) instead of waiting out a lease.
struct UnreadableTask {
    protocol::TaskAttempt attempt;
    std::string reason;
};

// One rendered frame of a transfer job on its way to the job's output store on the manager.
struct FrameUpload {
    std::int64_t attempt_id = 0;
    int frame = 0;
    std::string name;    // its path in the output store (protocol::check_tree_path)
    std::string sha256;  // of the whole file, lower-case hex
    std::filesystem::path file;
};

// What one claim brought: no work in the wait, a task, or a task this worker cannot read.
using Claimed = std::variant<std::monostate, protocol::Assignment, UnreadableTask>;

class ManagerApi {
public:
    virtual ~ManagerApi() = default;

    // Registers with the join token; the caller then hands the secret to use_worker_secret().
    virtual util::Result<protocol::Registration> register_worker(
        const protocol::RegisterRequest& info) = 0;
    // Every later call authenticates with this worker's own secret.
    virtual void use_worker_secret(std::string secret) = 0;

    // Long-polls up to `wait` for a task; std::monostate when none came in that time.
    virtual util::Result<Claimed> claim(std::int64_t worker_id,
                                        const protocol::ClaimRequest& request,
                                        std::chrono::seconds wait) = 0;
    virtual util::Result<protocol::ProgressAnswer> progress(
        std::int64_t task_id, const protocol::ProgressReport& report) = 0;
    virtual util::Status complete(std::int64_t task_id, const protocol::CompleteReport& report) = 0;
    virtual util::Status fail(std::int64_t task_id, const protocol::FailReport& report) = 0;
    virtual util::Status release(std::int64_t task_id, const protocol::ReleaseReport& report) = 0;
    virtual util::Result<protocol::DrainAnswer> drain(std::int64_t worker_id,
                                                      const protocol::DrainRequest& request) = 0;
    virtual util::Status sign_off(std::int64_t worker_id,
                                  const protocol::SignOffRequest& request) = 0;
    // Transfer mode (docs/transfer.md). Downloads blob `hash` of `size` bytes (-1: unknown) to
    // `dest`, resuming `<dest>.part`, verified before it takes its name (util::download_verified).
    // Thread-safe: a job's blobs come a few at a time. Returns the bytes that came over the wire.
    virtual util::Result<std::int64_t> fetch_blob(const std::string& hash, std::int64_t size,
                                                  const std::filesystem::path& dest) {
        (void)hash, (void)size, (void)dest;
        return util::make_error("this manager connection cannot fetch blobs",
                                util::ErrorKind::invalid);
    }
    // PUT /tasks/{id}/frames/{frame}: done once the manager holds the frame under its name.
    // Errors: conflict (409: the attempt is no longer the task's), unavailable (no answer, 5xx,
    // 507 disk full: try again later), failed (422: the bytes did not match the hash).
    virtual util::Status upload_frame(std::int64_t task_id, const FrameUpload& upload) {
        (void)task_id, (void)upload;
        return util::make_error("this manager connection cannot upload frames",
                                util::ErrorKind::invalid);
    }
    // From now on no call waits longer than `limit` for its answer (a leaving worker's calls
    // must end inside its deadline). Implementations without timeouts ignore it.
    virtual void limit_call_time(std::chrono::milliseconds limit) { (void)limit; }
};

}  // namespace spotfarm::worker
