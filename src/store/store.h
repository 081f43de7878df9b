#pragma once
// The farm's state on disk: one SQLite database in WAL mode. The only SQL in the tree lives in
// src/store/.
//
// The scheduler in memory is the working copy; the store is the truth a restart rebuilds it from.
// commit() writes what one transition changed in ONE transaction, so a manager killed at any
// instant restarts from a state some transition left, never from half of one.
// synchronous=NORMAL: a committed transaction survives the process being killed; a power cut may
// lose the last few, which a worker then renders again.
//
// Not thread-safe: one thread owns a Store.

#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/attempt.h"
#include "core/changes.h"
#include "core/event.h"
#include "core/scheduler.h"
#include "util/result.h"

namespace spotfarm::store {

// A frame of a transfer job that the manager holds in its output store (docs/transfer.md).
struct FrameFileRow {
    core::JobId job;
    int frame = 0;
    core::TaskId task;  // whose attempt uploaded it
    std::string name;   // path in the job's output store
    std::int64_t size = 0;
    std::string sha256;

    bool operator==(const FrameFileRow&) const = default;
};

class Store {
public:
    // Opens or creates the database at `file` and brings its schema up to date.
    static util::Result<std::unique_ptr<Store>> open(const std::filesystem::path& file);
    ~Store();
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;

    // Writes what `changes` names in one transaction, reading the rows as they are now from
    // `state`; nothing is written when it fails.
    util::Status commit(const core::Changes& changes, const core::Scheduler& state);

    // Group commit: between begin_batch() and end_batch(), commit() writes into one open
    // transaction, so many transitions share one commit. Nothing in a batch is saved until
    // end_batch() succeeds; abort_batch() (or closing the store) drops all of it.
    util::Status begin_batch();
    util::Status end_batch();
    void abort_batch();
    bool in_batch() const { return m_in_batch; }

    // Everything a scheduler needs to restore itself.
    util::Result<core::SchedulerRecords> load();

    // The attempts at a task that ended, oldest first (a running one is in the task).
    util::Result<std::vector<core::Attempt>> attempts_of(core::TaskId task);
    // The frames of ended attempts that carry warnings, by job: what a manager shows as each
    // job's warnings after a restart.
    util::Result<std::vector<std::pair<core::JobId, std::vector<core::FrameResult>>>>
    results_with_warnings();
    // The latest ended attempt of `worker` at `task`, if it had one.
    util::Result<std::optional<core::AttemptId>> latest_attempt(core::TaskId task,
                                                                core::WorkerId worker);
    // Events with an id above `after`, oldest first, at most `limit`.
    util::Result<std::vector<core::Event>> events_since(core::EventId after, std::size_t limit);
    // When `job` last completed, failed or was canceled (Unix ms, from its events); nullopt
    // when it never did.
    util::Result<std::optional<std::int64_t>> job_finished_ms(core::JobId job);

    // Records a frame's file, replacing the row of an earlier upload of the same frame. Inside a
    // batch it is saved with the batch.
    util::Status put_frame_file(const FrameFileRow& row);
    // The frames of `job` the output store holds, by frame.
    util::Result<std::vector<FrameFileRow>> frame_files(core::JobId job);
    // One frame's row, if there is one.
    util::Result<std::optional<FrameFileRow>> frame_file(core::JobId job, int frame);

    util::Result<int> schema_version();
    const std::filesystem::path& file() const { return m_file; }

    struct Connection;  // the database and its prepared statements

private:
    Store(std::filesystem::path file, std::unique_ptr<Connection> connection);

    std::filesystem::path m_file;
    std::unique_ptr<Connection> m_c;
    bool m_in_batch = false;
};

}  // namespace spotfarm::store
