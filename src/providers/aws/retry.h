#pragma once
// Exponential back-off with full jitter (AWS's advice for throttling and server errors); the
// waiting itself goes through util::Sleeper, so tests record delays instead of sleeping.

#include <chrono>
#include <functional>

namespace spotfarm::providers::aws {

struct RetryPolicy {
    int max_attempts = 6;  // the first try included
    std::chrono::milliseconds base_delay{250};
    std::chrono::milliseconds max_delay{20000};
};

// The pause before retry number `retry` (0 for the first retry): uniform in
// [0, min(max_delay, base_delay * 2^retry)], from `unit_random` in [0, 1).
std::chrono::milliseconds backoff_delay(const RetryPolicy& policy, int retry, double unit_random);

// A thread-safe source of uniform numbers in [0, 1), seeded from std::random_device.
std::function<double()> default_unit_random();

}  // namespace spotfarm::providers::aws
