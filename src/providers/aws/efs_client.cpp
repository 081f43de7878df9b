#include "providers/aws/efs_client.h"

#include <nlohmann/json.hpp>

#include "providers/aws/aws_endpoints.h"
#include "util/json_fields.h"
#include "util/percent_encoding.h"

namespace spotfarm::providers::aws {
namespace {

constexpr const char* k_api = "/2015-02-01";

std::vector<Tag> read_tags(const nlohmann::json& j) {
    std::vector<Tag> tags;
    if (!j.is_array()) return tags;
    for (const auto& tag : j)
        if (tag.is_object() && tag.value("Key", nlohmann::json()).is_string())
            tags.push_back({tag["Key"].get<std::string>(), tag.value("Value", std::string())});
    return tags;
}

util::Result<EfsFileSystem> read_file_system(const nlohmann::json& j, const std::string& where) {
    EfsFileSystem fs;
    util::JsonFields fields(j, where);
    fields.required("FileSystemId", fs.id)
        .defaulted("CreationToken", fs.creation_token)
        .required("LifeCycleState", fs.life_cycle_state)
        .defaulted("NumberOfMountTargets", fs.mount_targets);
    if (auto status = fields.status(); !status.ok()) return status.error();
    if (j.contains("SizeInBytes") && j["SizeInBytes"].is_object()) {
        const auto& size = j["SizeInBytes"];
        if (size.contains("Value") && size["Value"].is_number_integer())
            fs.size_bytes = size["Value"].get<std::int64_t>();
    }
    if (j.contains("Tags")) fs.tags = read_tags(j["Tags"]);
    return fs;
}

util::Result<EfsMountTarget> read_mount_target(const nlohmann::json& j, const std::string& where) {
    EfsMountTarget mt;
    util::JsonFields fields(j, where);
    fields.required("MountTargetId", mt.id)
        .required("FileSystemId", mt.file_system_id)
        .required("SubnetId", mt.subnet_id)
        .required("LifeCycleState", mt.life_cycle_state)
        .defaulted("AvailabilityZoneName", mt.zone)
        .defaulted("IpAddress", mt.ip_address);
    if (auto status = fields.status(); !status.ok()) return status.error();
    return mt;
}

util::Result<std::vector<EfsFileSystem>> read_file_systems(const std::string& text) {
    auto json = util::parse_json_text(text, "EFS DescribeFileSystems answer");
    if (!json.ok()) return json.error();
    std::vector<EfsFileSystem> all;
    if (!json->is_object() || !(*json)["FileSystems"].is_array())
        return util::make_error("EFS answered DescribeFileSystems without FileSystems");
    for (size_t i = 0; i < (*json)["FileSystems"].size(); ++i) {
        auto fs =
            read_file_system((*json)["FileSystems"][i], "FileSystems[" + std::to_string(i) + "]");
        if (!fs.ok()) return fs.error();
        all.push_back(std::move(fs.value()));
    }
    return all;
}

nlohmann::json tags_json(const std::vector<Tag>& tags) {
    auto out = nlohmann::json::array();
    for (const auto& tag : tags) out.push_back({{"Key", tag.key}, {"Value", tag.value}});
    return out;
}

}  // namespace

util::Result<std::unique_ptr<EfsClient>> EfsClient::create(AwsClientServices services,
                                                           std::string region, std::string endpoint,
                                                           RetryPolicy retry) {
    AwsCallOptions options;
    options.service_label = "EFS";
    options.signing_service = "elasticfilesystem";
    options.signing_region = region;
    options.endpoint = endpoint.empty() ? default_endpoint(AwsService::efs, region) : endpoint;
    options.retry = retry;
    auto caller = AwsCaller::create(std::move(services), std::move(options), parse_json_error);
    if (!caller.ok()) return caller.error();
    return std::unique_ptr<EfsClient>(new EfsClient(std::move(caller.value())));
}

util::Result<std::string> EfsClient::call(const AwsRequest& request, std::string_view action) {
    auto reply = m_caller.call(request);
    if (!reply.ok()) return reply.error();
    if (reply->error) {
        const auto& code = reply->error->code;
        auto error =
            describe_aws_error(*reply->error, "elasticfilesystem", action, reply->attempts);
        if (code == "FileSystemNotFound" || code == "MountTargetNotFound")
            error.kind = util::ErrorKind::not_found;
        if (code == "FileSystemAlreadyExists" || code == "MountTargetConflict" ||
            code == "FileSystemInUse")
            error.kind = util::ErrorKind::conflict;
        return error;
    }
    return std::move(reply->body);
}

util::Result<EfsFileSystem> EfsClient::create_file_system(const std::string& creation_token,
                                                          const std::vector<Tag>& tags) {
    nlohmann::json body = {{"CreationToken", creation_token},
                           {"PerformanceMode", "generalPurpose"},
                           {"ThroughputMode", "elastic"},
                           {"Encrypted", true},
                           {"Tags", tags_json(tags)}};
    AwsRequest request;
    request.path = std::string(k_api) + "/file-systems";
    request.headers = {{"Content-Type", "application/json"}};
    request.body = body.dump();
    auto text = call(request, "CreateFileSystem");
    if (!text.ok() && text.error().kind == util::ErrorKind::conflict) {
        // Made before with this token (a setup that was interrupted): that one is ours.
        auto existing = find_by_creation_token(creation_token);
        if (!existing.ok()) return existing.error();
        if (*existing) return **existing;
    }
    if (!text.ok()) return text.error();
    auto json = util::parse_json_text(*text, "EFS CreateFileSystem answer");
    if (!json.ok()) return json.error();
    return read_file_system(*json, "CreateFileSystem");
}

util::Result<std::optional<EfsFileSystem>> EfsClient::describe_file_system(const std::string& id) {
    AwsRequest request;
    request.method = "GET";
    request.path = std::string(k_api) + "/file-systems";
    request.query = util::encode_query({{"FileSystemId", id}});
    auto text = call(request, "DescribeFileSystems");
    if (!text.ok() && text.error().kind == util::ErrorKind::not_found)
        return std::optional<EfsFileSystem>();
    if (!text.ok()) return text.error();
    auto all = read_file_systems(*text);
    if (!all.ok()) return all.error();
    if (all->empty()) return std::optional<EfsFileSystem>();
    return std::optional<EfsFileSystem>(all->front());
}

util::Result<std::optional<EfsFileSystem>> EfsClient::find_by_creation_token(
    const std::string& token) {
    AwsRequest request;
    request.method = "GET";
    request.path = std::string(k_api) + "/file-systems";
    request.query = util::encode_query({{"CreationToken", token}});
    auto text = call(request, "DescribeFileSystems");
    if (!text.ok()) return text.error();
    auto all = read_file_systems(*text);
    if (!all.ok()) return all.error();
    if (all->empty()) return std::optional<EfsFileSystem>();
    return std::optional<EfsFileSystem>(all->front());
}

util::Status EfsClient::delete_file_system(const std::string& id) {
    AwsRequest request;
    request.method = "DELETE";
    request.path = std::string(k_api) + "/file-systems/" + util::percent_encode(id);
    auto text = call(request, "DeleteFileSystem");
    if (!text.ok() && text.error().kind != util::ErrorKind::not_found) return text.error();
    return {};
}

util::Result<EfsMountTarget> EfsClient::create_mount_target(
    const std::string& file_system_id, const std::string& subnet_id,
    const std::vector<std::string>& security_groups) {
    AwsRequest request;
    request.path = std::string(k_api) + "/mount-targets";
    request.headers = {{"Content-Type", "application/json"}};
    request.body = nlohmann::json{{"FileSystemId", file_system_id},
                                  {"SubnetId", subnet_id},
                                  {"SecurityGroups", security_groups}}
                       .dump();
    auto text = call(request, "CreateMountTarget");
    if (!text.ok()) return text.error();
    auto json = util::parse_json_text(*text, "EFS CreateMountTarget answer");
    if (!json.ok()) return json.error();
    return read_mount_target(*json, "CreateMountTarget");
}

util::Result<std::vector<EfsMountTarget>> EfsClient::describe_mount_targets(
    const std::string& file_system_id) {
    AwsRequest request;
    request.method = "GET";
    request.path = std::string(k_api) + "/mount-targets";
    request.query = util::encode_query({{"FileSystemId", file_system_id}});
    auto text = call(request, "DescribeMountTargets");
    if (!text.ok()) return text.error();
    auto json = util::parse_json_text(*text, "EFS DescribeMountTargets answer");
    if (!json.ok()) return json.error();
    if (!json->is_object() || !(*json)["MountTargets"].is_array())
        return util::make_error("EFS answered DescribeMountTargets without MountTargets");
    std::vector<EfsMountTarget> all;
    for (size_t i = 0; i < (*json)["MountTargets"].size(); ++i) {
        auto mt = read_mount_target((*json)["MountTargets"][i],
                                    "MountTargets[" + std::to_string(i) + "]");
        if (!mt.ok()) return mt.error();
        all.push_back(std::move(mt.value()));
    }
    return all;
}

util::Status EfsClient::delete_mount_target(const std::string& mount_target_id) {
    AwsRequest request;
    request.method = "DELETE";
    request.path = std::string(k_api) + "/mount-targets/" + util::percent_encode(mount_target_id);
    auto text = call(request, "DeleteMountTarget");
    if (!text.ok() && text.error().kind != util::ErrorKind::not_found) return text.error();
    return {};
}

}  // namespace spotfarm::providers::aws
