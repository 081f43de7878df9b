#pragma once
// A response that never ends by itself: server-sent events (text/event-stream). A handler answers
// with Response::stream(...); the server writes the header at once and then whatever the stream
// is given, as it is given, until the stream is closed or the client leaves. io thread only.

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace spotfarm::manager::http {

class EventStream {
public:
    // A slow client that lets more than `max_queued` bytes pile up is cut off.
    explicit EventStream(std::size_t max_queued = 4 << 20) : m_max_queued(max_queued) {}
    EventStream(const EventStream&) = delete;
    EventStream& operator=(const EventStream&) = delete;

    // Queues `bytes` for the client. False when the stream has ended (or ends now, because the
    // client does not keep up).
    bool write(std::string_view bytes);
    // Ends the response once what is queued was sent.
    void close();
    // Whether it ended or is ending: nothing more will reach the client.
    bool ended() const { return m_closing || m_finished; }
    // Runs `callback` once the connection is gone (closed, cut off, or the client left).
    void on_finished(std::function<void()> callback);

    // For the server: called when bytes are queued or the stream is closed.
    void set_wake(std::function<void()> wake) { m_wake = std::move(wake); }
    // For the server: the bytes queued so far (and none afterwards).
    std::string take();
    bool closing() const { return m_closing; }
    // For the server: the connection is gone.
    void finish();

private:
    std::size_t m_max_queued;
    std::string m_queued;
    bool m_closing = false;
    bool m_finished = false;
    std::function<void()> m_wake;
    std::vector<std::function<void()>> m_on_finished;
};

}  // namespace spotfarm::manager::http
