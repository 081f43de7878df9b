#pragma once
// The manager as the worker loop sees it: one method per call of docs/protocol.md. ManagerClient
// speaks it over HTTP; tests give the loop a fake.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "core/protocol.h"
#include "util/result.h"

namespace spotfarm::worker {

// A failed call's util::Error::code says how to treat it. They are sysexits(3) values, so they
// also make sense as a process's exit code.
inline constexpr int k_call_unreachable = 75;   // EX_TEMPFAIL: no answer, or a 5xx: try again later
inline constexpr int k_call_rejected = 76;      // EX_PROTOCOL: a 4xx, or an answer not understood:
                                                // the same call would be refused again
inline constexpr int k_call_unauthorized = 77;  // EX_NOPERM: 401/403, the token is wrong or revoked
inline constexpr int k_call_not_found = 67;     // EX_NOUSER: 404/410, the manager does not know
                                                // this worker or task (any more)

inline bool is_retryable(const util::Error& error) {
    return error.code == k_call_unreachable;
}

class ManagerApi {
public:
    virtual ~ManagerApi() = default;

    // Registers with the join token; the caller then hands the secret to use_worker_secret().
    virtual util::Result<core::Registration> register_worker(const core::RegisterRequest& info) = 0;
    // Every later call authenticates with this worker's own secret.
    virtual void use_worker_secret(std::string secret) = 0;

    // Long-polls up to `wait` for a task; nothing when none came in that time.
    virtual util::Result<std::optional<core::Assignment>> claim(std::int64_t worker_id,
                                                                const core::ClaimRequest& request,
                                                                std::chrono::seconds wait) = 0;
    virtual util::Result<core::ProgressAnswer> progress(std::int64_t task_id,
                                                        const core::ProgressReport& report) = 0;
    virtual util::Status complete(std::int64_t task_id, const core::CompleteReport& report) = 0;
    virtual util::Status fail(std::int64_t task_id, const core::FailReport& report) = 0;
    virtual util::Status release(std::int64_t task_id, const core::ReleaseReport& report) = 0;
    virtual util::Result<core::DrainAnswer> drain(std::int64_t worker_id,
                                                  const core::DrainRequest& request) = 0;
    virtual util::Status sign_off(std::int64_t worker_id, const core::SignOffRequest& request) = 0;
};

}  // namespace spotfarm::worker
