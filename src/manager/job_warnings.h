#pragma once
// The warnings of each job's rendered frames (missing files, fallbacks, another device than the
// one asked for), gathered from the workers' reports so that people see them in the job's view
// even though every frame "completed". Kept in memory, grouped by message; rebuilt from the
// stored attempts when the manager starts.

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/ids.h"
#include "core/task.h"
#include "manager/farm_types.h"

namespace spotfarm::manager {

// `text` cut to at most `max_bytes` without splitting a UTF-8 character, so what is kept still
// writes as JSON.
std::string cut_warning(std::string_view text, std::size_t max_bytes);

class JobWarnings {
public:
    // Distinct messages kept per job, and the length a message is cut to: a scene that warns on
    // every line must not grow the manager without bound.
    static constexpr std::size_t k_max_messages = 64;
    static constexpr std::size_t k_max_message_bytes = 1024;

    // Records the warnings of `results`, frames of `job`.
    void add(core::JobId job, const std::vector<core::FrameResult>& results);
    void erase(core::JobId job);
    void clear();
    // The job's warnings, those reported by the most frames first, then by message.
    std::vector<JobWarning> list(core::JobId job) const;

private:
    std::map<core::JobId, std::map<std::string, std::set<int>>> m_jobs;
};

}  // namespace spotfarm::manager
