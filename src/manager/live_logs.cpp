#include "manager/live_logs.h"

namespace spotfarm::manager {

void LiveLogs::append(core::TaskId task, std::string_view text) {
    if (text.empty()) return;
    if (text.size() > m_per_task) text.remove_prefix(text.size() - m_per_task);
    std::string& log = m_logs[task];
    log.append(text);
    if (log.size() > m_per_task) log.erase(0, log.size() - m_per_task);
}

std::optional<std::string> LiveLogs::tail(core::TaskId task) const {
    auto it = m_logs.find(task);
    if (it == m_logs.end()) return std::nullopt;
    return it->second;
}

}  // namespace spotfarm::manager
