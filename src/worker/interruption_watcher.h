#pragma once
// A platform's notice that this machine is about to be taken away (EC2 Spot's instance-action,
// or its rebalance recommendation). The AWS watcher implements it; tests use a fake.

#include <chrono>
#include <optional>

namespace spotfarm::worker {

struct InterruptionNotice {
    enum class Kind {
        none,
        rebalance,     // a hint: take no more work here
        interruption,  // the machine goes at `deadline`
    };
    Kind kind = Kind::none;
    std::optional<std::chrono::system_clock::time_point> deadline;  // for interruption
};

class InterruptionWatcher {
public:
    virtual ~InterruptionWatcher() = default;
    // Asks the platform once. A failure to ask reads as none (and is logged by the watcher).
    virtual InterruptionNotice poll() = 0;
    // How often poll() is meant to be called (AWS suggests every 5 seconds).
    virtual std::chrono::seconds interval() const { return std::chrono::seconds(5); }
};

}  // namespace spotfarm::worker
