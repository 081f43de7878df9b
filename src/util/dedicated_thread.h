#pragma once
// One thread that runs the functions handed to it, one at a time, for as long as the object
// lives. For work whose effects are tied to the calling thread, such as forking a child that
// must die with its parent (PR_SET_PDEATHSIG follows the forking thread, not the process).

#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <thread>
#include <type_traits>

namespace spotfarm::util {

class DedicatedThread {
public:
    DedicatedThread();
    ~DedicatedThread();  // runs what is queued, then joins
    DedicatedThread(const DedicatedThread&) = delete;
    DedicatedThread& operator=(const DedicatedThread&) = delete;

    // Runs `f` on the thread and returns its result; blocks until it has run.
    template <class F>
    std::invoke_result_t<F> run(F f) {
        std::packaged_task<std::invoke_result_t<F>()> task(std::move(f));
        auto result = task.get_future();
        post([&task] { task(); });
        return result.get();
    }

private:
    void post(std::function<void()> work);
    void loop();

    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<std::function<void()>> m_queue;
    bool m_stopping = false;
    std::thread m_thread;  // last: starts once the members above exist
};

}  // namespace spotfarm::util
