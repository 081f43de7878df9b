#pragma once
// Deferred responses, for long-polls: a handler that cannot answer yet returns a Responder and
// completes it later from the io thread (when work appears), or the Responder answers by itself
// with a prepared response when its time is up.

#include <chrono>
#include <functional>
#include <memory>
#include <variant>

#include <boost/asio/any_io_executor.hpp>

#include "manager/http/response.h"

namespace spotfarm::manager::http {

// A handle on one exchange waiting for its answer. Copies share the exchange. Every member must be
// called on the server's io thread (post there from other threads: see executor()).
// A Responder must not outlive the server whose io_context runs it.
class Responder {
public:
    // An empty handle, already done.
    Responder() = default;

    // Starts waiting: after `timeout` the exchange is answered with `on_timeout` unless it was
    // completed first. Handlers get one from Request::defer.
    static Responder start(const boost::asio::any_io_executor& executor,
                           std::chrono::milliseconds timeout, Response on_timeout);

    // Answers with `response` unless the exchange already ended (answered, timed out, or the
    // client went away); returns whether this call answered it.
    bool complete(Response response);

    // Whether the exchange ended, whichever way.
    bool done() const;

    // Ends this handle's part now, as an answer would (its watchers, such as a Notifier's line,
    // let go of it), and returns a new handle that answers the same exchange later: for an
    // answer that is decided but may not be sent yet. After `timeout` it sends `on_timeout`.
    Responder hand_over(std::chrono::milliseconds timeout, Response on_timeout);

    // Runs `callback` once the exchange ends, whichever way; at once if it already has.
    void on_done(std::function<void()> callback);

    // The io thread's executor, to post a completion from another thread.
    boost::asio::any_io_executor executor() const;

    // For the server (and tests): where the answer goes. A response given before the sink was
    // attached is handed over at once.
    void attach(std::function<void(Response)> sink);
    // For the server (and tests): the client went away; nothing will be sent.
    void abandon();

private:
    struct State;
    std::shared_ptr<State> m_state;
};

// What a handler returns: a response now, or a Responder that answers later.
using Reply = std::variant<Response, Responder>;

}  // namespace spotfarm::manager::http
