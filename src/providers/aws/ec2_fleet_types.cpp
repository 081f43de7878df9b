#include "providers/aws/ec2_fleet_types.h"

namespace spotfarm::providers::aws {
namespace {

struct AllocationName {
    SpotAllocation allocation;
    std::string_view name;
};

constexpr AllocationName k_allocations[] = {
    {SpotAllocation::price_capacity_optimized, "price-capacity-optimized"},
    {SpotAllocation::capacity_optimized, "capacity-optimized"},
    {SpotAllocation::lowest_price, "lowest-price"},
};

}  // namespace

std::string_view to_string(SpotAllocation allocation) {
    for (const auto& a : k_allocations)
        if (a.allocation == allocation) return a.name;
    return "price-capacity-optimized";
}

std::optional<SpotAllocation> spot_allocation_from(std::string_view name) {
    for (const auto& a : k_allocations)
        if (a.name == name) return a.allocation;
    return std::nullopt;
}

}  // namespace spotfarm::providers::aws
