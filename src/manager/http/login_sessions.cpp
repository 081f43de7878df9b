#include "manager/http/login_sessions.h"

#include <algorithm>

#include "util/secret.h"

namespace spotfarm::manager::http {

LoginSessions::LoginSessions(const util::Clock& clock, std::chrono::milliseconds idle,
                             std::size_t max)
    : m_clock(clock), m_idle(idle), m_max(std::max<std::size_t>(max, 1)) {}

util::Result<std::string> LoginSessions::create() {
    forget_expired();
    while (m_last_used.size() >= m_max) {
        auto oldest =
            std::min_element(m_last_used.begin(), m_last_used.end(),
                             [](const auto& a, const auto& b) { return a.second < b.second; });
        m_last_used.erase(oldest);
    }
    auto value = util::random_hex(32);
    if (!value) return value.error();
    m_last_used.emplace(*value, m_clock.now());
    return value;
}

bool LoginSessions::touch(std::string_view value) {
    // Looked up by the value itself: a hash table's lookup time does not tell how close a guess
    // came, and 256 random bits cannot be guessed anyway.
    auto it = m_last_used.find(std::string(value));
    if (it == m_last_used.end()) return false;
    const auto now = m_clock.now();
    if (now - it->second > m_idle) {
        m_last_used.erase(it);
        return false;
    }
    it->second = now;
    return true;
}

void LoginSessions::end(std::string_view value) {
    m_last_used.erase(std::string(value));
}

void LoginSessions::forget_expired() {
    const auto now = m_clock.now();
    std::erase_if(m_last_used, [&](const auto& entry) { return now - entry.second > m_idle; });
}

}  // namespace spotfarm::manager::http
