#include "manager/http/event_stream.h"

namespace spotfarm::manager::http {

bool EventStream::write(std::string_view bytes) {
    if (ended()) return false;
    if (m_queued.size() + bytes.size() > m_max_queued) {
        // Dropping bytes would break the event framing: end the stream; the browser reconnects
        // and reloads what it shows.
        m_queued.clear();
        m_closing = true;
        if (m_wake) m_wake();
        return false;
    }
    const bool was_empty = m_queued.empty();
    m_queued.append(bytes);
    if (was_empty && m_wake) m_wake();
    return true;
}

void EventStream::close() {
    if (ended()) return;
    m_closing = true;
    if (m_wake) m_wake();
}

void EventStream::on_finished(std::function<void()> callback) {
    if (m_finished) return callback();
    m_on_finished.push_back(std::move(callback));
}

std::string EventStream::take() {
    std::string bytes = std::move(m_queued);
    m_queued.clear();
    return bytes;
}

void EventStream::finish() {
    if (m_finished) return;
    m_finished = true;
    m_wake = nullptr;
    auto callbacks = std::move(m_on_finished);
    m_on_finished.clear();
    for (auto& callback : callbacks) callback();
}

}  // namespace spotfarm::manager::http
