#include "core/task_queue.h"

namespace spotfarm::core {

bool TaskQueue::contains(std::size_t index) const {
    return (index >= m_cursor && index < m_fresh_end) || m_back.count(index) > 0;
}

void TaskQueue::push(std::size_t index) {
    if (index >= m_cursor && index < m_fresh_end) return;
    m_back.insert(index);
}

void TaskQueue::erase(std::size_t index) {
    if (index < m_cursor || index >= m_fresh_end) {
        m_back.erase(index);
        return;
    }
    if (index == m_cursor) {
        ++m_cursor;
    } else {
        // Rare (a task further on leaves the queue out of order): keep the ones before it.
        for (std::size_t i = m_cursor; i < index; ++i) m_back.insert(i);
        m_cursor = index + 1;
    }
    if (m_cursor == m_fresh_end) m_cursor = m_fresh_end = 0;
}

void TaskQueue::clear() {
    m_back.clear();
    m_cursor = m_fresh_end = 0;
}

}  // namespace spotfarm::core
