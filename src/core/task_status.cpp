#include "core/task_status.h"

#include "core/status_machine.h"

namespace spotfarm::core {
namespace {

using S = TaskStatus;
using detail::mask_of;

const detail::StatusMachine<TaskStatus, TaskTransition, k_task_status_count, 7> k_machine{
    "task",
    {{"queued", "active", "completed", "failed", "canceled"}},
    {{
        {"claim", mask_of({S::queued}), S::active},
        {"complete", mask_of({S::active, S::queued}), S::completed},
        {"retry", mask_of({S::active}), S::queued},
        {"release", mask_of({S::active}), S::queued},
        {"fail", mask_of({S::active, S::queued}), S::failed},
        {"cancel", mask_of({S::queued, S::active}), S::canceled},
        {"requeue", mask_of({S::failed, S::canceled}), S::queued},
    }},
};

}  // namespace

std::string_view to_string(TaskStatus status) {
    return k_machine.name(status);
}
std::string_view to_string(TaskTransition transition) {
    return k_machine.name(transition);
}
std::optional<TaskStatus> parse_task_status(std::string_view text) {
    return k_machine.parse(text);
}
bool allowed(TaskStatus from, TaskTransition t) {
    return k_machine.allowed(from, t);
}
util::Result<TaskStatus> apply(TaskStatus from, TaskTransition t) {
    return k_machine.apply(from, t);
}

}  // namespace spotfarm::core
