#include "manager/http/notifier.h"

#include <cstdint>
#include <limits>
#include <map>

namespace spotfarm::manager::http {

// Ordered by arrival, so the first entry is the oldest waiter.
struct Notifier::Line {
    struct Waiter {
        Responder responder;
        Attempt attempt;
    };
    std::map<std::uint64_t, Waiter> waiters;
    std::uint64_t next_ticket = 0;
};

Notifier::Notifier() : m_line(std::make_shared<Line>()) {}

Notifier::~Notifier() = default;

void Notifier::wait(Responder responder, Attempt attempt) {
    if (responder.done()) return;
    std::uint64_t ticket = m_line->next_ticket++;
    // The responder's done-callback removes the waiter; a weak link lets the Notifier go first.
    responder.on_done([line = std::weak_ptr<Line>(m_line), ticket] {
        if (auto alive = line.lock()) alive->waiters.erase(ticket);
    });
    m_line->waiters.emplace(ticket, Line::Waiter{std::move(responder), std::move(attempt)});
}

std::size_t Notifier::notify(std::size_t count) {
    std::size_t answered = 0;
    if (count == 0 || m_line->waiters.empty()) return 0;
    // Keep the line alive even if an attempt destroys this Notifier's owner.
    std::shared_ptr<Line> line = m_line;
    const std::uint64_t last = line->next_ticket;
    auto it = line->waiters.begin();
    while (it != line->waiters.end() && it->first < last && answered < count) {
        const std::uint64_t ticket = it->first;
        // Copies: answering erases the entry (through on_done) while the attempt still runs.
        Responder responder = it->second.responder;
        Attempt attempt = it->second.attempt;
        attempt(responder);
        if (responder.done()) ++answered;
        it = line->waiters.upper_bound(ticket);
    }
    return answered;
}

std::size_t Notifier::notify_all() {
    return notify(std::numeric_limits<std::size_t>::max());
}

std::size_t Notifier::size() const {
    return m_line->waiters.size();
}

}  // namespace spotfarm::manager::http
