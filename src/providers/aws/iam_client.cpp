#include "providers/aws/iam_client.h"

#include <pugixml.hpp>

#include "providers/aws/aws_endpoints.h"
#include "providers/aws/ec2_query_params.h"

namespace spotfarm::providers::aws {
namespace {

QueryParams iam_action(std::string_view name) {
    return {{"Action", std::string(name)}, {"Version", k_iam_api_version}};
}

std::string action_of(const QueryParams& params) {
    for (const auto& [key, value] : params)
        if (key == "Action") return value;
    return "IAM call";
}

void add_iam_tags(QueryParams& params, const std::vector<Tag>& tags) {
    for (size_t i = 0; i < tags.size(); ++i) {
        const std::string prefix = "Tags.member." + std::to_string(i + 1);
        params.emplace_back(prefix + ".Key", tags[i].key);
        params.emplace_back(prefix + ".Value", tags[i].value);
    }
}

util::Result<pugi::xml_node> result_node(pugi::xml_document& doc, const std::string& xml,
                                         const std::string& action) {
    if (!doc.load_buffer(xml.data(), xml.size()))
        return util::make_error("IAM answered " + action + " with XML that cannot be read");
    return doc.document_element().child((action + "Result").c_str());
}

IamRole read_role(pugi::xml_node node) {
    return {node.child_value("RoleName"), node.child_value("Arn"), node.child_value("Path")};
}

IamInstanceProfile read_profile(pugi::xml_node node) {
    IamInstanceProfile profile{node.child_value("InstanceProfileName"),
                               node.child_value("Arn"),
                               node.child_value("Path"),
                               {}};
    for (auto member : node.child("Roles").children("member"))
        profile.role_names.push_back(member.child_value("RoleName"));
    return profile;
}

std::optional<AwsError> parse_iam_error(const util::HttpResponse& response) {
    return parse_ec2_error(response.body, response.status);
}

}  // namespace

util::Result<std::unique_ptr<IamClient>> IamClient::create(AwsClientServices services,
                                                           std::string endpoint,
                                                           RetryPolicy retry) {
    AwsCallOptions options;
    options.service_label = "IAM";
    options.signing_service = "iam";
    options.signing_region = signing_region(AwsService::iam, "");
    options.endpoint = endpoint.empty() ? default_endpoint(AwsService::iam, "") : endpoint;
    options.retry = retry;
    auto caller = AwsCaller::create(std::move(services), std::move(options), parse_iam_error);
    if (!caller.ok()) return caller.error();
    return std::unique_ptr<IamClient>(new IamClient(std::move(caller.value())));
}

util::Result<std::string> IamClient::call(const QueryParams& params) {
    AwsRequest request;
    request.headers = {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}};
    request.body = util::encode_query(params);
    auto reply = m_caller.call(request);
    if (!reply.ok()) return reply.error();
    if (reply->error) {
        auto error = describe_aws_error(*reply->error, "iam", action_of(params), reply->attempts);
        if (reply->error->code == "NoSuchEntity") error.kind = util::ErrorKind::not_found;
        return error;
    }
    return std::move(reply->body);
}

util::Result<std::optional<IamRole>> IamClient::get_role(const std::string& name) {
    auto params = iam_action("GetRole");
    params.emplace_back("RoleName", name);
    auto xml = call(params);
    if (!xml.ok() && xml.error().kind == util::ErrorKind::not_found)
        return std::optional<IamRole>();
    if (!xml.ok()) return xml.error();
    pugi::xml_document doc;
    auto result = result_node(doc, *xml, "GetRole");
    if (!result.ok()) return result.error();
    return std::optional<IamRole>(read_role(result->child("Role")));
}

util::Result<IamRole> IamClient::create_role(const std::string& name, const std::string& path,
                                             const std::string& trust_policy,
                                             const std::vector<Tag>& tags) {
    auto params = iam_action("CreateRole");
    params.emplace_back("RoleName", name);
    params.emplace_back("Path", path);
    params.emplace_back("AssumeRolePolicyDocument", trust_policy);
    params.emplace_back("Description", "spotfarm's manager instance: launches its workers");
    add_iam_tags(params, tags);
    auto xml = call(params);
    if (!xml.ok()) return xml.error();
    pugi::xml_document doc;
    auto result = result_node(doc, *xml, "CreateRole");
    if (!result.ok()) return result.error();
    return read_role(result->child("Role"));
}

