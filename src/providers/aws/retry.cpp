#include "providers/aws/retry.h"

#include <algorithm>
#include <memory>
#include <mutex>
#include <random>

namespace spotfarm::providers::aws {

std::chrono::milliseconds backoff_delay(const RetryPolicy& policy, int retry, double unit_random) {
    const double ceiling = std::min<double>(
        double(policy.max_delay.count()),
        double(policy.base_delay.count()) * double(uint64_t{1} << std::clamp(retry, 0, 40)));
    const double unit = std::clamp(unit_random, 0.0, 1.0);
    return std::chrono::milliseconds(static_cast<long long>(ceiling * unit));
}

std::function<double()> default_unit_random() {
    struct State {
        std::mutex mutex;
        std::mt19937_64 engine{std::random_device{}()};
        std::uniform_real_distribution<double> uniform{0.0, 1.0};
    };
    auto state = std::make_shared<State>();
    return [state] {
        std::lock_guard lock(state->mutex);
        return state->uniform(state->engine);
    };
}

}  // namespace spotfarm::providers::aws
