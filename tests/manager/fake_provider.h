#pragma once
// A Provider in memory: it "launches" instances that start as `starting`, lets a test move them
// between states, and can be told to fail or to start fewer than asked.

#include <algorithm>
#include <string>
#include <vector>

#include "providers/provider.h"
#include "util/clock.h"

namespace spotfarm::testing {

class FakeProvider final : public providers::Provider {
public:
    explicit FakeProvider(const util::Clock& clock) : m_clock(clock) {}

    std::string_view name() const override { return "fake"; }

    util::Result<providers::StartResult> start_workers(
        const providers::StartRequest& request) override {
        requests.push_back(request);
        if (fail_start) return util::make_error("no capacity anywhere");
        providers::StartResult result;
        const int count = capacity < 0 ? request.count : std::min(request.count, capacity);
        for (int i = 0; i < count; ++i) {
            providers::WorkerInstance instance;
            instance.id = "w-" + std::to_string(m_next++);
            instance.state = providers::WorkerState::starting;
            instance.kind = "c7i.4xlarge";
            instance.interruptible = true;
            instance.tags = request.tags;
            instance.started_at = m_clock.wall_now();
            instances.push_back(instance);
            result.started.push_back(instance);
        }
        if (count < request.count) result.notes.push_back("short of capacity");
        return result;
    }

    util::Result<std::vector<providers::WorkerInstance>> list_workers() override {
        ++list_calls;
        if (fail_list) return util::make_error("the cloud is unreachable");
        return instances;
    }

    util::Status stop_workers(const std::vector<std::string>& ids) override {
        for (const auto& id : ids) {
            auto* instance = find(id);
            if (!instance) return util::make_error("unknown " + id);
        }
        for (const auto& id : ids) {
            find(id)->state = providers::WorkerState::stopping;
            stop_calls.push_back(id);
        }
        return {};
    }

    util::Status stop_all() override {
        for (auto& instance : instances)
            if (instance.state != providers::WorkerState::stopped)
                instance.state = providers::WorkerState::stopping;
        return {};
    }

    util::Result<providers::CostReport> cost_so_far() override { return providers::CostReport{}; }

    providers::WorkerInstance* find(const std::string& id) {
        auto it = std::find_if(instances.begin(), instances.end(),
                               [&](const auto& i) { return i.id == id; });
        return it == instances.end() ? nullptr : &*it;
    }
    void set_state(const std::string& id, providers::WorkerState state, std::string reason = {}) {
        find(id)->state = state;
        find(id)->reason = std::move(reason);
    }
    // Ids of instances in `state`.
    std::vector<std::string> in_state(providers::WorkerState state) const {
        std::vector<std::string> ids;
        for (const auto& instance : instances)
            if (instance.state == state) ids.push_back(instance.id);
        return ids;
    }

    std::vector<providers::WorkerInstance> instances;
    std::vector<providers::StartRequest> requests;
    std::vector<std::string> stop_calls;
    int list_calls = 0;
    bool fail_start = false;
    bool fail_list = false;
    int capacity = -1;  // most instances one start gives; -1: as many as asked

private:
    const util::Clock& m_clock;
    int m_next = 1;
};

}  // namespace spotfarm::testing
