#include "providers/aws/ec2_network_client.h"

#include <pugixml.hpp>

#include "providers/aws/aws_endpoints.h"
#include "providers/aws/ec2_query_params.h"

namespace spotfarm::providers::aws {
namespace {

std::string action_of(const QueryParams& params) {
    for (const auto& [key, value] : params)
        if (key == "Action") return value;
    return "EC2 call";
}

void add_filter(QueryParams& params, int n, const std::string& name, const std::string& value) {
    const std::string prefix = "Filter." + std::to_string(n);
    params.emplace_back(prefix + ".Name", name);
    params.emplace_back(prefix + ".Value.1", value);
}

util::Result<pugi::xml_node> answer_root(pugi::xml_document& doc, const std::string& xml,
                                         const std::string& action) {
    if (!doc.load_buffer(xml.data(), xml.size()))
        return util::make_error("EC2 answered " + action + " with XML that cannot be read");
    return doc.document_element();
}

std::vector<Tag> read_tag_set(pugi::xml_node node) {
    std::vector<Tag> tags;
    for (auto item : node.child("tagSet").children("item"))
        tags.push_back({item.child_value("key"), item.child_value("value")});
    return tags;
}

Ec2SecurityGroup read_group(pugi::xml_node item) {
    Ec2SecurityGroup group;
    group.id = item.child_value("groupId");
    group.name = item.child_value("groupName");
    group.vpc_id = item.child_value("vpcId");
    group.description = item.child_value("groupDescription");
    group.tags = read_tag_set(item);
    for (auto permission : item.child("ipPermissions").children("item")) {
        if (std::string(permission.child_value("ipProtocol")) != "tcp") continue;
        const int from = permission.child("fromPort").text().as_int();
        const int to = permission.child("toPort").text().as_int();
        for (auto range : permission.child("ipRanges").children("item"))
            group.ingress.push_back(
                {from, to, range.child_value("cidrIp"), "", range.child_value("description")});
        for (auto pair : permission.child("groups").children("item"))
            group.ingress.push_back(
                {from, to, "", pair.child_value("groupId"), pair.child_value("description")});
    }
    return group;
}

}  // namespace

util::Result<std::unique_ptr<Ec2NetworkClient>> Ec2NetworkClient::create(AwsClientServices services,
                                                                         std::string region,
                                                                         std::string endpoint,
                                                                         RetryPolicy retry) {
    AwsCallOptions options;
    options.service_label = "EC2";
    options.signing_service = "ec2";
    options.signing_region = region;
    options.endpoint = endpoint.empty() ? default_endpoint(AwsService::ec2, region) : endpoint;
    options.retry = retry;
    auto caller = AwsCaller::create(std::move(services), std::move(options),
                                    [](const util::HttpResponse& response) {
                                        return parse_ec2_error(response.body, response.status);
                                    });
    if (!caller.ok()) return caller.error();
    return std::unique_ptr<Ec2NetworkClient>(new Ec2NetworkClient(std::move(caller.value())));
}

util::Result<std::string> Ec2NetworkClient::call(const QueryParams& params) {
    AwsRequest request;
    request.headers = {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}};
    request.body = util::encode_query(params);
    auto reply = m_caller.call(request);
    if (!reply.ok()) return reply.error();
    if (reply->error) {
        auto error = describe_aws_error(*reply->error, "ec2", action_of(params), reply->attempts);
        const auto& code = reply->error->code;
        if (code.ends_with(".NotFound")) error.kind = util::ErrorKind::not_found;
        if (code == "InvalidPermission.Duplicate" || code == "InvalidGroup.Duplicate" ||
            code == "DependencyViolation")
            error.kind = util::ErrorKind::conflict;
        return error;
    }
    return std::move(reply->body);
}

util::Result<std::optional<Ec2Vpc>> Ec2NetworkClient::find_vpc(const std::string& vpc_id) {
    auto params = ec2_action("DescribeVpcs");
    if (vpc_id.empty())
        add_filter(params, 1, "isDefault", "true");
    else
        params.emplace_back("VpcId.1", vpc_id);
    auto xml = call(params);
    if (!xml.ok() && xml.error().kind == util::ErrorKind::not_found) return std::optional<Ec2Vpc>();
    if (!xml.ok()) return xml.error();
    pugi::xml_document doc;
    auto root = answer_root(doc, *xml, "DescribeVpcs");
    if (!root.ok()) return root.error();
    for (auto item : root->child("vpcSet").children("item"))
        return std::optional<Ec2Vpc>(Ec2Vpc{item.child_value("vpcId"),
                                            item.child_value("cidrBlock"),
                                            std::string(item.child_value("isDefault")) == "true"});
    return std::optional<Ec2Vpc>();
}

