#include "estimate/machine_choice.h"

#include <fmt/format.h>

namespace spotfarm::estimate {
namespace {

bool meets(const InstancePrice& i, const MachineChoice& c) {
    if (i.vcpus < c.vcpus_min || (c.vcpus_max > 0 && i.vcpus > c.vcpus_max)) return false;
    if (i.memory_gib / i.vcpus + 1e-9 < c.memory_gib_per_vcpu_min) return false;
    return c.gpu ? i.gpus > 0 : i.gpus == 0;
}

constexpr std::size_t k_types_listed = 20;

std::string listed(const PriceTable& table, bool with_sizes) {
    std::string text;
    for (std::size_t n = 0; n < table.instances.size() && n < k_types_listed; ++n) {
        const InstancePrice& i = table.instances[n];
        if (!text.empty()) text += ", ";
        text += with_sizes ? fmt::format("{} ({} vCPUs, {:g} GiB{})", i.type, i.vcpus, i.memory_gib,
                                         i.gpus ? ", GPU" : "")
                           : i.type;
    }
    if (table.instances.size() > k_types_listed)
        text += fmt::format(" and {} more", table.instances.size() - k_types_listed);
    return text;
}

}  // namespace

std::string MachineChoice::describe() const {
    if (!types.empty()) {
        std::string text;
        for (const auto& type : types) text += (text.empty() ? "" : ", ") + type;
        return text;
    }
    std::string text = vcpus_max == 0           ? fmt::format("{}+ vCPUs", vcpus_min)
                       : vcpus_max == vcpus_min ? fmt::format("{} vCPUs", vcpus_min)
                                                : fmt::format("{}-{} vCPUs", vcpus_min, vcpus_max);
    if (memory_gib_per_vcpu_min > 0)
        text += fmt::format(", at least {:g} GiB per vCPU", memory_gib_per_vcpu_min);
    text += gpu ? ", a GPU" : ", no GPU";
    return text;
}

util::Result<MatchedMachines> match_machines(const PriceTable& table, const MachineChoice& choice,
                                             bool on_demand) {
    MatchedMachines out;
    for (const auto& type : choice.types) {
        const InstancePrice* found = table.find(type);
        if (!found)
            return util::make_error(
                fmt::format("unknown instance type '{}': the price table ({}, {}) lists {}. Pick "
                            "one of these, or give a table of your own with --prices FILE",
                            type, table.source, table.generated, listed(table, false)),
                util::ErrorKind::invalid);
        out.candidates.push_back(*found);
    }
    if (choice.types.empty())
        for (const auto& instance : table.instances)
            if (meets(instance, choice)) out.candidates.push_back(instance);
    if (out.candidates.empty())
        return util::make_error(
            fmt::format("no instance in the price table ({}, {}) has {}: it lists {}. Widen "
                        "--vcpus or --memory-per-vcpu, name types with --instance-type, or give "
                        "a table of your own with --prices FILE",
                        table.source, table.generated, choice.describe(), listed(table, true)),
            util::ErrorKind::invalid);
    auto price = [on_demand](const InstancePrice& i) {
        return on_demand ? i.on_demand_usd_per_hour : i.spot_usd_per_hour();
    };
    const InstancePrice* cheapest = &out.candidates.front();
    for (const auto& candidate : out.candidates)
        if (price(candidate) < price(*cheapest)) cheapest = &candidate;
    out.priced_as = *cheapest;
    return out;
}

const InstancePrice* find_candidate(const MatchedMachines& matched, const std::string& type) {
    for (const auto& candidate : matched.candidates)
        if (candidate.type == type) return &candidate;
    return nullptr;
}

}  // namespace spotfarm::estimate
