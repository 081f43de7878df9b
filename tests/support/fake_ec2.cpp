#include "support/fake_ec2.h"

#include <cstdio>
#include <regex>
#include <sstream>

#include <pugixml.hpp>

#include "support/fake_ec2_wire.h"
#include "support/sigv4_verifier.h"
#include "util/percent_encoding.h"
#include "util/utc_time.h"

namespace spotfarm::testing {
namespace {

namespace aws = providers::aws;
using aws::InstanceState;
using namespace fake_ec2_wire;

// The parameters each action accepts, as regular expressions (anything else: UnknownParameter).
const std::map<std::string, std::vector<std::string>, std::less<>> k_known_params = {
    {"RunInstances",
     {"ImageId", "InstanceType", "MinCount", "MaxCount", "ClientToken", "KeyName",
      R"(SecurityGroupId\.\d+)", "SubnetId", "UserData", R"(IamInstanceProfile\.Name)",
      "InstanceInitiatedShutdownBehavior", R"(MetadataOptions\.(HttpTokens|HttpEndpoint))",
      R"(InstanceMarketOptions\.MarketType)",
      R"(InstanceMarketOptions\.SpotOptions\.)"
      R"((SpotInstanceType|InstanceInterruptionBehavior|MaxPrice))",
      R"(TagSpecification\.\d+\.ResourceType)", R"(TagSpecification\.\d+\.Tag\.\d+\.(Key|Value))"}},
    {"DescribeInstances",
     {R"(InstanceId\.\d+)", R"(Filter\.\d+\.Name)", R"(Filter\.\d+\.Value\.\d+)", "MaxResults",
      "NextToken"}},
    {"TerminateInstances", {R"(InstanceId\.\d+)"}},
    {"DescribeSpotPriceHistory",
     {R"(InstanceType\.\d+)", R"(ProductDescription\.\d+)", "StartTime", "AvailabilityZone",
      "MaxResults", "NextToken"}},
    {"CreateTags", {R"(ResourceId\.\d+)", R"(Tag\.\d+\.(Key|Value))"}},
    {"CreateLaunchTemplate",
     {"LaunchTemplateName", "ClientToken", "VersionDescription",
      R"(LaunchTemplateData\.(ImageId|KeyName|UserData|InstanceInitiatedShutdownBehavior))",
      R"(LaunchTemplateData\.SecurityGroupId\.\d+)",
      R"(LaunchTemplateData\.IamInstanceProfile\.(Name|Arn))",
      R"(LaunchTemplateData\.MetadataOptions\.(HttpTokens|HttpEndpoint))",
      R"(LaunchTemplateData\.TagSpecification\.\d+\.ResourceType)",
      R"(LaunchTemplateData\.TagSpecification\.\d+\.Tag\.\d+\.(Key|Value))",
      R"(TagSpecification\.\d+\.ResourceType)", R"(TagSpecification\.\d+\.Tag\.\d+\.(Key|Value))"}},
    {"DeleteLaunchTemplate", {"LaunchTemplateName", "LaunchTemplateId"}},
    {"CreateFleet",
     {"ClientToken", "Type",
      R"(LaunchTemplateConfigs\.1\.LaunchTemplateSpecification\.)"
      R"((LaunchTemplateName|LaunchTemplateId|Version))",
      R"(LaunchTemplateConfigs\.1\.Overrides\.\d+\.(InstanceType|SubnetId))",
      R"(LaunchTemplateConfigs\.1\.Overrides\.\d+\.InstanceRequirements\.)"
      R"((VCpuCount|MemoryMiB|MemoryGiBPerVCpu|AcceleratorCount)\.(Min|Max))",
      R"(LaunchTemplateConfigs\.1\.Overrides\.\d+\.InstanceRequirements\.)"
      R"((AcceleratorType|AcceleratorManufacturer|InstanceGeneration)\.\d+)",
      R"(LaunchTemplateConfigs\.1\.Overrides\.\d+\.InstanceRequirements\.BurstablePerformance)",
      R"(TargetCapacitySpecification\.)"
      R"((TotalTargetCapacity|OnDemandTargetCapacity|SpotTargetCapacity|DefaultTargetCapacityType))",
      R"(SpotOptions\.(AllocationStrategy|InstanceInterruptionBehavior))",
      R"(OnDemandOptions\.AllocationStrategy)", R"(TagSpecification\.\d+\.ResourceType)",
      R"(TagSpecification\.\d+\.Tag\.\d+\.(Key|Value))"}},
};

void add_state(pugi::xml_node parent, const char* name, InstanceState state) {
    auto node = parent.append_child(name);
    node.append_child("code").text() = aws::instance_state_code(state);
    node.append_child("name").text() = std::string(aws::to_string(state)).c_str();
}

void add_instance(pugi::xml_node set, const FakeEc2Instance& instance, const std::string& region) {
    auto item = set.append_child("item");
    item.append_child("instanceId").text() = instance.id.c_str();
    item.append_child("imageId").text() = instance.image_id.c_str();
    add_state(item, "instanceState", instance.state);
    item.append_child("reason").text() = instance.transition_reason.c_str();
    item.append_child("instanceType").text() = instance.instance_type.c_str();
    item.append_child("launchTime").text() = util::format_iso8601_utc(instance.launch_time).c_str();
    const std::string zone = instance.zone.empty() ? region + "a" : instance.zone;
    item.append_child("placement").append_child("availabilityZone").text() = zone.c_str();
    if (!instance.subnet_id.empty())
        item.append_child("subnetId").text() = instance.subnet_id.c_str();
    const long n = std::stol(instance.id.substr(2), nullptr, 16);
    const std::string ip =
        "10.0." + std::to_string(n / 250 % 250) + "." + std::to_string(n % 250 + 1);
    item.append_child("privateIpAddress").text() = ip.c_str();
    if (!instance.public_ip.empty())
        item.append_child("ipAddress").text() = instance.public_ip.c_str();
    if (instance.spot) item.append_child("instanceLifecycle").text() = "spot";
    item.append_child("clientToken").text() = instance.client_token.c_str();
    auto tags = item.append_child("tagSet");
    for (const auto& tag : instance.tags) {
        auto t = tags.append_child("item");
        t.append_child("key").text() = tag.key.c_str();
        t.append_child("value").text() = tag.value.c_str();
    }
}

}  // namespace

FakeEc2::FakeEc2(FakeEc2Options options)
    : m_options(std::move(options)), m_catalog(default_catalog()) {
    m_server = std::make_unique<LoopbackHttpServer>(
        [this](const ReceivedRequest& request) { return handle(request); });
}

std::string FakeEc2::endpoint() const {
    return m_server->url() + "/";
}

void FakeEc2::fail_next(std::string action, int http_status, std::string code, std::string message,
                        int times) {
    std::lock_guard lock(m_mutex);
    m_injected.push_back(
        {std::move(action), http_status, std::move(code), std::move(message), times});
}

void FakeEc2::refuse_spot(int http_status, std::string code, std::string message) {
    std::lock_guard lock(m_mutex);
    m_spot_refusal = Injected{"RunInstances", http_status, std::move(code), std::move(message), 0};
}

void FakeEc2::set_state(const std::string& instance_id, InstanceState state) {
    std::lock_guard lock(m_mutex);
    if (auto* instance = find(instance_id)) instance->state = state;
}

void FakeEc2::set_public_ip(const std::string& instance_id, std::string ip) {
    std::lock_guard lock(m_mutex);
    if (auto* instance = find(instance_id)) instance->public_ip = std::move(ip);
}

void FakeEc2::set_spot_price(std::string instance_type, std::string zone, double usd_per_hour,
                             std::optional<std::chrono::system_clock::time_point> at) {
    std::lock_guard lock(m_mutex);
    aws::SpotPrice price;
    price.instance_type = std::move(instance_type);
    price.product_description = "Linux/UNIX";
    price.availability_zone = std::move(zone);
    price.usd_per_hour = usd_per_hour;
    price.timestamp = at ? *at : std::chrono::system_clock::now();
    m_prices.push_back(std::move(price));
}

void FakeEc2::on_launch(std::function<void(const FakeEc2Instance&)> hook) {
    std::lock_guard lock(m_mutex);
    m_on_launch = std::move(hook);
}

void FakeEc2::on_terminate(std::function<void(const FakeEc2Instance&)> hook) {
    std::lock_guard lock(m_mutex);
    m_on_terminate = std::move(hook);
}

std::vector<FakeEc2Instance> FakeEc2::instances() const {
    std::lock_guard lock(m_mutex);
    return m_instances;
}

std::vector<FakeEc2::Call> FakeEc2::calls() const {
    std::lock_guard lock(m_mutex);
    return m_calls;
}

int FakeEc2::refused_signatures() const {
    std::lock_guard lock(m_mutex);
    return m_refused;
}

FakeEc2Instance* FakeEc2::find(const std::string& id) {
    for (auto& instance : m_instances)
        if (instance.id == id) return &instance;
    return nullptr;
}

util::HttpResponse FakeEc2::handle(const ReceivedRequest& request) {
    auto reply = [](int status, std::string body) {
        return util::HttpResponse{
            status, {{"Content-Type", "text/xml;charset=UTF-8"}}, std::move(body)};
    };
    if (request.method != "POST" || request.target != "/")
        return reply(400, error_xml("InvalidAction", "EC2 takes POST / only"));
    const auto content_type = util::find_header(request.headers, "Content-Type");
    if (!content_type || !content_type->starts_with("application/x-www-form-urlencoded"))
        return reply(400, error_xml("InvalidParameterValue", "the body must be form-encoded"));
    std::optional<std::chrono::system_clock::time_point> now;
    if (m_options.clock) now = m_options.clock->wall_now();
    if (auto error = verify_sigv4(request, {m_options.credentials, m_options.region, "ec2", now})) {
        std::lock_guard lock(m_mutex);
        ++m_refused;
        return reply(error->http_status, error_xml(error->code, error->message));
    }

    const aws::QueryParams list = util::parse_query(request.body);
    Params params(list.begin(), list.end());
    const std::string action = params.count("Action") ? params["Action"] : "";
    std::vector<std::pair<std::function<void(const FakeEc2Instance&)>, FakeEc2Instance>> hooks;
    Answer answer;
    {
        std::lock_guard lock(m_mutex);
        m_calls.push_back({action, list});
        const auto launched_before = m_instances.size();
        std::vector<InstanceState> states_before;
        for (const auto& instance : m_instances) states_before.push_back(instance.state);
        answer = dispatch(action, params);
        for (size_t i = 0; i < m_instances.size(); ++i) {
            if (i >= launched_before && m_on_launch)
                hooks.emplace_back(m_on_launch, m_instances[i]);
            if (i < launched_before && m_on_terminate &&
                states_before[i] != InstanceState::shutting_down &&
                m_instances[i].state == InstanceState::shutting_down)
                hooks.emplace_back(m_on_terminate, m_instances[i]);
        }
    }
    for (auto& [hook, instance] : hooks) hook(instance);
    return reply(answer.status, std::move(answer.body));
}

void FakeEc2::add_actions(ExtraActions actions) {
    std::lock_guard lock(m_mutex);
    m_extra_actions = std::move(actions);
}

FakeEc2::Answer FakeEc2::dispatch(const std::string& action, const Params& params) {
    auto known = k_known_params.find(action);
    if (action.empty())
        return {400, error_xml("MissingAction", "The request must contain the parameter Action")};
    if (known == k_known_params.end() && m_extra_actions) {
        for (auto it = m_injected.begin(); it != m_injected.end(); ++it) {
            if (!it->action.empty() && it->action != action) continue;
            Answer injected{it->status, error_xml(it->code, it->message)};
            if (--it->times <= 0) m_injected.erase(it);
            return injected;
        }
        if (auto extra = m_extra_actions(action, params))
            return {extra->first, std::move(extra->second)};
    }
    if (known == k_known_params.end())
        return {400, error_xml("InvalidAction",
                               "The action " + action + " is not valid for this web service.")};
    auto version = params.find("Version");
    if (version == params.end() || version->second != aws::k_ec2_api_version)
        return {400, error_xml("InvalidParameterValue", "Version must be 2016-11-15")};
    for (const auto& [key, value] : params) {
        if (key == "Action" || key == "Version") continue;
        bool ok = false;
        for (const auto& pattern : known->second)
            ok = ok || std::regex_match(key, std::regex(pattern));
        if (!ok)
            return {400,
                    error_xml("UnknownParameter", "The parameter " + key + " is not recognized")};
    }
    for (auto it = m_injected.begin(); it != m_injected.end(); ++it) {
        if (!it->action.empty() && it->action != action) continue;
        Answer injected{it->status, error_xml(it->code, it->message)};
        if (--it->times <= 0) m_injected.erase(it);
        return injected;
    }
    if (action == "RunInstances") return run_instances(params);
    if (action == "DescribeInstances") return describe_instances(params);
    if (action == "TerminateInstances") return terminate_instances(params);
    if (action == "DescribeSpotPriceHistory") return spot_price_history(params);
    if (action == "CreateLaunchTemplate") return create_launch_template(params);
    if (action == "DeleteLaunchTemplate") return delete_launch_template(params);
    if (action == "CreateFleet") return create_fleet(params);
    return create_tags(params);
}

FakeEc2::Answer FakeEc2::run_instances(const Params& p) {
    auto get = [&](const char* key) {
        auto it = p.find(key);
        return it == p.end() ? std::string() : it->second;
    };
    auto invalid = [](const std::string& message) {
        return Answer{400, error_xml("InvalidParameterValue", message)};
    };
    for (const char* required : {"ImageId", "InstanceType", "MinCount", "MaxCount"})
        if (get(required).empty())
            return {400,
                    error_xml("MissingParameter",
                              std::string("The request must contain the parameter ") + required)};
    if (!get("ImageId").starts_with("ami-"))
        return {400, error_xml("InvalidAMIID.Malformed", "Invalid id: \"" + get("ImageId") + "\"")};
    if (!is_count(get("MinCount")) || !is_count(get("MaxCount")) ||
        std::stoi(get("MinCount")) > std::stoi(get("MaxCount")))
        return invalid("MinCount and MaxCount must be positive and MinCount <= MaxCount");
    std::string user_data;
    if (!get("UserData").empty()) {
        auto decoded = base64_decode(get("UserData"));
        if (!decoded) return invalid("Invalid BASE64 encoding of user data.");
        user_data = *decoded;
    }
    const std::string market = get("InstanceMarketOptions.MarketType");
    if (!market.empty() && market != "spot") return invalid("MarketType must be spot");
    const bool spot = market == "spot";
    const std::string spot_type = get("InstanceMarketOptions.SpotOptions.SpotInstanceType");
    const std::string interruption =
        get("InstanceMarketOptions.SpotOptions.InstanceInterruptionBehavior");
    if (!spot && (!spot_type.empty() || !interruption.empty()))
        return invalid("SpotOptions need MarketType spot");
    if (spot_type == "one-time" && !interruption.empty() && interruption != "terminate")
        return invalid("one-time Spot instances can only be terminated on interruption");
    const std::string shutdown = get("InstanceInitiatedShutdownBehavior");
    if (!shutdown.empty() && shutdown != "stop" && shutdown != "terminate")
        return invalid("InstanceInitiatedShutdownBehavior must be stop or terminate");
    if (spot && spot_type != "persistent" && shutdown == "stop")
        return invalid("one-time Spot instances cannot stop on shutdown");
    if (spot && m_spot_refusal)
        return {m_spot_refusal->status, error_xml(m_spot_refusal->code, m_spot_refusal->message)};
    const std::string tokens = get("MetadataOptions.HttpTokens");
    if (!tokens.empty() && tokens != "optional" && tokens != "required")
        return invalid("HttpTokens must be optional or required");

    std::vector<aws::Tag> tags;
    for (int spec = 1; p.count("TagSpecification." + std::to_string(spec) + ".ResourceType");
         ++spec) {
        const std::string prefix = "TagSpecification." + std::to_string(spec);
        const std::string type = p.at(prefix + ".ResourceType");
        if (type != "instance" && type != "volume" && type != "network-interface" &&
            type != "spot-instances-request")
            return invalid("'" + type + "' is not a valid taggable resource type");
        const auto keys = numbered(p, prefix + ".Tag", ".Key");
        const auto values = numbered(p, prefix + ".Tag", ".Value");
        if (keys.size() != values.size()) return invalid("every tag needs a Key and a Value");
        if (type == "instance")
            for (size_t i = 0; i < keys.size(); ++i) tags.push_back({keys[i], values[i]});
    }

    if (!get("SubnetId").empty() && zone_of(get("SubnetId")).empty())
        return {400, error_xml("InvalidSubnetID.NotFound",
                               "The subnet ID '" + get("SubnetId") + "' does not exist")};
    const std::string token = get("ClientToken");
    std::string reservation;
    if (!token.empty())
        for (const auto& instance : m_instances)
            if (instance.client_token == token) reservation = instance.reservation_id;
    if (reservation.empty()) {
        char id[32];
        std::snprintf(id, sizeof id, "r-%017x", m_next_id);
        reservation = id;
        const int count = std::stoi(get("MaxCount"));
        for (int i = 0; i < count; ++i) {
            FakeEc2Instance instance;
            std::snprintf(id, sizeof id, "i-%017x", m_next_id++);
            instance.id = id;
            instance.reservation_id = reservation;
            instance.image_id = get("ImageId");
            instance.instance_type = get("InstanceType");
            instance.subnet_id = get("SubnetId");
            instance.zone = zone_of(instance.subnet_id);
            instance.spot = spot;
            instance.tags = tags;
            instance.user_data = user_data;
            instance.client_token = token;
            instance.launch_time =
                m_options.clock ? m_options.clock->wall_now() : std::chrono::system_clock::now();
            m_instances.push_back(std::move(instance));
        }
    }
    pugi::xml_document doc;
    auto root = start(doc, "RunInstancesResponse");
    root.append_child("reservationId").text() = reservation.c_str();
    root.append_child("ownerId").text() = "123456789012";
    auto set = root.append_child("instancesSet");
    for (const auto& instance : m_instances)
        if (instance.reservation_id == reservation) add_instance(set, instance, m_options.region);
    return {200, xml_text(doc)};
}

FakeEc2::Answer FakeEc2::describe_instances(const Params& p) {
    auto invalid = [](const std::string& message) {
        return Answer{400, error_xml("InvalidParameterValue", message)};
    };
    const auto ids = numbered(p, "InstanceId");
    for (const auto& id : ids)
        if (!find(id))
            return {400, error_xml("InvalidInstanceID.NotFound",
                                   "The instance ID '" + id + "' does not exist")};
    size_t page_size = m_instances.size() + 1;
    if (p.count("MaxResults")) {
        if (!ids.empty())
            return {400,
                    error_xml(
                        "InvalidParameterCombination",
                        "The parameter instancesSet cannot be used with the parameter maxResults")};
        const int max = is_count(p.at("MaxResults")) ? std::stoi(p.at("MaxResults")) : 0;
        if (max < 5 || max > 1000) return invalid("MaxResults must be 5 to 1000");
        page_size = size_t(max);
    }
    std::vector<const FakeEc2Instance*> matched;
    for (const auto& instance : m_instances) {
        bool ok = ids.empty() || std::find(ids.begin(), ids.end(), instance.id) != ids.end();
        for (int f = 1; ok && p.count("Filter." + std::to_string(f) + ".Name"); ++f) {
            const std::string name = p.at("Filter." + std::to_string(f) + ".Name");
            const auto values = numbered(p, "Filter." + std::to_string(f) + ".Value");
            std::vector<std::string> have;
            if (name.starts_with("tag:")) {
                for (const auto& tag : instance.tags)
                    if (tag.key == name.substr(4)) have.push_back(tag.value);
            } else if (name == "tag-key") {
                for (const auto& tag : instance.tags) have.push_back(tag.key);
            } else if (name == "instance-state-name") {
                have.push_back(std::string(aws::to_string(instance.state)));
            } else if (name == "instance-id") {
                have.push_back(instance.id);
            } else if (name == "availability-zone") {
                have.push_back(instance.zone.empty() ? m_options.region + "a" : instance.zone);
            } else if (name == "instance-type") {
                have.push_back(instance.instance_type);
            } else if (name == "instance-lifecycle") {
                have.push_back(instance.spot ? "spot" : "");
            } else {
                return invalid("The filter '" + name + "' is invalid");
            }
            ok = std::any_of(values.begin(), values.end(), [&](const std::string& v) {
                return std::find(have.begin(), have.end(), v) != have.end();
            });
        }
        if (ok) matched.push_back(&instance);
    }
    size_t offset = 0;
    if (p.count("NextToken")) {
        const std::string& token = p.at("NextToken");
        if (!token.starts_with("page-")) return invalid("Invalid NextToken");
        offset = std::stoul(token.substr(5));
    }
    pugi::xml_document doc;
    auto root = start(doc, "DescribeInstancesResponse");
    auto reservations = root.append_child("reservationSet");
    pugi::xml_node set;
    std::string current;
    const size_t end = std::min(matched.size(), offset + page_size);
    for (size_t i = offset; i < end; ++i) {
        if (!set || matched[i]->reservation_id != current) {
            current = matched[i]->reservation_id;
            auto item = reservations.append_child("item");
            item.append_child("reservationId").text() = current.c_str();
            item.append_child("ownerId").text() = "123456789012";
            set = item.append_child("instancesSet");
        }
        add_instance(set, *matched[i], m_options.region);
    }
    if (end < matched.size())
        root.append_child("nextToken").text() = ("page-" + std::to_string(end)).c_str();
    // Time passes between looks: what was reported starting or stopping has now done so.
    for (auto& instance : m_instances) {
        if (instance.state == InstanceState::pending) instance.state = InstanceState::running;
        if (instance.state == InstanceState::shutting_down)
            instance.state = InstanceState::terminated;
    }
    return {200, xml_text(doc)};
}

FakeEc2::Answer FakeEc2::terminate_instances(const Params& p) {
    const auto ids = numbered(p, "InstanceId");
    if (ids.empty())
        return {400,
                error_xml("MissingParameter", "The request must contain the parameter InstanceId")};
    for (const auto& id : ids)
        if (!find(id))
            return {400, error_xml("InvalidInstanceID.NotFound",
                                   "The instance ID '" + id + "' does not exist")};
    pugi::xml_document doc;
    auto root = start(doc, "TerminateInstancesResponse");
    auto set = root.append_child("instancesSet");
    for (const auto& id : ids) {
        FakeEc2Instance* instance = find(id);
        const InstanceState previous = instance->state;
        if (previous != InstanceState::terminated) {
            instance->state = InstanceState::shutting_down;
            std::string when = util::format_iso8601_utc(
                m_options.clock ? m_options.clock->wall_now() : std::chrono::system_clock::now());
            when[10] = ' ';
            when.pop_back();
            instance->transition_reason = "User initiated (" + when + " GMT)";
        }
        auto item = set.append_child("item");
        item.append_child("instanceId").text() = id.c_str();
        add_state(item, "currentState", instance->state);
        add_state(item, "previousState", previous);
    }
    return {200, xml_text(doc)};
}

FakeEc2::Answer FakeEc2::spot_price_history(const Params& p) {
    const auto types = numbered(p, "InstanceType");
    const std::string zone = p.count("AvailabilityZone") ? p.at("AvailabilityZone") : "";
    pugi::xml_document doc;
    auto root = start(doc, "DescribeSpotPriceHistoryResponse");
    auto set = root.append_child("spotPriceHistorySet");
    for (const auto& price : m_prices) {
        if (!types.empty() &&
            std::find(types.begin(), types.end(), price.instance_type) == types.end())
            continue;
        if (!zone.empty() && price.availability_zone != zone) continue;
        auto item = set.append_child("item");
        item.append_child("instanceType").text() = price.instance_type.c_str();
        item.append_child("productDescription").text() = price.product_description.c_str();
        char text[32];
        std::snprintf(text, sizeof text, "%.6f", price.usd_per_hour);
        item.append_child("spotPrice").text() = text;
        item.append_child("timestamp").text() = util::format_iso8601_utc(price.timestamp).c_str();
        item.append_child("availabilityZone").text() = price.availability_zone.c_str();
    }
    root.append_child("nextToken");
    return {200, xml_text(doc)};
}

FakeEc2::Answer FakeEc2::create_tags(const Params& p) {
    const auto ids = numbered(p, "ResourceId");
    const auto keys = numbered(p, "Tag", ".Key");
    const auto values = numbered(p, "Tag", ".Value");
    if (ids.empty() || keys.empty() || keys.size() != values.size())
        return {400,
                error_xml("MissingParameter", "CreateTags needs ResourceId.N and Tag.N.Key/Value")};
    for (const auto& id : ids)
        if (!find(id))
            return {400, error_xml("InvalidInstanceID.NotFound",
                                   "The instance ID '" + id + "' does not exist")};
    for (const auto& id : ids) {
        auto& tags = find(id)->tags;
        for (size_t i = 0; i < keys.size(); ++i) {
            auto it = std::find_if(tags.begin(), tags.end(),
                                   [&](const auto& t) { return t.key == keys[i]; });
            if (it != tags.end())
                it->value = values[i];
            else
                tags.push_back({keys[i], values[i]});
        }
    }
    pugi::xml_document doc;
    start(doc, "CreateTagsResponse").append_child("return").text() = "true";
    return {200, xml_text(doc)};
}

}  // namespace spotfarm::testing
