// The EC2 Fleet part of the EC2 stand-in: launch templates, capacity pools and instant fleets.
#include <algorithm>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <tuple>

#include "support/fake_ec2.h"
#include "support/fake_ec2_wire.h"

namespace spotfarm::testing {
namespace {

namespace aws = providers::aws;
using namespace fake_ec2_wire;

constexpr std::string_view k_template_prefix =
    "LaunchTemplateConfigs.1.LaunchTemplateSpecification";
constexpr std::string_view k_overrides = "LaunchTemplateConfigs.1.Overrides.";

FakeEc2::TypeInfo type(std::string name, int vcpus, int memory_gib, int gpus = 0,
                       bool burstable = false) {
    return {std::move(name), vcpus, memory_gib * 1024, gpus, gpus ? "nvidia" : "", burstable};
}

// A number of the form EC2 sends, or `fallback` when absent.
std::optional<double> number(const fake_ec2_wire::Params& p, const std::string& key,
                             double fallback) {
    const std::string text = get(p, key);
    if (text.empty()) return fallback;
    char* end = nullptr;
    const double value = std::strtod(text.c_str(), &end);
    if (end == text.c_str() || *end != '\0' || value < 0) return std::nullopt;
    return value;
}

// Whether `t` meets the InstanceRequirements under `prefix`; an error message when they are
// malformed.
std::optional<std::string> requirements_error(const fake_ec2_wire::Params& p,
                                              const std::string& prefix) {
    for (const char* required : {".VCpuCount.Min", ".MemoryMiB.Min"})
        if (get(p, prefix + required).empty())
            return std::string("The request must contain the parameter ") + prefix + required;
    for (const auto& [key, value] : p)
        if (key.starts_with(prefix) && key.ends_with(".Min") && !number(p, key, 0))
            return "The value '" + value + "' of " + key + " is not a number";
    const std::string burst = get(p, prefix + ".BurstablePerformance");
    if (!burst.empty() && burst != "included" && burst != "excluded" && burst != "required")
        return "BurstablePerformance must be included, required or excluded";
    for (const auto& kind : numbered(p, prefix + ".AcceleratorType"))
        if (kind != "gpu" && kind != "fpga" && kind != "inference")
            return "'" + kind + "' is not an accelerator type";
    return std::nullopt;
}

bool meets(const FakeEc2::TypeInfo& t, const fake_ec2_wire::Params& p, const std::string& prefix) {
    auto in = [&](const std::string& what, double value) {
        const double min = *number(p, prefix + "." + what + ".Min", 0);
        const double max = *number(p, prefix + "." + what + ".Max", 0);
        return value >= min && (max == 0 || value <= max);
    };
    const double gib_per_vcpu = double(t.memory_mib) / 1024 / t.vcpus;
    if (!in("VCpuCount", t.vcpus) || !in("MemoryMiB", t.memory_mib) ||
        !in("MemoryGiBPerVCpu", gib_per_vcpu))
        return false;
    const auto accelerators = numbered(p, prefix + ".AcceleratorType");
    const bool wants_gpu =
        std::find(accelerators.begin(), accelerators.end(), "gpu") != accelerators.end();
    if (wants_gpu ? t.gpus == 0 : t.gpus > 0) return false;
    if (wants_gpu && !in("AcceleratorCount", t.gpus)) return false;
    const auto makers = numbered(p, prefix + ".AcceleratorManufacturer");
    if (!makers.empty() && std::find(makers.begin(), makers.end(), t.gpu_maker) == makers.end())
        return false;
    const std::string burst = get(p, prefix + ".BurstablePerformance");
    if (burst == "excluded" && t.burstable) return false;
    if (burst == "required" && !t.burstable) return false;
    return true;
}

void add_pool(pugi::xml_node item, const std::string& template_name, const std::string& type,
              const std::string& subnet, const std::string& zone) {
    auto both = item.append_child("launchTemplateAndOverrides");
    auto spec = both.append_child("launchTemplateSpecification");
    spec.append_child("launchTemplateName").text() = template_name.c_str();
    spec.append_child("version").text() = "1";
    auto overrides = both.append_child("overrides");
    overrides.append_child("instanceType").text() = type.c_str();
    if (!subnet.empty()) overrides.append_child("subnetId").text() = subnet.c_str();
    overrides.append_child("availabilityZone").text() = zone.c_str();
}

}  // namespace

std::vector<FakeEc2::TypeInfo> FakeEc2::default_catalog() {
    return {type("c7i.large", 2, 4),
            type("c7i.xlarge", 4, 8),
            type("c7i.2xlarge", 8, 16),
            type("c7i.4xlarge", 16, 32),
            type("c7i.8xlarge", 32, 64),
            type("c6i.4xlarge", 16, 32),
            type("c6a.4xlarge", 16, 32),
            type("m7i.4xlarge", 16, 64),
            type("m7i.8xlarge", 32, 128),
            type("r7i.4xlarge", 16, 128),
            type("t3.2xlarge", 8, 32, 0, true),
            type("g5.4xlarge", 16, 64, 1),
            type("g6.4xlarge", 16, 64, 1)};
}

void FakeEc2::add_subnet(std::string subnet_id, std::string zone) {
    std::lock_guard lock(m_mutex);
    m_subnets[std::move(subnet_id)] = std::move(zone);
}

void FakeEc2::set_pool_capacity(std::string instance_type, std::string zone, int spot_instances) {
    std::lock_guard lock(m_mutex);
    m_pool_capacity[{std::move(instance_type), std::move(zone)}] = spot_instances;
}

std::vector<std::string> FakeEc2::reclaim_pool(const std::string& instance_type,
                                               const std::string& zone) {
    std::lock_guard lock(m_mutex);
    m_pool_capacity[{instance_type, zone}] = 0;
    std::vector<std::string> ids;
    for (const auto& instance : m_instances)
        if (instance.spot && instance.instance_type == instance_type && instance.zone == zone &&
            (instance.state == aws::InstanceState::pending ||
             instance.state == aws::InstanceState::running))
            ids.push_back(instance.id);
    return ids;
}

void FakeEc2::set_catalog(std::vector<TypeInfo> types) {
    std::lock_guard lock(m_mutex);
    m_catalog = std::move(types);
}

std::vector<std::string> FakeEc2::launch_templates() const {
    std::lock_guard lock(m_mutex);
    std::vector<std::string> names;
    for (const auto& t : m_templates) names.push_back(t.name);
    return names;
}

std::string FakeEc2::zone_of(const std::string& subnet_id) const {
    if (subnet_id.empty() || m_subnets.empty()) return m_options.region + "a";
    auto it = m_subnets.find(subnet_id);
    return it == m_subnets.end() ? "" : it->second;
}

int FakeEc2::spot_room(const Pool& pool) const {
    auto it = m_pool_capacity.find({pool.instance_type, pool.zone});
    if (it == m_pool_capacity.end()) return INT_MAX;
    int used = 0;
    for (const auto& i : m_instances)
        used += i.spot && i.instance_type == pool.instance_type && i.zone == pool.zone &&
                (i.state == aws::InstanceState::pending || i.state == aws::InstanceState::running);
    return std::max(0, it->second - used);
}

std::optional<double> FakeEc2::spot_price_of(const Pool& pool) const {
    std::optional<aws::SpotPrice> latest;
    for (const auto& price : m_prices)
        if (price.instance_type == pool.instance_type && price.availability_zone == pool.zone &&
            (!latest || price.timestamp >= latest->timestamp))
            latest = price;
    if (!latest) return std::nullopt;
    return latest->usd_per_hour;
}

FakeEc2Instance& FakeEc2::add_fleet_instance(const Template& launch, const Pool& pool, bool spot,
                                             const std::vector<aws::Tag>& tags,
                                             const std::string& token) {
    char id[32];
    std::snprintf(id, sizeof id, "i-%017x", m_next_id++);
    FakeEc2Instance instance;
    instance.id = id;
    instance.reservation_id = "r-fleet-" + token;
    instance.image_id = launch.image_id;
    instance.instance_type = pool.instance_type;
    instance.zone = pool.zone;
    instance.subnet_id = pool.subnet_id;
    instance.launch_template = launch.name;
    instance.spot = spot;
    instance.tags = tags;
    instance.user_data = launch.user_data;
    instance.client_token = token;
    instance.launch_time =
        m_options.clock ? m_options.clock->wall_now() : std::chrono::system_clock::now();
    m_instances.push_back(std::move(instance));
    return m_instances.back();
}

FakeEc2::Answer FakeEc2::create_launch_template(const Params& p) {
    auto invalid = [](const std::string& message) {
        return Answer{400, error_xml("InvalidParameterValue", message)};
    };
    const std::string name = get(p, "LaunchTemplateName");
    const std::string image = get(p, "LaunchTemplateData.ImageId");
    if (name.size() < 3)
        return {400, error_xml("MissingParameter", "LaunchTemplateName needs 3-128 characters")};
    for (const auto& t : m_templates)
        if (t.name == name)
            return {400, error_xml("InvalidLaunchTemplateName.AlreadyExistsException",
                                   "Launch template name already in use.")};
    if (!image.empty() && !image.starts_with("ami-"))
        return {400, error_xml("InvalidAMIID.Malformed", "Invalid id: \"" + image + "\"")};
    Template made;
    if (!get(p, "LaunchTemplateData.UserData").empty()) {
        auto decoded = base64_decode(get(p, "LaunchTemplateData.UserData"));
        if (!decoded) return invalid("Invalid BASE64 encoding of user data.");
        made.user_data = *decoded;
    }
    const std::string shutdown = get(p, "LaunchTemplateData.InstanceInitiatedShutdownBehavior");
    if (!shutdown.empty() && shutdown != "stop" && shutdown != "terminate")
        return invalid("InstanceInitiatedShutdownBehavior must be stop or terminate");
    const std::string tokens = get(p, "LaunchTemplateData.MetadataOptions.HttpTokens");
    if (!tokens.empty() && tokens != "optional" && tokens != "required")
        return invalid("HttpTokens must be optional or required");
    if (!tags_for(p, "LaunchTemplateData.TagSpecification", "volume") ||
        !tags_for(p, "TagSpecification", "launch-template"))
        return invalid("every tag needs a Key and a Value");
    char id[32];
    std::snprintf(id, sizeof id, "lt-%017x", m_next_id++);
    made.id = id;
    made.name = name;
    made.image_id = image;
    m_templates.push_back(made);

    pugi::xml_document doc;
    auto lt = start(doc, "CreateLaunchTemplateResponse").append_child("launchTemplate");
    lt.append_child("launchTemplateId").text() = made.id.c_str();
    lt.append_child("launchTemplateName").text() = made.name.c_str();
    lt.append_child("defaultVersionNumber").text() = 1;
    lt.append_child("latestVersionNumber").text() = 1;
    return {200, xml_text(doc)};
}

FakeEc2::Answer FakeEc2::delete_launch_template(const Params& p) {
    const std::string name = get(p, "LaunchTemplateName");
    const std::string id = get(p, "LaunchTemplateId");
    auto it = std::find_if(m_templates.begin(), m_templates.end(), [&](const Template& t) {
        return (!name.empty() && t.name == name) || (!id.empty() && t.id == id);
    });
    if (it == m_templates.end())
        return {400, error_xml("InvalidLaunchTemplateName.NotFoundException",
                               "At least one of the launch templates specified in the request "
                               "does not exist.")};
    pugi::xml_document doc;
    auto lt = start(doc, "DeleteLaunchTemplateResponse").append_child("launchTemplate");
    lt.append_child("launchTemplateId").text() = it->id.c_str();
    lt.append_child("launchTemplateName").text() = it->name.c_str();
    m_templates.erase(it);
    return {200, xml_text(doc)};
}

FakeEc2::Answer FakeEc2::create_fleet(const Params& p) {
    auto invalid = [](const std::string& message) {
        return Answer{400, error_xml("InvalidParameterValue", message)};
    };
    const std::string token = get(p, "ClientToken");
    if (auto it = m_fleet_answers.find(token); !token.empty() && it != m_fleet_answers.end())
        return {200, it->second};
    if (get(p, "Type") != "instant")
        return invalid("the stand-in runs instant fleets only, not '" + get(p, "Type") + "'");
    const std::string name = get(p, std::string(k_template_prefix) + ".LaunchTemplateName");
    auto launch = std::find_if(m_templates.begin(), m_templates.end(),
                               [&](const Template& t) { return t.name == name; });
    if (launch == m_templates.end())
        return {400, error_xml("InvalidLaunchTemplateName.NotFoundException",
                               "The specified launch template, with template name " + name +
                                   ", does not exist.")};
    const std::string version = get(p, std::string(k_template_prefix) + ".Version");
    if (version.empty())
        return {400, error_xml("MissingParameter", "LaunchTemplateSpecification needs a Version")};

    // Every pool of every override, in order.
    std::vector<Pool> pools;
    for (int i = 1;; ++i) {
        const std::string prefix = std::string(k_overrides) + std::to_string(i);
        const std::string named = get(p, prefix + ".InstanceType");
        const bool by_needs = p.count(prefix + ".InstanceRequirements.VCpuCount.Min") ||
                              p.count(prefix + ".InstanceRequirements.MemoryMiB.Min");
        const std::string subnet = get(p, prefix + ".SubnetId");
        if (named.empty() && !by_needs && subnet.empty()) break;
        if (named.empty() == !by_needs)
            return {400, error_xml("InvalidParameterCombination",
                                   "An override takes InstanceType or InstanceRequirements")};
        const std::string zone = zone_of(subnet);
        if (zone.empty())
            return {400, error_xml("InvalidSubnetID.NotFound",
                                   "The subnet ID '" + subnet + "' does not exist")};
        if (!named.empty()) {
            pools.push_back({named, subnet, zone});
            continue;
        }
        if (auto error = requirements_error(p, prefix + ".InstanceRequirements"))
            return invalid(*error);
        for (const auto& t : m_catalog)
            if (meets(t, p, prefix + ".InstanceRequirements"))
                pools.push_back({t.name, subnet, zone});
    }
    if (pools.empty()) return invalid("no instance type matches the overrides of the request");

    const std::string total_text = get(p, "TargetCapacitySpecification.TotalTargetCapacity");
    const std::string default_type =
        get(p, "TargetCapacitySpecification.DefaultTargetCapacityType");
    if (!is_count(total_text) || (default_type != "spot" && default_type != "on-demand"))
        return invalid(
            "TargetCapacitySpecification needs TotalTargetCapacity and "
            "DefaultTargetCapacityType spot or on-demand");
    const int total = std::stoi(total_text);
    const std::string od_text = get(p, "TargetCapacitySpecification.OnDemandTargetCapacity");
    const std::string spot_text = get(p, "TargetCapacitySpecification.SpotTargetCapacity");
    const int od_asked = od_text.empty() ? 0 : std::atoi(od_text.c_str());
    const int spot_asked = spot_text.empty() ? 0 : std::atoi(spot_text.c_str());
    const int spot_wanted = default_type == "spot" ? total - od_asked : spot_asked;
    const int od_wanted = total - spot_wanted;
    if (spot_wanted < 0 || od_wanted < 0 || od_asked > total)
        return invalid("the on-demand and Spot capacities exceed TotalTargetCapacity");
    const std::string strategy = get(p, "SpotOptions.AllocationStrategy");
    if (!strategy.empty() && strategy != "price-capacity-optimized" &&
        strategy != "capacity-optimized" && strategy != "lowest-price" &&
        strategy != "diversified" && strategy != "capacity-optimized-prioritized")
        return invalid("'" + strategy + "' is not a Spot allocation strategy");
    const std::string interruption = get(p, "SpotOptions.InstanceInterruptionBehavior");
    if (!interruption.empty() && interruption != "terminate" && interruption != "stop" &&
        interruption != "hibernate")
        return invalid("'" + interruption + "' is not an interruption behavior");
    auto tags = tags_for(p, "TagSpecification", "instance");
    if (!tags) return invalid("every tag needs a Key and a Value");

    std::string fleet_token = token;
    if (fleet_token.empty()) fleet_token = "fleet-" + std::to_string(m_next_id);
    // (pool index, spot) -> ids, in launch order.
    std::vector<std::tuple<size_t, bool, std::vector<std::string>>> groups;
    auto record = [&](size_t pool, bool spot, const std::string& id) {
        for (auto& [at, market, ids] : groups)
            if (at == pool && market == spot) return ids.push_back(id);
        groups.push_back({pool, spot, {id}});
    };

    int spot_placed = 0;
    while (!m_spot_refusal && spot_placed < spot_wanted) {
        std::optional<size_t> best;
        for (size_t i = 0; i < pools.size(); ++i) {
            if (spot_room(pools[i]) == 0) continue;
            if (!best) {
                best = i;
            } else if (strategy == "lowest-price") {
                const double here = spot_price_of(pools[i]).value_or(1e9);
                if (here < spot_price_of(pools[*best]).value_or(1e9)) best = i;
            } else if (spot_room(pools[i]) > spot_room(pools[*best])) {
                best = i;
            }
        }
        if (!best) break;
        record(*best, true, add_fleet_instance(*launch, pools[*best], true, *tags, fleet_token).id);
        ++spot_placed;
    }
    for (int i = 0; i < od_wanted; ++i)
        record(0, false, add_fleet_instance(*launch, pools[0], false, *tags, fleet_token).id);

    pugi::xml_document doc;
    auto root = start(doc, "CreateFleetResponse");
    char fleet_id[48];
    std::snprintf(fleet_id, sizeof fleet_id, "fleet-%08x-0000-4000-8000-%012x", m_next_id,
                  m_next_id);
    ++m_next_id;
    root.append_child("fleetId").text() = fleet_id;
    auto errors = root.append_child("errorSet");
    if (spot_placed < spot_wanted)
        for (const auto& pool : pools) {
            if (!m_spot_refusal && spot_room(pool) > 0) continue;
            auto item = errors.append_child("item");
            add_pool(item, launch->name, pool.instance_type, pool.subnet_id, pool.zone);
            item.append_child("lifecycle").text() = "spot";
            item.append_child("errorCode").text() =
                m_spot_refusal ? m_spot_refusal->code.c_str() : "InsufficientInstanceCapacity";
            item.append_child("errorMessage").text() =
                m_spot_refusal ? m_spot_refusal->message.c_str()
                               : "There is no Spot capacity available that matches your request.";
        }
    auto set = root.append_child("fleetInstanceSet");
    for (const auto& [at, spot, ids] : groups) {
        auto item = set.append_child("item");
        add_pool(item, launch->name, pools[at].instance_type, pools[at].subnet_id, pools[at].zone);
        item.append_child("lifecycle").text() = spot ? "spot" : "on-demand";
        auto id_set = item.append_child("instanceIds");
        for (const auto& id : ids) id_set.append_child("item").text() = id.c_str();
        item.append_child("instanceType").text() = pools[at].instance_type.c_str();
    }
    std::string body = xml_text(doc);
    if (!token.empty()) m_fleet_answers[token] = body;
    return {200, body};
}

}  // namespace spotfarm::testing
