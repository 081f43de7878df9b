#pragma once
// The manager as the worker loop sees it: one method per call of docs/protocol.md. ManagerClient
// speaks it over HTTP; tests give the loop a fake.

#include <chrono>
#include <cstdint>
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
    // From now on no call waits longer than `limit` for its answer (a leaving worker's calls
    // must end inside its deadline). Implementations without timeouts ignore it.
    virtual void limit_call_time(std::chrono::milliseconds limit) { (void)limit; }
};

}  // namespace spotfarm::worker
