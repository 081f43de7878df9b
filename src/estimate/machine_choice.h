#pragma once
// Which instances a cloud render may run on, as the estimate sees it: named types, or the
// attributes a fleet describes its workers by (vCPUs, memory per vCPU, GPU), matched against the
// price table the way EC2's attribute-based selection matches its catalogue.

#include <optional>
#include <string>
#include <vector>

#include "estimate/price_table.h"
#include "util/result.h"

namespace spotfarm::estimate {

struct MachineChoice {
    std::vector<std::string> types;  // named; when empty, the attributes below
    int vcpus_min = 1;
    int vcpus_max = 0;  // 0: no upper end
    double memory_gib_per_vcpu_min = 0;
    bool gpu = false;  // GPU instances only; else none with a GPU

    // "c7i.4xlarge, c6i.4xlarge" or "16-32 vCPUs, at least 2 GiB per vCPU, no GPU".
    std::string describe() const;
};

// What the choice matches in the table, in the table's order, with the one to price the render
// with: the cheapest per instance-hour (Spot or on-demand), as EC2 Fleet's price-capacity
// strategy fills the cheapest pools first.
struct MatchedMachines {
    std::vector<InstancePrice> candidates;
    InstancePrice priced_as;
};

// A named type the table does not know, or attributes nothing in the table meets, is bad input
// whose message lists what the table holds.
util::Result<MatchedMachines> match_machines(const PriceTable& table, const MachineChoice& choice,
                                             bool on_demand);

// The candidate named `type`, or nullptr.
const InstancePrice* find_candidate(const MatchedMachines& matched, const std::string& type);

}  // namespace spotfarm::estimate
