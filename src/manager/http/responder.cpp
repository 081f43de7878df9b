#include "manager/http/responder.h"

#include <optional>
#include <vector>

#include <boost/asio/steady_timer.hpp>

namespace spotfarm::manager::http {

struct Responder::State {
    explicit State(const boost::asio::any_io_executor& executor) : timer(executor) {}

    // Ends the exchange once: hands `response` (if any) to the sink, then tells the watchers.
    bool finish(std::optional<Response> response) {
        if (finished) return false;
        finished = true;
        timer.cancel();
        if (response) {
            if (sink) {
                sink(std::move(*response));
            } else {
                pending = std::move(response);
            }
        }
        auto callbacks = std::move(done_callbacks);
        done_callbacks.clear();
        for (auto& callback : callbacks) callback();
        return true;
    }

    boost::asio::steady_timer timer;
    Response on_timeout;
    std::function<void(Response)> sink;
    std::optional<Response> pending;  // answered before the sink was attached
    std::vector<std::function<void()>> done_callbacks;
    bool finished = false;
};

Responder Responder::start(const boost::asio::any_io_executor& executor,
                           std::chrono::milliseconds timeout, Response on_timeout) {
    Responder responder;
    responder.m_state = std::make_shared<State>(executor);
    State& state = *responder.m_state;
    state.on_timeout = std::move(on_timeout);
    state.timer.expires_after(timeout);
    state.timer.async_wait([state = responder.m_state](const boost::system::error_code& ec) {
        if (!ec) state->finish(std::move(state->on_timeout));
    });
    return responder;
}

bool Responder::complete(Response response) {
    return m_state && m_state->finish(std::move(response));
}

bool Responder::done() const {
    return !m_state || m_state->finished;
}

Responder Responder::hand_over(std::chrono::milliseconds timeout, Response on_timeout) {
    Responder next = start(executor(), timeout, std::move(on_timeout));
    if (!m_state || m_state->finished) {
        next.abandon();
        return next;
    }
    next.m_state->sink = std::move(m_state->sink);
    m_state->sink = nullptr;
    m_state->finish(std::nullopt);
    return next;
}

void Responder::on_done(std::function<void()> callback) {
    if (done()) {
        callback();
    } else {
        m_state->done_callbacks.push_back(std::move(callback));
    }
}

boost::asio::any_io_executor Responder::executor() const {
    return m_state ? m_state->timer.get_executor() : boost::asio::any_io_executor();
}

void Responder::attach(std::function<void(Response)> sink) {
    if (!m_state) return;
    if (m_state->pending) {
        Response response = std::move(*m_state->pending);
        m_state->pending.reset();
        sink(std::move(response));
        return;
    }
    m_state->sink = std::move(sink);
}

void Responder::abandon() {
    if (m_state) m_state->finish(std::nullopt);
}

}  // namespace spotfarm::manager::http
