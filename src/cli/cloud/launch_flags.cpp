// The launch flags of `cloud up`, `render --cloud aws` and `manager --provider aws`, and the AWS
// provider's options they make.
#include <charconv>

#include <fmt/format.h>

#include "cli/cloud/cloud_context.h"

namespace spotfarm::cli {
namespace {

util::Error usage(std::string message) {
    return util::make_error(std::move(message), util::ErrorKind::invalid);
}

std::optional<int> whole(std::string_view text) {
    int value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < 1) return std::nullopt;
    return value;
}

// "16-32", "16" (exactly) or "16-" (at least).
std::optional<providers::aws::IntRange> vcpu_range(std::string_view text) {
    const auto dash = text.find('-');
    if (dash == std::string_view::npos) {
        auto exact = whole(text);
        if (!exact) return std::nullopt;
        return providers::aws::IntRange{*exact, *exact};
    }
    auto min = whole(text.substr(0, dash));
    if (!min) return std::nullopt;
    if (dash + 1 == text.size()) return providers::aws::IntRange{*min, 0};
    auto max = whole(text.substr(dash + 1));
    if (!max || *max < *min) return std::nullopt;
    return providers::aws::IntRange{*min, *max};
}

}  // namespace

void add_machine_flags(CLI::App& command, LaunchFlags& f) {
    command
        .add_option("--instance-type", f.instance_types,
                    "name the instance types the fleet may use, e.g. c7i.4xlarge,c6i.4xlarge, "
                    "instead of describing them with --vcpus/--memory-per-vcpu/--gpu")
        ->delimiter(',');
    command.add_option("--vcpus", f.vcpus,
                       "the fleet may use every current instance type with this many vCPUs, "
                       "e.g. 16-32, 16 or 16- (EC2 chooses; default: " +
                           std::string(k_default_vcpus) + ", with --gpu 4-)");
    command.add_option("--memory-per-vcpu", f.memory_per_vcpu,
                       "at least this many GiB of memory per vCPU (default: " +
                           fmt::format("{:g}", k_default_memory_per_vcpu) + "; with --gpu none)");
    command.add_flag("--gpu", f.gpu,
                     "NVIDIA GPU instances (accelerator type gpu) for Cycles on the GPU");
}

void add_launch_flags(CLI::App& command, LaunchFlags& f, bool ami_required) {
    auto* ami = command.add_option(
        "--ami", f.ami, "the AMI to boot: Debian 12 or Ubuntu 22.04+ (see docs/cloud.md)");
    if (ami_required) ami->required();
    add_machine_flags(command, f);
    command.add_option("--key-name", f.key_name, "EC2 key pair for SSH access (optional)");
    command
        .add_option("--subnet", f.subnets,
                    "subnet id, one per availability zone the fleet may use (repeatable; "
                    "default: the default VPC's)")
        ->delimiter(',');
    command.add_option("--security-group", f.security_groups, "security group id (repeatable)")
        ->delimiter(',');
    command.add_option("--iam-profile", f.iam_profile,
                       "instance profile name for the instances' own AWS access (optional)");
    command.add_flag("--on-demand", f.on_demand, "on-demand instances instead of Spot");
    command.add_flag("--no-fallback", f.no_fallback,
                     "with Spot: do not fall back to on-demand when Spot capacity is refused");
    command.add_option("--on-demand-base", f.on_demand_base,
                       "keep this many of the fleet's instances on-demand, the rest Spot (for a "
                       "render that must finish by a time)");
    command
        .add_option("--spot-strategy", f.spot_strategy,
                    "how EC2 Fleet picks Spot pools (default: price-capacity-optimized)")
        ->check(CLI::IsMember({"price-capacity-optimized", "capacity-optimized", "lowest-price"}));
    command
        .add_option("--launch-api", f.launch_api,
                    "fleet (EC2 Fleet over every type and subnet, the default) or run-instances "
                    "(one type after the other, for EC2-compatible clouds without EC2 Fleet)")
        ->check(CLI::IsMember({"fleet", "run-instances"}));
}

