#pragma once
// Waiters of long-polls, woken oldest first. A waiter is a Responder plus an attempt that tries to
// answer it (a claim that looks for work): notify() gives the oldest waiters a try, and one that
// found nothing keeps its place in the line. Waiters leave the list by themselves once their
// exchange ends (answered, timed out, or the client went away). io thread only.

#include <cstddef>
#include <functional>
#include <memory>

#include "manager/http/responder.h"

namespace spotfarm::manager::http {

class Notifier {
public:
    // Tries to answer the waiter (by completing the Responder); leaving it undone keeps it waiting.
    using Attempt = std::function<void(Responder&)>;

    Notifier();
    ~Notifier();
    Notifier(const Notifier&) = delete;
    Notifier& operator=(const Notifier&) = delete;

    // Puts a waiter at the end of the line. A responder that is already done is not added.
    void wait(Responder responder, Attempt attempt);

    // Gives waiters a try, oldest first, until `count` of them were answered or each had one try;
    // returns how many were answered. Waiters added during the call wait for the next one.
    std::size_t notify(std::size_t count = 1);

    // Gives every waiter a try, oldest first; returns how many were answered.
    std::size_t notify_all();

    // Waiters in the line.
    std::size_t size() const;

private:
    struct Line;
    std::shared_ptr<Line> m_line;
};

}  // namespace spotfarm::manager::http
