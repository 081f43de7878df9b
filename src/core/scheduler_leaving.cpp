// Workers giving work back as they leave: one task (release) or for good (sign-off).
#include "core/errors.h"
#include "core/scheduler.h"

namespace spotfarm::core {

util::Result<bool> Scheduler::release(TaskId task_id, WorkerId worker_id, Changes& changes) {
    if (auto touched = touch_worker(worker_id, changes); !touched) return touched.error();
    auto [entry, task] = locate(task_id);
    if (task == nullptr) return not_found("no task " + task_id.to_string());
    if (task->status != TaskStatus::active || task->worker != worker_id) return false;
    end_lease(*task, {.outcome = AttemptOutcome::released}, changes);
    move_task(*entry, *task, TaskTransition::release, changes);
    add_event(changes, "task.release", entry->job.id, task->id, worker_id,
              "worker " + worker_id.to_string() + " gave frames " + task->frames.to_string() +
                  " back; they are queued again");
    return true;
}

util::Result<std::vector<TaskId>> Scheduler::sign_off(WorkerId worker_id, Changes& changes) {
    auto returned = drain(worker_id, changes);
    if (!returned) return returned;
    Worker& worker = m_workers.at(worker_id);
    worker.status = WorkerStatus::offline;
    changes.worker(worker_id);
    add_event(changes, "worker.sign_off", {}, {}, worker_id, "worker signed off");
    return returned;
}

}  // namespace spotfarm::core
