#pragma once
// The end of Blender's output for each task in progress, as workers stream it with their
// progress reports, so people can read a running task's log (GET /tasks/{id}). Kept in memory
// only: the log tail of a finished attempt is in its record.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/ids.h"

namespace spotfarm::manager {

class LiveLogs {
public:
    // `per_task`: how many bytes of each task's output are kept (the newest).
    explicit LiveLogs(std::size_t per_task = 8 * 1024) : m_per_task(per_task) {}

    void append(core::TaskId task, std::string_view text);
    std::optional<std::string> tail(core::TaskId task) const;
    void erase(core::TaskId task) { m_logs.erase(task); }
    std::size_t size() const { return m_logs.size(); }

private:
    std::size_t m_per_task;
    std::unordered_map<core::TaskId, std::string> m_logs;
};

}  // namespace spotfarm::manager
