#include "support/fake_iam.h"

#include <regex>

#include <pugixml.hpp>

#include "providers/aws/iam_client.h"
#include "support/fake_ec2_wire.h"
#include "support/sigv4_verifier.h"
#include "util/percent_encoding.h"

namespace spotfarm::testing {
namespace {

namespace aws = providers::aws;
using fake_ec2_wire::get;
using fake_ec2_wire::xml_text;

const char* k_xmlns = "https://iam.amazonaws.com/doc/2010-05-08/";
const char* k_account = "123456789012";

const std::map<std::string, std::vector<std::string>> k_iam_known = {
    {"GetRole", {"RoleName"}},
    {"CreateRole",
     {"RoleName", "Path", "AssumeRolePolicyDocument", "Description", "MaxSessionDuration",
      R"(Tags\.member\.\d+\.(Key|Value))"}},
    {"PutRolePolicy", {"RoleName", "PolicyName", "PolicyDocument"}},
    {"ListRolePolicies", {"RoleName", "Marker", "MaxItems"}},
    {"DeleteRolePolicy", {"RoleName", "PolicyName"}},
    {"DeleteRole", {"RoleName"}},
    {"GetInstanceProfile", {"InstanceProfileName"}},
    {"CreateInstanceProfile", {"InstanceProfileName", "Path", R"(Tags\.member\.\d+\.(Key|Value))"}},
    {"AddRoleToInstanceProfile", {"InstanceProfileName", "RoleName"}},
    {"RemoveRoleFromInstanceProfile", {"InstanceProfileName", "RoleName"}},
    {"DeleteInstanceProfile", {"InstanceProfileName"}},
};

std::string iam_error_xml(const std::string& code, const std::string& message) {
    pugi::xml_document doc;
    auto root = doc.append_child("ErrorResponse");
    root.append_attribute("xmlns") = k_xmlns;
    auto error = root.append_child("Error");
    error.append_child("Type").text() = "Sender";
    error.append_child("Code").text() = code.c_str();
    error.append_child("Message").text() = message.c_str();
    root.append_child("RequestId").text() = "fake-iam-error";
    return xml_text(doc);
}

// <ActionResponse><ActionResult/><ResponseMetadata><RequestId/></ResponseMetadata>
pugi::xml_node start(pugi::xml_document& doc, const std::string& action) {
    auto root = doc.append_child((action + "Response").c_str());
    root.append_attribute("xmlns") = k_xmlns;
    root.append_child("ResponseMetadata").append_child("RequestId").text() = "fake-iam-request";
    return root.insert_child_before((action + "Result").c_str(), root.first_child());
}

std::vector<aws::Tag> read_tags(const std::map<std::string, std::string>& params) {
    std::vector<aws::Tag> tags;
    for (int i = 1; params.count("Tags.member." + std::to_string(i) + ".Key"); ++i) {
        const std::string p = "Tags.member." + std::to_string(i);
        tags.push_back({params.at(p + ".Key"), get(params, p + ".Value")});
    }
    return tags;
}

std::string role_arn(const FakeIamRole& role) {
    return std::string("arn:aws:iam::") + k_account + ":role" + role.path + role.name;
}

void add_role(pugi::xml_node parent, const FakeIamRole& role, const char* element = "Role") {
    auto node = parent.append_child(element);
    node.append_child("Path").text() = role.path.c_str();
    node.append_child("RoleName").text() = role.name.c_str();
    node.append_child("RoleId").text() = ("AROAFAKE" + role.name).c_str();
    node.append_child("Arn").text() = role_arn(role).c_str();
    node.append_child("CreateDate").text() = "2026-12-05T09:00:00Z";
    node.append_child("AssumeRolePolicyDocument").text() =
        util::percent_encode(role.trust_policy).c_str();
}

}  // namespace

FakeIam::FakeIam(aws::Credentials credentials) : m_credentials(std::move(credentials)) {
    m_server = std::make_unique<LoopbackHttpServer>(
        [this](const ReceivedRequest& request) { return handle(request); });
}

std::string FakeIam::endpoint() const {
    return m_server->url() + "/";
}

void FakeIam::fail_next(std::string action, int http_status, std::string code, std::string message,
                        int times) {
    std::lock_guard lock(m_mutex);
    m_injected.push_back(
        {std::move(action), http_status, std::move(code), std::move(message), times});
}

std::map<std::string, FakeIamRole> FakeIam::roles() const {
    std::lock_guard lock(m_mutex);
    return m_roles;
}

std::map<std::string, FakeIamProfile> FakeIam::profiles() const {
    std::lock_guard lock(m_mutex);
    return m_profiles;
}

std::vector<std::vector<std::pair<std::string, std::string>>> FakeIam::calls() const {
    std::lock_guard lock(m_mutex);
    return m_calls;
}

int FakeIam::changes() const {
    std::lock_guard lock(m_mutex);
    return m_changes;
}

util::HttpResponse FakeIam::handle(const ReceivedRequest& request) {
    auto reply = [](Answer answer) {
        return util::HttpResponse{
            answer.status, {{"Content-Type", "text/xml"}}, std::move(answer.body)};
    };
    if (request.method != "POST" || request.target != "/")
        return reply({400, iam_error_xml("InvalidAction", "IAM takes POST / only")});
    if (auto error = verify_sigv4(request, {m_credentials, "us-east-1", "iam", std::nullopt}))
        return reply({error->http_status, iam_error_xml(error->code, error->message)});
    const auto list = util::parse_query(request.body);
    Params params(list.begin(), list.end());
    std::lock_guard lock(m_mutex);
    m_calls.push_back(list);
    return reply(dispatch(get(params, "Action"), params));
}

FakeIam::Answer FakeIam::dispatch(const std::string& action, const Params& p) {
    auto known = k_iam_known.find(action);
    if (known == k_iam_known.end())
        return {400, iam_error_xml("InvalidAction", "Could not find operation " + action)};
    if (get(p, "Version") != aws::k_iam_api_version)
        return {400, iam_error_xml("InvalidParameterValue", "Version must be 2010-05-08")};
    for (const auto& [key, value] : p) {
        if (key == "Action" || key == "Version") continue;
        bool ok = false;
        for (const auto& pattern : known->second)
            ok = ok || std::regex_match(key, std::regex(pattern));
        if (!ok) return {400, iam_error_xml("InvalidParameter", "Unknown parameter " + key)};
    }
    for (auto it = m_injected.begin(); it != m_injected.end(); ++it) {
        if (!it->action.empty() && it->action != action) continue;
        Answer injected{it->status, iam_error_xml(it->code, it->message)};
        if (--it->times <= 0) m_injected.erase(it);
        return injected;
    }
    const auto no_role = [&](const std::string& name) {
        return Answer{
            404, iam_error_xml("NoSuchEntity", "The role with name " + name + " cannot be found.")};
    };
    const auto no_profile = [&](const std::string& name) {
        return Answer{
            404, iam_error_xml("NoSuchEntity", "Instance Profile " + name + " cannot be found.")};
    };
    const auto ok = [&]() {
        ++m_changes;
        pugi::xml_document doc;
        start(doc, action);
        doc.document_element().remove_child((action + "Result").c_str());
        return Answer{200, xml_text(doc)};
    };
    const std::string role = get(p, "RoleName");
    const std::string profile = get(p, "InstanceProfileName");
    pugi::xml_document doc;

    if (action == "GetRole") {
        if (!m_roles.count(role)) return no_role(role);
        add_role(start(doc, action), m_roles[role]);
        return {200, xml_text(doc)};
    }
    if (action == "CreateRole") {
        if (m_roles.count(role))
            return {409, iam_error_xml("EntityAlreadyExists",
                                       "Role with name " + role + " already exists.")};
        if (get(p, "AssumeRolePolicyDocument").empty())
            return {400, iam_error_xml("ValidationError", "AssumeRolePolicyDocument is required")};
        FakeIamRole made{role,
                         get(p, "Path").empty() ? "/" : get(p, "Path"),
                         get(p, "AssumeRolePolicyDocument"),
                         {},
                         read_tags(p)};
        m_roles[role] = made;
        ++m_changes;
        add_role(start(doc, action), made);
        return {200, xml_text(doc)};
    }
    if (action == "PutRolePolicy") {
        if (!m_roles.count(role)) return no_role(role);
        auto& policies = m_roles[role].policies;
        const bool same = policies.count(get(p, "PolicyName")) &&
                          policies[get(p, "PolicyName")] == get(p, "PolicyDocument");
        policies[get(p, "PolicyName")] = get(p, "PolicyDocument");
        auto answer = ok();
        if (same) --m_changes;  // the same document again changes nothing
        return answer;
    }
    if (action == "ListRolePolicies") {
        if (!m_roles.count(role)) return no_role(role);
        auto result = start(doc, action);
        auto names = result.append_child("PolicyNames");
        for (const auto& [name, document] : m_roles[role].policies)
            names.append_child("member").text() = name.c_str();
        result.append_child("IsTruncated").text() = "false";
        return {200, xml_text(doc)};
    }
    if (action == "DeleteRolePolicy") {
        if (!m_roles.count(role) || !m_roles[role].policies.erase(get(p, "PolicyName")))
            return no_role(role);
        return ok();
    }
    if (action == "DeleteRole") {
        if (!m_roles.count(role)) return no_role(role);
        if (!m_roles[role].policies.empty())
            return {409, iam_error_xml("DeleteConflict",
                                       "Cannot delete entity, must delete policies first.")};
        for (const auto& [name, held] : m_profiles)
            for (const auto& r : held.roles)
                if (r == role)
                    return {409, iam_error_xml("DeleteConflict",
                                               "Cannot delete entity, must remove roles from "
                                               "instance profile first.")};
        m_roles.erase(role);
        return ok();
    }
    if (action == "GetInstanceProfile" || action == "CreateInstanceProfile") {
        if (action == "CreateInstanceProfile") {
            if (m_profiles.count(profile))
                return {409, iam_error_xml("EntityAlreadyExists",
                                           "Instance Profile " + profile + " already exists.")};
            m_profiles[profile] = {
                profile, get(p, "Path").empty() ? "/" : get(p, "Path"), {}, read_tags(p)};
            ++m_changes;
        }
        if (!m_profiles.count(profile)) return no_profile(profile);
        const auto& held = m_profiles[profile];
        auto node = start(doc, action).append_child("InstanceProfile");
        node.append_child("Path").text() = held.path.c_str();
        node.append_child("InstanceProfileName").text() = held.name.c_str();
        node.append_child("InstanceProfileId").text() = ("AIPAFAKE" + held.name).c_str();
        node.append_child("Arn").text() =
            (std::string("arn:aws:iam::") + k_account + ":instance-profile" + held.path + held.name)
                .c_str();
        node.append_child("CreateDate").text() = "2026-12-05T09:00:00Z";
        auto roles = node.append_child("Roles");
        for (const auto& r : held.roles)
            if (m_roles.count(r)) add_role(roles, m_roles[r], "member");
        return {200, xml_text(doc)};
    }
    if (action == "AddRoleToInstanceProfile") {
        if (!m_profiles.count(profile)) return no_profile(profile);
        if (!m_roles.count(role)) return no_role(role);
        if (!m_profiles[profile].roles.empty())
            return {409,
                    iam_error_xml("LimitExceeded",
                                  "Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1")};
        m_profiles[profile].roles.push_back(role);
        return ok();
    }
    if (action == "RemoveRoleFromInstanceProfile") {
        if (!m_profiles.count(profile)) return no_profile(profile);
        auto& roles = m_profiles[profile].roles;
        auto it = std::find(roles.begin(), roles.end(), role);
        if (it == roles.end()) return no_role(role);
        roles.erase(it);
        return ok();
    }
    // DeleteInstanceProfile
    if (!m_profiles.count(profile)) return no_profile(profile);
    if (!m_profiles[profile].roles.empty())
        return {409, iam_error_xml("DeleteConflict",
                                   "Cannot delete entity, must remove roles from instance profile "
                                   "first.")};
    m_profiles.erase(profile);
    return ok();
}

}  // namespace spotfarm::testing
