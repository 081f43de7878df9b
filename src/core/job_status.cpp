#include "core/job_status.h"

#include "core/status_machine.h"

namespace spotfarm::core {
namespace {

using S = JobStatus;
using detail::mask_of;

const detail::StatusMachine<JobStatus, JobTransition, 6, 7> k_machine{
    "job",
    {{"queued", "active", "paused", "completed", "failed", "canceled"}},
    {{
        {"start", mask_of({S::queued}), S::active},
        {"pause", mask_of({S::queued, S::active}), S::paused},
        {"resume", mask_of({S::paused}), S::queued},
        {"complete", mask_of({S::queued, S::active, S::paused}), S::completed},
        {"fail", mask_of({S::queued, S::active, S::paused}), S::failed},
        {"cancel", mask_of({S::queued, S::active, S::paused, S::failed}), S::canceled},
        {"requeue", mask_of({S::failed, S::canceled}), S::queued},
    }},
};

}  // namespace

std::string_view to_string(JobStatus status) {
    return k_machine.name(status);
}
std::string_view to_string(JobTransition transition) {
    return k_machine.name(transition);
}
std::optional<JobStatus> parse_job_status(std::string_view text) {
    return k_machine.parse(text);
}
bool allowed(JobStatus from, JobTransition t) {
    return k_machine.allowed(from, t);
}
util::Result<JobStatus> apply(JobStatus from, JobTransition t) {
    return k_machine.apply(from, t);
}

}  // namespace spotfarm::core
