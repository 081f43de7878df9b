#include "manager/commit_gate.h"

#include <chrono>

#include "manager/routes/route_helpers.h"

namespace spotfarm::manager {
namespace {

// The commit comes in the next turn of the loop; this only guards against a lost flush.
constexpr std::chrono::minutes k_longest_hold{5};

http::Response not_saved() {
    return routes::error_answer(util::make_error(
        "the manager could not save this change; try again", util::ErrorKind::storage));
}

}  // namespace

http::Reply CommitGate::hold(const http::Request& request, http::Reply reply) {
    auto* response = std::get_if<http::Response>(&reply);
    if (response == nullptr || !m_farm.unflushed()) return reply;
    http::Responder responder = request.defer(k_longest_hold, not_saved());
    m_held.push_back({responder, std::move(*response), {}});
    return responder;
}

void CommitGate::complete(http::Responder responder, http::Response response,
                          std::function<void()> undelivered) {
    if (!m_farm.unflushed()) {
        if (!responder.complete(std::move(response)) && undelivered) undelivered();
        return;
    }
    // Out of the waiters' line now: the answer is decided, only its sending waits.
    m_held.push_back({responder.hand_over(k_longest_hold, not_saved()), std::move(response),
                      std::move(undelivered)});
}

void CommitGate::release(const util::Status& saved) {
    std::vector<Held> held;
    held.swap(m_held);
    for (Held& h : held) {
        const bool delivered = h.responder.complete(saved ? std::move(h.response) : not_saved());
        if ((!delivered || !saved) && h.undelivered) h.undelivered();
    }
}

http::Handler CommitGate::wrap(http::Handler handler) {
    return [this, handler = std::move(handler)](http::Request& request) {
        return hold(request, handler(request));
    };
}

}  // namespace spotfarm::manager