util::Status IamClient::put_role_policy(const std::string& role, const std::string& policy_name,
                                        const std::string& policy) {
    auto params = iam_action("PutRolePolicy");
    params.emplace_back("RoleName", role);
    params.emplace_back("PolicyName", policy_name);
    params.emplace_back("PolicyDocument", policy);
    auto xml = call(params);
    if (!xml.ok()) return xml.error();
    return {};
}

util::Result<std::vector<std::string>> IamClient::list_role_policies(const std::string& role) {
    std::vector<std::string> names;
    std::string marker;
    for (int page = 0; page < 100; ++page) {
        auto params = iam_action("ListRolePolicies");
        params.emplace_back("RoleName", role);
        if (!marker.empty()) params.emplace_back("Marker", marker);
        auto xml = call(params);
        if (!xml.ok()) return xml.error();
        pugi::xml_document doc;
        auto result = result_node(doc, *xml, "ListRolePolicies");
        if (!result.ok()) return result.error();
        for (auto member : result->child("PolicyNames").children("member"))
            names.push_back(member.text().get());
        if (std::string(result->child_value("IsTruncated")) != "true") return names;
        marker = result->child_value("Marker");
    }
    return util::make_error("IAM listed more than 100 pages of policies for role " + role);
}

util::Status IamClient::delete_role_policy(const std::string& role,
                                           const std::string& policy_name) {
    auto params = iam_action("DeleteRolePolicy");
    params.emplace_back("RoleName", role);
    params.emplace_back("PolicyName", policy_name);
    auto xml = call(params);
    if (!xml.ok()) return xml.error();
    return {};
}

util::Status IamClient::delete_role(const std::string& name) {
    auto params = iam_action("DeleteRole");
    params.emplace_back("RoleName", name);
    auto xml = call(params);
    if (!xml.ok()) return xml.error();
    return {};
}

util::Result<std::optional<IamInstanceProfile>> IamClient::get_instance_profile(
    const std::string& name) {
    auto params = iam_action("GetInstanceProfile");
    params.emplace_back("InstanceProfileName", name);
    auto xml = call(params);
    if (!xml.ok() && xml.error().kind == util::ErrorKind::not_found)
        return std::optional<IamInstanceProfile>();
    if (!xml.ok()) return xml.error();
    pugi::xml_document doc;
    auto result = result_node(doc, *xml, "GetInstanceProfile");
    if (!result.ok()) return result.error();
    return std::optional<IamInstanceProfile>(read_profile(result->child("InstanceProfile")));
}

util::Result<IamInstanceProfile> IamClient::create_instance_profile(const std::string& name,
                                                                    const std::string& path,
                                                                    const std::vector<Tag>& tags) {
    auto params = iam_action("CreateInstanceProfile");
    params.emplace_back("InstanceProfileName", name);
    params.emplace_back("Path", path);
    add_iam_tags(params, tags);
    auto xml = call(params);
    if (!xml.ok()) return xml.error();
    pugi::xml_document doc;
    auto result = result_node(doc, *xml, "CreateInstanceProfile");
    if (!result.ok()) return result.error();
    return read_profile(result->child("InstanceProfile"));
}

util::Status IamClient::add_role_to_instance_profile(const std::string& profile,
                                                     const std::string& role) {
    auto params = iam_action("AddRoleToInstanceProfile");
    params.emplace_back("InstanceProfileName", profile);
    params.emplace_back("RoleName", role);
    auto xml = call(params);
    if (!xml.ok()) return xml.error();
    return {};
}

util::Status IamClient::remove_role_from_instance_profile(const std::string& profile,
                                                          const std::string& role) {
    auto params = iam_action("RemoveRoleFromInstanceProfile");
    params.emplace_back("InstanceProfileName", profile);
    params.emplace_back("RoleName", role);
    auto xml = call(params);
    if (!xml.ok()) return xml.error();
    return {};
}

util::Status IamClient::delete_instance_profile(const std::string& name) {
    auto params = iam_action("DeleteInstanceProfile");
    params.emplace_back("InstanceProfileName", name);
    auto xml = call(params);
    if (!xml.ok()) return xml.error();
    return {};
}

}  // namespace spotfarm::providers::aws