util::Result<std::optional<providers::aws::InstanceRequirements>> instance_requirements(
    const LaunchFlags& f) {
    const bool by_attributes = !f.vcpus.empty() || f.gpu || f.memory_per_vcpu > 0;
    if (!f.instance_types.empty()) {
        if (by_attributes)
            return usage("give --instance-type or --vcpus/--memory-per-vcpu/--gpu, not both");
        return std::optional<providers::aws::InstanceRequirements>();
    }
    // RunInstances takes names only: it keeps the built-in list of types.
    if (f.launch_api == "run-instances" && !by_attributes)
        return std::optional<providers::aws::InstanceRequirements>();
    if (f.memory_per_vcpu < 0) return usage("--memory-per-vcpu cannot be negative");
    providers::aws::InstanceRequirements needs;
    // A GPU renders the frame, so its instances' CPUs matter less: any GPU type from 4 vCPUs.
    const std::string vcpus = !f.vcpus.empty() ? f.vcpus
                              : f.gpu          ? "4-"
                                               : std::string(k_default_vcpus);
    auto range = vcpu_range(vcpus);
    if (!range)
        return usage("--vcpus takes a count or a range such as 16-32 or 16-, not '" + f.vcpus +
                     "'");
    needs.vcpus = *range;
    needs.memory_gib_per_vcpu_min = f.memory_per_vcpu > 0 ? f.memory_per_vcpu
                                    : f.gpu               ? 0
                                                          : k_default_memory_per_vcpu;
    needs.memory_mib_min = int(needs.memory_gib_per_vcpu_min * 1024 * needs.vcpus.min);
    if (f.gpu) {
        needs.gpus_min = 1;
        // Cycles renders on NVIDIA GPUs through CUDA and OptiX on every Linux build.
        needs.gpu_manufacturers = {"nvidia"};
    }
    return std::optional(needs);
}

util::Result<estimate::MachineChoice> machine_choice(const LaunchFlags& f) {
    auto needs = instance_requirements(f);
    if (!needs.ok()) return needs.error();
    estimate::MachineChoice choice;
    if (!needs->has_value()) {
        choice.types =
            f.instance_types.empty() ? providers::aws::k_default_instance_types : f.instance_types;
        return choice;
    }
    const auto& r = **needs;
    choice.vcpus_min = r.vcpus.min;
    choice.vcpus_max = r.vcpus.max;
    choice.memory_gib_per_vcpu_min = r.memory_gib_per_vcpu_min;
    choice.gpu = r.gpus_min > 0;
    return choice;
}

util::Result<providers::aws::AwsFleetOptions> aws_fleet_options(const LaunchFlags& f,
                                                                const std::string& fleet_id,
                                                                const std::string& user_data) {
    if (!f.ami.starts_with("ami-"))
        return usage(
            "--ami must name an AMI (ami-...); Debian 12 or Ubuntu 22.04+ images work, see "
            "docs/cloud.md");
    auto needs = instance_requirements(f);
    if (!needs.ok()) return needs.error();
    const bool fleet = f.launch_api != "run-instances";
    if (!fleet && needs->has_value())
        return usage(
            "--vcpus, --memory-per-vcpu and --gpu need EC2 Fleet; name types with "
            "--instance-type, or leave out --launch-api run-instances");
    if (!fleet && f.on_demand_base > 0)
        return usage("--on-demand-base needs EC2 Fleet; leave out --launch-api run-instances");
    if (f.on_demand_base < 0) return usage("--on-demand-base cannot be negative");
    if (f.on_demand && f.on_demand_base > 0)
        return usage("--on-demand-base is for Spot fleets; --on-demand makes every one on-demand");
    providers::aws::AwsFleetOptions options;
    options.fleet_id = fleet_id;
    options.image_id = f.ami;
    if (!f.instance_types.empty()) options.instance_types = f.instance_types;
    options.requirements = *needs;
    options.spot = !f.on_demand;
    options.on_demand_fallback = !f.no_fallback;
    options.on_demand_base = f.on_demand_base;
    options.spot_allocation =
        providers::aws::spot_allocation_from(f.spot_strategy)
            .value_or(providers::aws::SpotAllocation::price_capacity_optimized);
    options.launch_api =
        fleet ? providers::aws::LaunchApi::ec2_fleet : providers::aws::LaunchApi::run_instances;
    options.key_name = f.key_name;
    options.security_group_ids = f.security_groups;
    options.subnet_ids = f.subnets;
    options.iam_instance_profile = f.iam_profile;
    options.user_data = user_data;
    options.on_demand_usd_per_hour = builtin_on_demand_prices();
    return options;
}

}  // namespace spotfarm::cli
