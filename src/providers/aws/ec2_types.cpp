#include "providers/aws/ec2_types.h"

namespace spotfarm::providers::aws {

namespace {

struct StateName {
    InstanceState state;
    int code;
    std::string_view name;
};

constexpr StateName k_states[] = {
    {InstanceState::pending, 0, "pending"},
    {InstanceState::running, 16, "running"},
    {InstanceState::shutting_down, 32, "shutting-down"},
    {InstanceState::terminated, 48, "terminated"},
    {InstanceState::stopping, 64, "stopping"},
    {InstanceState::stopped, 80, "stopped"},
};

}  // namespace

InstanceState instance_state_from_code(int code) {
    for (const auto& s : k_states)
        if (s.code == (code & 0xff)) return s.state;
    return InstanceState::unknown;
}

int instance_state_code(InstanceState state) {
    for (const auto& s : k_states)
        if (s.state == state) return s.code;
    return -1;
}

std::string_view to_string(InstanceState state) {
    for (const auto& s : k_states)
        if (s.state == state) return s.name;
    return "unknown";
}

std::optional<std::string> Ec2Instance::tag(std::string_view key) const {
    for (const auto& t : tags)
        if (t.key == key) return t.value;
    return std::nullopt;
}

}  // namespace spotfarm::providers::aws
