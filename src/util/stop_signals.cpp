#include "util/stop_signals.h"

#include <atomic>

namespace spotfarm::util {

namespace {
std::atomic<int> g_signal{0};
std::atomic<int> g_count{0};
static_assert(std::atomic<int>::is_always_lock_free, "signal handlers need lock-free atomics");

extern "C" void on_stop_signal(int sig) {
    int none = 0;
    g_signal.compare_exchange_strong(none, sig);
    g_count.fetch_add(1);
}
}  // namespace

StopSignals::StopSignals() {
    g_signal = 0;
    g_count = 0;
    struct sigaction action {};
    action.sa_handler = on_stop_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;  // no SA_RESTART: a blocking poll returns at once with EINTR
    sigaction(SIGINT, &action, &m_old_int);
    sigaction(SIGTERM, &action, &m_old_term);
}

StopSignals::~StopSignals() {
    sigaction(SIGINT, &m_old_int, nullptr);
    sigaction(SIGTERM, &m_old_term, nullptr);
}

bool StopSignals::raised() const {
    return g_signal.load() != 0;
}

int StopSignals::signal() const {
    return g_signal.load();
}

const std::atomic<int>& StopSignals::count() const {
    return g_count;
}

}  // namespace spotfarm::util