util::Result<std::vector<Ec2Subnet>> Ec2NetworkClient::describe_subnets(
    const std::string& vpc_id, const std::vector<std::string>& ids) {
    auto params = ec2_action("DescribeSubnets");
    add_filter(params, 1, "vpc-id", vpc_id);
    add_list(params, "SubnetId", ids);
    auto xml = call(params);
    if (!xml.ok()) return xml.error();
    pugi::xml_document doc;
    auto root = answer_root(doc, *xml, "DescribeSubnets");
    if (!root.ok()) return root.error();
    std::vector<Ec2Subnet> subnets;
    for (auto item : root->child("subnetSet").children("item"))
        subnets.push_back({item.child_value("subnetId"), item.child_value("vpcId"),
                           item.child_value("availabilityZone"), item.child_value("cidrBlock"),
                           std::string(item.child_value("defaultForAz")) == "true"});
    return subnets;
}

util::Result<std::optional<Ec2SecurityGroup>> Ec2NetworkClient::find_security_group(
    const std::string& vpc_id, const std::string& name) {
    auto params = ec2_action("DescribeSecurityGroups");
    add_filter(params, 1, "vpc-id", vpc_id);
    add_filter(params, 2, "group-name", name);
    auto xml = call(params);
    if (!xml.ok()) return xml.error();
    pugi::xml_document doc;
    auto root = answer_root(doc, *xml, "DescribeSecurityGroups");
    if (!root.ok()) return root.error();
    for (auto item : root->child("securityGroupInfo").children("item"))
        return std::optional<Ec2SecurityGroup>(read_group(item));
    return std::optional<Ec2SecurityGroup>();
}

util::Result<std::vector<Ec2SecurityGroup>> Ec2NetworkClient::security_groups_tagged(
    const std::string& key) {
    auto params = ec2_action("DescribeSecurityGroups");
    add_filter(params, 1, "tag-key", key);
    auto xml = call(params);
    if (!xml.ok()) return xml.error();
    pugi::xml_document doc;
    auto root = answer_root(doc, *xml, "DescribeSecurityGroups");
    if (!root.ok()) return root.error();
    std::vector<Ec2SecurityGroup> groups;
    for (auto item : root->child("securityGroupInfo").children("item"))
        groups.push_back(read_group(item));
    return groups;
}

util::Result<std::string> Ec2NetworkClient::create_security_group(const std::string& vpc_id,
                                                                  const std::string& name,
                                                                  const std::string& description,
                                                                  const std::vector<Tag>& tags) {
    if (auto checked = check_tags(tags); !checked.ok()) return checked.error();
    auto params = ec2_action("CreateSecurityGroup");
    params.emplace_back("GroupName", name);
    params.emplace_back("GroupDescription", description);
    params.emplace_back("VpcId", vpc_id);
    add_tag_specification(params, "TagSpecification.1", "security-group", tags);
    auto xml = call(params);
    if (!xml.ok()) return xml.error();
    pugi::xml_document doc;
    auto root = answer_root(doc, *xml, "CreateSecurityGroup");
    if (!root.ok()) return root.error();
    std::string id = root->child_value("groupId");
    if (id.empty()) return util::make_error("EC2 answered CreateSecurityGroup without a groupId");
    return id;
}

util::Status Ec2NetworkClient::authorize_ingress(const std::string& group_id,
                                                 const std::vector<IngressRule>& rules) {
    // One call per rule: EC2 refuses a whole call when one of its rules exists already.
    for (const auto& rule : rules) {
        auto params = ec2_action("AuthorizeSecurityGroupIngress");
        params.emplace_back("GroupId", group_id);
        const std::string p = "IpPermissions.1.";
        params.emplace_back(p + "IpProtocol", "tcp");
        params.emplace_back(p + "FromPort", std::to_string(rule.from_port));
        params.emplace_back(p + "ToPort", std::to_string(rule.to_port));
        if (!rule.cidr.empty()) {
            params.emplace_back(p + "IpRanges.1.CidrIp", rule.cidr);
            if (!rule.description.empty())
                params.emplace_back(p + "IpRanges.1.Description", rule.description);
        } else {
            params.emplace_back(p + "Groups.1.GroupId", rule.group_id);
            if (!rule.description.empty())
                params.emplace_back(p + "Groups.1.Description", rule.description);
        }
        auto xml = call(params);
        if (!xml.ok() && xml.error().kind != util::ErrorKind::conflict) return xml.error();
    }
    return {};
}

util::Status Ec2NetworkClient::delete_security_group(const std::string& group_id) {
    auto params = ec2_action("DeleteSecurityGroup");
    params.emplace_back("GroupId", group_id);
    auto xml = call(params);
    if (!xml.ok() && xml.error().kind != util::ErrorKind::not_found) return xml.error();
    return {};
}

}  // namespace spotfarm::providers::aws
