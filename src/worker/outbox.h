#pragma once
// Reports the manager has not taken yet, kept on disk so that finished frames outlive a manager
// that is down and a worker that is restarted: one JSON file per report, written atomically
// before add() returns (kept through a crash of the process, not of the machine: see add()),
// delivered oldest first, removed once delivered. Delivering one twice is safe: the manager
// treats a repeat of the same attempt's report as done already.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string_view>
#include <variant>
#include <vector>

#include "protocol/protocol.h"
#include "util/result.h"
#include "util/unique_fd.h"

namespace spotfarm::worker {

using Report =
    std::variant<protocol::CompleteReport, protocol::FailReport, protocol::ReleaseReport>;

std::string_view report_kind(const Report& report);  // "complete", "fail", "release"
std::int64_t report_worker_id(const Report& report);
std::int64_t report_attempt_id(const Report& report);

struct PendingReport {
    std::uint64_t seq = 0;  // order of adding
    std::int64_t task_id = 0;
    Report report;
};

class Outbox {
public:
    // Opens (creating) the folder and locks it: one worker process per outbox. Files that cannot
    // be read back are moved to refused/ with a warning; leftovers of interrupted writes removed.
    static util::Result<std::unique_ptr<Outbox>> open(const std::filesystem::path& dir);
    ~Outbox();
    Outbox(const Outbox&) = delete;
    Outbox& operator=(const Outbox&) = delete;

    // On disk, whole, once it returns success: it survives this process, not a crash of the
    // machine (the frames it reports are not fsync'd either).
    util::Status add(std::int64_t task_id, Report report);
    // Oldest first.
    const std::vector<PendingReport>& pending() const { return m_pending; }
    bool empty() const { return m_pending.empty(); }
    // Delivered: the file is removed.
    util::Status remove(std::uint64_t seq);
    // Refused by the manager: moved to refused/ with `why`, for a person to look at, and never
    // sent again.
    util::Status set_aside(std::uint64_t seq, std::string_view why);

    const std::filesystem::path& dir() const { return m_dir; }
    std::filesystem::path refused_dir() const { return m_dir / "refused"; }

private:
    Outbox(std::filesystem::path dir, util::UniqueFd lock);
    util::Status load();
    std::filesystem::path file_of(const PendingReport& report) const;

    std::filesystem::path m_dir;
    util::UniqueFd m_lock;  // held (flock) while this outbox is open
    std::uint64_t m_next_seq = 1;
    std::vector<PendingReport> m_pending;
};

}  // namespace spotfarm::worker
