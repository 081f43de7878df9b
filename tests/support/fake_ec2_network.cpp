#include "support/fake_ec2_network.h"

#include <algorithm>
#include <regex>

#include "support/fake_ec2_wire.h"

namespace spotfarm::testing {
namespace {

namespace aws = providers::aws;
using namespace fake_ec2_wire;

const std::map<std::string, std::vector<std::string>> k_network_known = {
    {"DescribeVpcs", {R"(VpcId\.\d+)", R"(Filter\.\d+\.Name)", R"(Filter\.\d+\.Value\.\d+)"}},
    {"DescribeSubnets", {R"(SubnetId\.\d+)", R"(Filter\.\d+\.Name)", R"(Filter\.\d+\.Value\.\d+)"}},
    {"DescribeSecurityGroups",
     {R"(GroupId\.\d+)", R"(Filter\.\d+\.Name)", R"(Filter\.\d+\.Value\.\d+)"}},
    {"CreateSecurityGroup",
     {"GroupName", "GroupDescription", "VpcId", R"(TagSpecification\.\d+\.ResourceType)",
      R"(TagSpecification\.\d+\.Tag\.\d+\.(Key|Value))"}},
    {"AuthorizeSecurityGroupIngress",
     {"GroupId", R"(IpPermissions\.\d+\.(IpProtocol|FromPort|ToPort))",
      R"(IpPermissions\.\d+\.IpRanges\.\d+\.(CidrIp|Description))",
      R"(IpPermissions\.\d+\.Groups\.\d+\.(GroupId|Description))"}},
    {"RevokeSecurityGroupIngress",
     {"GroupId", R"(IpPermissions\.\d+\.(IpProtocol|FromPort|ToPort))",
      R"(IpPermissions\.\d+\.IpRanges\.\d+\.(CidrIp|Description))",
      R"(IpPermissions\.\d+\.Groups\.\d+\.(GroupId|Description))"}},
    {"DeleteSecurityGroup", {"GroupId"}},
};

// The values of every filter called `name`, or nullopt when there is none.
std::optional<std::vector<std::string>> filter(const Params& params, const std::string& name) {
    for (int i = 1; params.count("Filter." + std::to_string(i) + ".Name"); ++i) {
        const std::string prefix = "Filter." + std::to_string(i);
        if (params.at(prefix + ".Name") == name) return numbered(params, prefix + ".Value");
    }
    return std::nullopt;
}

bool passes(const std::optional<std::vector<std::string>>& values, const std::string& value) {
    return !values || std::find(values->begin(), values->end(), value) != values->end();
}

void add_tags(pugi::xml_node item, const std::vector<aws::Tag>& tags) {
    auto set = item.append_child("tagSet");
    for (const auto& tag : tags) {
        auto t = set.append_child("item");
        t.append_child("key").text() = tag.key.c_str();
        t.append_child("value").text() = tag.value.c_str();
    }
}

}  // namespace

FakeEc2Network::FakeEc2Network(FakeEc2& ec2) : m_ec2(ec2) {
    m_ec2.add_actions(
        [this](const std::string& action, const Params& params) { return handle(action, params); });
}

FakeEc2Network::~FakeEc2Network() {
    m_ec2.add_actions({});
}

void FakeEc2Network::add_vpc(std::string id, std::string cidr, bool is_default) {
    std::lock_guard lock(m_mutex);
    m_vpcs.push_back({std::move(id), std::move(cidr), is_default});
}

void FakeEc2Network::add_subnet(std::string id, std::string vpc_id, std::string zone,
                                std::string cidr, bool default_for_zone) {
    std::lock_guard lock(m_mutex);
    m_subnets.push_back(
        {std::move(id), std::move(vpc_id), std::move(zone), std::move(cidr), default_for_zone});
}

void FakeEc2Network::add_default_vpc(const std::string& region) {
    add_vpc("vpc-0default", "172.31.0.0/16", true);
    add_subnet(k_default_subnet_a, "vpc-0default", region + "a", "172.31.0.0/20", true);
    add_subnet(k_default_subnet_b, "vpc-0default", region + "b", "172.31.16.0/20", true);
    add_subnet(k_default_subnet_c, "vpc-0default", region + "c", "172.31.32.0/20", true);
}

void FakeEc2Network::set_group_limit(int groups) {
    std::lock_guard lock(m_mutex);
    m_group_limit = groups;
}

void FakeEc2Network::set_group_users(std::function<bool(const std::string&)> in_use) {
    std::lock_guard lock(m_mutex);
    m_group_users = std::move(in_use);
}

std::vector<aws::Ec2SecurityGroup> FakeEc2Network::security_groups() const {
    std::lock_guard lock(m_mutex);
    return m_groups;
}

std::string FakeEc2Network::zone_of(const std::string& subnet_id) const {
    std::lock_guard lock(m_mutex);
    for (const auto& subnet : m_subnets)
        if (subnet.id == subnet_id) return subnet.zone;
    return {};
}

int FakeEc2Network::changes() const {
    std::lock_guard lock(m_mutex);
    return m_changes;
}

std::optional<FakeEc2Network::Answer> FakeEc2Network::handle(const std::string& action,
                                                             const Params& params) {
    auto known = k_network_known.find(action);
    if (known == k_network_known.end()) return std::nullopt;
    if (get(params, "Version") != aws::k_ec2_api_version)
        return Answer{400, error_xml("InvalidParameterValue", "Version must be 2016-11-15")};
    for (const auto& [key, value] : params) {
        if (key == "Action" || key == "Version") continue;
        bool ok = false;
        for (const auto& pattern : known->second)
            ok = ok || std::regex_match(key, std::regex(pattern));
        if (!ok)
            return Answer{
                400, error_xml("UnknownParameter", "The parameter " + key + " is not recognized")};
    }
    std::lock_guard lock(m_mutex);
    if (action == "DescribeVpcs") return describe_vpcs(params);
    if (action == "DescribeSubnets") return describe_subnets(params);
    if (action == "DescribeSecurityGroups") return describe_groups(params);
    if (action == "CreateSecurityGroup") return create_group(params);
    if (action == "AuthorizeSecurityGroupIngress") return authorize(params, false);
    if (action == "RevokeSecurityGroupIngress") return authorize(params, true);
    return delete_group(params);
}

FakeEc2Network::Answer FakeEc2Network::describe_vpcs(const Params& params) const {
    const auto ids = numbered(params, "VpcId");
    const auto is_default = filter(params, "isDefault");
    for (const auto& id : ids)
        if (std::none_of(m_vpcs.begin(), m_vpcs.end(), [&](const Vpc& v) { return v.id == id; }))
            return {400,
                    error_xml("InvalidVpcID.NotFound", "The vpc ID '" + id + "' does not exist")};
    pugi::xml_document doc;
    auto set = start(doc, "DescribeVpcsResponse").append_child("vpcSet");
    for (const auto& vpc : m_vpcs) {
        if (!ids.empty() && std::find(ids.begin(), ids.end(), vpc.id) == ids.end()) continue;
        if (!passes(is_default, vpc.is_default ? "true" : "false")) continue;
        auto item = set.append_child("item");
        item.append_child("vpcId").text() = vpc.id.c_str();
        item.append_child("state").text() = "available";
        item.append_child("cidrBlock").text() = vpc.cidr.c_str();
        item.append_child("isDefault").text() = vpc.is_default ? "true" : "false";
    }
    return {200, xml_text(doc)};
}

FakeEc2Network::Answer FakeEc2Network::describe_subnets(const Params& params) const {
    const auto ids = numbered(params, "SubnetId");
    const auto vpc = filter(params, "vpc-id");
    for (const auto& id : ids)
        if (std::none_of(m_subnets.begin(), m_subnets.end(),
                         [&](const aws::Ec2Subnet& s) { return s.id == id; }))
            return {400, error_xml("InvalidSubnetID.NotFound",
                                   "The subnet ID '" + id + "' does not exist")};
    pugi::xml_document doc;
    auto set = start(doc, "DescribeSubnetsResponse").append_child("subnetSet");
    for (const auto& subnet : m_subnets) {
        if (!ids.empty() && std::find(ids.begin(), ids.end(), subnet.id) == ids.end()) continue;
        if (!passes(vpc, subnet.vpc_id)) continue;
        auto item = set.append_child("item");
        item.append_child("subnetId").text() = subnet.id.c_str();
        item.append_child("state").text() = "available";
        item.append_child("vpcId").text() = subnet.vpc_id.c_str();
        item.append_child("cidrBlock").text() = subnet.cidr.c_str();
        item.append_child("availabilityZone").text() = subnet.zone.c_str();
        item.append_child("defaultForAz").text() = subnet.default_for_zone ? "true" : "false";
        item.append_child("mapPublicIpOnLaunch").text() =
            subnet.default_for_zone ? "true" : "false";
    }
    return {200, xml_text(doc)};
}

FakeEc2Network::Answer FakeEc2Network::describe_groups(const Params& params) const {
    const auto vpc = filter(params, "vpc-id");
    const auto name = filter(params, "group-name");
    const auto tag_key = filter(params, "tag-key");
    pugi::xml_document doc;
    auto set = start(doc, "DescribeSecurityGroupsResponse").append_child("securityGroupInfo");
    for (const auto& group : m_groups) {
        if (!passes(vpc, group.vpc_id) || !passes(name, group.name)) continue;
        if (tag_key && std::none_of(group.tags.begin(), group.tags.end(),
                                    [&](const aws::Tag& t) { return passes(tag_key, t.key); }))
            continue;
        auto item = set.append_child("item");
        item.append_child("ownerId").text() = "123456789012";
        item.append_child("groupId").text() = group.id.c_str();
        item.append_child("groupName").text() = group.name.c_str();
        item.append_child("groupDescription").text() = group.description.c_str();
        item.append_child("vpcId").text() = group.vpc_id.c_str();
        auto permissions = item.append_child("ipPermissions");
        for (const auto& rule : group.ingress) {
            auto p = permissions.append_child("item");
            p.append_child("ipProtocol").text() = "tcp";
            p.append_child("fromPort").text() = rule.from_port;
            p.append_child("toPort").text() = rule.to_port;
            auto groups = p.append_child("groups");
            auto ranges = p.append_child("ipRanges");
            if (!rule.cidr.empty()) {
                auto r = ranges.append_child("item");
                r.append_child("cidrIp").text() = rule.cidr.c_str();
                r.append_child("description").text() = rule.description.c_str();
            } else {
                auto g = groups.append_child("item");
                g.append_child("description").text() = rule.description.c_str();
                g.append_child("groupId").text() = rule.group_id.c_str();
                g.append_child("userId").text() = "123456789012";
            }
        }
        add_tags(item, group.tags);
    }
    return {200, xml_text(doc)};
}

FakeEc2Network::Answer FakeEc2Network::create_group(const Params& params) {
    const std::string name = get(params, "GroupName");
    const std::string vpc = get(params, "VpcId");
    if (name.empty() || get(params, "GroupDescription").empty())
        return {400, error_xml("MissingParameter", "GroupName and GroupDescription are required")};
    if (std::none_of(m_vpcs.begin(), m_vpcs.end(), [&](const Vpc& v) { return v.id == vpc; }))
        return {400, error_xml("InvalidVpcID.NotFound", "The vpc ID '" + vpc + "' does not exist")};
    for (const auto& group : m_groups)
        if (group.name == name && group.vpc_id == vpc)
            return {400, error_xml("InvalidGroup.Duplicate", "The security group '" + name +
                                                                 "' already exists for VPC '" +
                                                                 vpc + "'")};
    if (m_group_limit && int(m_groups.size()) >= *m_group_limit)
        return {400, error_xml("SecurityGroupLimitExceeded",
                               "You have reached the limit of security groups in this VPC")};
    auto tags = tags_for(params, "TagSpecification", "security-group");
    if (!tags) return {400, error_xml("InvalidParameterValue", "a tag has no value")};
    aws::Ec2SecurityGroup group;
    char id[32];
    std::snprintf(id, sizeof id, "sg-%017d", m_next_id++);
    group.id = id;
    group.name = name;
    group.vpc_id = vpc;
    group.description = get(params, "GroupDescription");
    group.tags = *tags;
    m_groups.push_back(group);
    ++m_changes;
    pugi::xml_document doc;
    auto root = start(doc, "CreateSecurityGroupResponse");
    root.append_child("groupId").text() = group.id.c_str();
    return {200, xml_text(doc)};
}

FakeEc2Network::Answer FakeEc2Network::authorize(const Params& params, bool revoke) {
    auto group = std::find_if(m_groups.begin(), m_groups.end(),
                              [&](const auto& g) { return g.id == get(params, "GroupId"); });
    if (group == m_groups.end())
        return {400,
                error_xml("InvalidGroup.NotFound",
                          "The security group '" + get(params, "GroupId") + "' does not exist")};
    std::vector<aws::IngressRule> adding;
    for (int i = 1; params.count("IpPermissions." + std::to_string(i) + ".IpProtocol"); ++i) {
        const std::string p = "IpPermissions." + std::to_string(i) + ".";
        if (get(params, p + "IpProtocol") != "tcp")
            return {400, error_xml("InvalidParameterValue", "this stand-in knows tcp only")};
        aws::IngressRule rule;
        rule.from_port = std::stoi(get(params, p + "FromPort"));
        rule.to_port = std::stoi(get(params, p + "ToPort"));
        for (const auto& cidr : numbered(params, p + "IpRanges", ".CidrIp")) {
            rule.cidr = cidr;
            rule.description = get(params, p + "IpRanges.1.Description");
            adding.push_back(rule);
        }
        rule.cidr.clear();
        for (const auto& source : numbered(params, p + "Groups", ".GroupId")) {
            if (std::none_of(m_groups.begin(), m_groups.end(),
                             [&](const auto& g) { return g.id == source; }))
                return {400, error_xml("InvalidGroup.NotFound",
                                       "The security group '" + source + "' does not exist")};
            rule.group_id = source;
            rule.description = get(params, p + "Groups.1.Description");
            adding.push_back(rule);
        }
    }
    if (adding.empty())
        return {400, error_xml("MissingParameter", "IpPermissions names no source")};
    const auto same = [](const aws::IngressRule& a, const aws::IngressRule& b) {
        return a.from_port == b.from_port && a.to_port == b.to_port && a.cidr == b.cidr &&
               a.group_id == b.group_id;
    };
    for (const auto& rule : adding) {
        const bool present = std::any_of(group->ingress.begin(), group->ingress.end(),
                                         [&](const auto& have) { return same(have, rule); });
        if (present && !revoke)
            return {400,
                    error_xml("InvalidPermission.Duplicate", "the specified rule already exists")};
        if (!present && revoke)
            return {400, error_xml("InvalidPermission.NotFound",
                                   "The specified rule does not exist in this security group.")};
    }
    for (const auto& rule : adding) {
        if (revoke)
            std::erase_if(group->ingress, [&](const auto& have) { return same(have, rule); });
        else
            group->ingress.push_back(rule);
    }
    ++m_changes;
    pugi::xml_document doc;
    start(doc,
          revoke ? "RevokeSecurityGroupIngressResponse" : "AuthorizeSecurityGroupIngressResponse")
        .append_child("return")
        .text() = "true";
    return {200, xml_text(doc)};
}

FakeEc2Network::Answer FakeEc2Network::delete_group(const Params& params) {
    const std::string id = get(params, "GroupId");
    auto group =
        std::find_if(m_groups.begin(), m_groups.end(), [&](const auto& g) { return g.id == id; });
    if (group == m_groups.end())
        return {400, error_xml("InvalidGroup.NotFound",
                               "The security group '" + id + "' does not exist")};
    for (const auto& other : m_groups) {
        if (other.id == id) continue;
        for (const auto& rule : other.ingress)
            if (rule.group_id == id)
                return {400, error_xml("DependencyViolation",
                                       "resource " + id + " has a dependent object")};
    }
    if (m_group_users && m_group_users(id))
        return {400,
                error_xml("DependencyViolation", "resource " + id + " has a dependent object")};
    m_groups.erase(group);
    ++m_changes;
    // botocore's model has no output for DeleteSecurityGroup: the request id alone.
    pugi::xml_document doc;
    start(doc, "DeleteSecurityGroupResponse");
    return {200, xml_text(doc)};
}

}  // namespace spotfarm::testing
