#pragma once
// The dashboard's logins. A browser that proved it holds the people token gets a random session
// value in a cookie instead of the token itself: the token never sits in a browser, a stolen
// cookie is revoked by logging out (or ends by itself when idle), and the token file can stay
// where it is. Sessions live in memory: a restarted manager asks people to log in again.

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>

#include "util/clock.h"
#include "util/result.h"

namespace spotfarm::manager::http {

class LoginSessions {
public:
    // `clock` must outlive this. A session unused for `idle` ends; at most `max` live at once
    // (the oldest used goes first).
    explicit LoginSessions(const util::Clock& clock,
                           std::chrono::milliseconds idle = std::chrono::hours(12),
                           std::size_t max = 1000);

    // A new session value (256 random bits as hex).
    util::Result<std::string> create();
    // Whether `value` is a live session; using it keeps it alive for another `idle`.
    bool touch(std::string_view value);
    // Ends the session (logout); nothing when there is none.
    void end(std::string_view value);
    std::size_t size() const { return m_last_used.size(); }

private:
    void forget_expired();

    const util::Clock& m_clock;
    std::chrono::milliseconds m_idle;
    std::size_t m_max;
    std::unordered_map<std::string, util::Clock::time_point> m_last_used;
};

}  // namespace spotfarm::manager::http
