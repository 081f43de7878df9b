#include "core/changes.h"

#include <algorithm>

namespace spotfarm::core {
namespace {

template <class Id>
void note_once(std::vector<Id>& ids, Id id) {
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
}

}  // namespace

void Changes::job(JobId id) {
    note_once(updated_jobs, id);
}
void Changes::worker(WorkerId id) {
    note_once(updated_workers, id);
}

// A bulk move (cancel of a large job) lists each task once, in turn: checking the last suffices.
void Changes::task(TaskId id) {
    if (updated_tasks.empty() || updated_tasks.back() != id) updated_tasks.push_back(id);
}

bool Changes::empty() const {
    return inserted_jobs.empty() && updated_jobs.empty() && deleted_jobs.empty() &&
           updated_tasks.empty() && inserted_workers.empty() && updated_workers.empty() &&
           ended_attempts.empty() && events.empty();
}

}  // namespace spotfarm::core
