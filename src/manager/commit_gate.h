#pragma once
// Answers that wait for the Farm's group commit: a handler's answer to a transition goes out only
// after the transaction holding it is committed, so a worker told "done" can rely on it, while
// every transition in one turn of the io loop shares one commit. io thread only.

#include <functional>
#include <utility>
#include <vector>

#include "manager/farm.h"
#include "manager/http/request.h"
#include "manager/http/responder.h"
#include "manager/http/router.h"

namespace spotfarm::manager {

class CommitGate {
public:
    explicit CommitGate(const Farm& farm) : m_farm(farm) {}

    // `reply` as it is when nothing waits for a commit; else a Responder that gives the same
    // answer after the commit (or a 503 when it failed).
    http::Reply hold(const http::Request& request, http::Reply reply);
    // Completes `responder` with `response` after the commit; `undelivered` runs when the client
    // went away before (or the commit failed), so what it was given can be taken back.
    void complete(http::Responder responder, http::Response response,
                  std::function<void()> undelivered = {});
    // After Farm::flush(): sends what waited, or 503 when `saved` is an error.
    void release(const util::Status& saved);
    // A handler that passes its replies through hold().
    http::Handler wrap(http::Handler handler);

private:
    struct Held {
        http::Responder responder;
        http::Response response;
        std::function<void()> undelivered;
    };
    const Farm& m_farm;
    std::vector<Held> m_held;
};

}  // namespace spotfarm::manager
