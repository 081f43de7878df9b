#pragma once
// The queued tasks of one job, as indexes into the job's task list, handed out in frame order.
// Most tasks are handed out once, in order: a cursor covers those, so a million fresh tasks cost
// no memory; tasks that come back (retries, expired leases) sit in an ordered set before it.

#include <cstddef>
#include <optional>
#include <set>

namespace spotfarm::core {

class TaskQueue {
public:
    TaskQueue() = default;
    // `fresh`: the first `fresh` indexes are queued. Indexes at or past `fresh` are not.
    explicit TaskQueue(std::size_t fresh) : m_fresh_end(fresh) {}
    // Indexes in [fresh_begin, fresh_end) are queued; push the others.
    TaskQueue(std::size_t fresh_begin, std::size_t fresh_end)
        : m_cursor(fresh_begin), m_fresh_end(fresh_end) {}

    bool empty() const { return m_cursor >= m_fresh_end && m_back.empty(); }
    std::size_t size() const { return (m_fresh_end - m_cursor) + m_back.size(); }
    bool contains(std::size_t index) const;

    // Queues `index` (a task that came back). No-op when it is queued already.
    void push(std::size_t index);
    // Removes `index`; O(log n) for a returned task or the next fresh one. Removing a fresh task
    // further on moves the fresh tasks before it into the returned set.
    void erase(std::size_t index);
    void clear();

    // The first queued index, in order, for which `eligible(index)` holds. Fresh tasks are
    // checked too, so a caller's predicate sees every candidate.
    template <class Eligible>
    std::optional<std::size_t> first(Eligible&& eligible) const {
        auto it = m_back.begin();
        std::size_t fresh = m_cursor;
        while (it != m_back.end() || fresh < m_fresh_end) {
            std::size_t next;
            if (it != m_back.end() && (fresh >= m_fresh_end || *it < fresh)) {
                next = *it++;
            } else {
                next = fresh++;
            }
            if (eligible(next)) return next;
        }
        return std::nullopt;
    }

    // Returned tasks (not the fresh ones), in order.
    const std::set<std::size_t>& returned() const { return m_back; }

private:
    std::size_t m_cursor = 0;      // first fresh index
    std::size_t m_fresh_end = 0;   // [m_cursor, m_fresh_end) are queued
    std::set<std::size_t> m_back;  // queued indexes outside the fresh range
};

}  // namespace spotfarm::core
