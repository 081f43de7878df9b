#include "manager/job_warnings.h"

#include <algorithm>

namespace spotfarm::manager {

std::string cut_warning(std::string_view text, std::size_t max_bytes) {
    if (text.size() <= max_bytes) return std::string(text);
    std::size_t end = max_bytes;
    // Back to the first byte of the character that would be split (continuation: 10xxxxxx).
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    return std::string(text.substr(0, end));
}

void JobWarnings::add(core::JobId job, const std::vector<core::FrameResult>& results) {
    for (const core::FrameResult& r : results) {
        for (const std::string& warning : r.warnings) {
            auto& messages = m_jobs[job];
            const std::string message = cut_warning(warning, k_max_message_bytes);
            auto it = messages.find(message);
            if (it == messages.end()) {
                if (messages.size() >= k_max_messages) continue;
                it = messages.emplace(message, std::set<int>{}).first;
            }
            it->second.insert(r.frame);
        }
    }
}

void JobWarnings::erase(core::JobId job) {
    m_jobs.erase(job);
}

void JobWarnings::clear() {
    m_jobs.clear();
}

std::vector<JobWarning> JobWarnings::list(core::JobId job) const {
    std::vector<JobWarning> out;
    auto it = m_jobs.find(job);
    if (it == m_jobs.end()) return out;
    for (const auto& [message, frames] : it->second) {
        out.push_back(
            {message, core::FrameSet::from_frames(std::vector<int>(frames.begin(), frames.end()))});
    }
    std::stable_sort(out.begin(), out.end(), [](const JobWarning& a, const JobWarning& b) {
        return a.frames.size() > b.frames.size();
    });
    return out;
}

}  // namespace spotfarm::manager
