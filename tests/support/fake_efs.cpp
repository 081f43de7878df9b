#include "support/fake_efs.h"

#include <algorithm>
#include <set>

#include <nlohmann/json.hpp>

#include "support/sigv4_verifier.h"
#include "util/percent_encoding.h"

namespace spotfarm::testing {
namespace {

namespace aws = providers::aws;
const std::string k_fs = "/2015-02-01/file-systems";
const std::string k_mt = "/2015-02-01/mount-targets";

util::HttpResponse to_http(int status, std::string body, const std::string& error_code = {}) {
    util::HttpResponse response{
        status,
        {{"Content-Type", "application/json"}, {"x-amzn-RequestId", "fake-efs-request"}},
        std::move(body)};
    if (!error_code.empty())
        response.headers.emplace_back("x-amzn-ErrorType",
                                      error_code + ":http://internal.amazon.com/coral/");
    return response;
}

std::string error_body(const std::string& code, const std::string& message) {
    return nlohmann::json{{"ErrorCode", code}, {"Message", message}}.dump();
}

nlohmann::json describe(const aws::EfsFileSystem& fs, const std::string& region) {
    nlohmann::json tags = nlohmann::json::array();
    std::string name;
    for (const auto& tag : fs.tags) {
        tags.push_back({{"Key", tag.key}, {"Value", tag.value}});
        if (tag.key == "Name") name = tag.value;
    }
    nlohmann::json j = {
        {"OwnerId", "123456789012"},
        {"CreationToken", fs.creation_token},
        {"FileSystemId", fs.id},
        {"FileSystemArn",
         "arn:aws:elasticfilesystem:" + region + ":123456789012:file-system/" + fs.id},
        {"CreationTime", 1764921600.0},
        {"LifeCycleState", fs.life_cycle_state},
        {"NumberOfMountTargets", fs.mount_targets},
        {"SizeInBytes", {{"Value", fs.size_bytes}, {"ValueInStandard", fs.size_bytes}}},
        {"PerformanceMode", "generalPurpose"},
        {"Encrypted", true},
        {"ThroughputMode", "elastic"},
        {"Tags", tags}};
    if (!name.empty()) j["Name"] = name;
    return j;
}

nlohmann::json describe(const aws::EfsMountTarget& mt) {
    return {{"OwnerId", "123456789012"},
            {"MountTargetId", mt.id},
            {"FileSystemId", mt.file_system_id},
            {"SubnetId", mt.subnet_id},
            {"LifeCycleState", mt.life_cycle_state},
            {"IpAddress", mt.ip_address},
            {"AvailabilityZoneName", mt.zone},
            {"NetworkInterfaceId", "eni-" + mt.id.substr(5)}};
}

}  // namespace

FakeEfs::FakeEfs(std::string region, aws::Credentials credentials)
    : m_region(std::move(region)), m_credentials(std::move(credentials)) {
    m_server = std::make_unique<LoopbackHttpServer>(
        [this](const ReceivedRequest& request) { return handle(request); });
}

std::string FakeEfs::endpoint() const {
    return m_server->url() + "/";
}

void FakeEfs::set_transition_polls(int polls) {
    std::lock_guard lock(m_mutex);
    m_transition_polls = polls;
}

void FakeEfs::set_zone_of(std::function<std::string(const std::string&)> zone_of) {
    std::lock_guard lock(m_mutex);
    m_zone_of = std::move(zone_of);
}

void FakeEfs::set_size(const std::string& id, std::int64_t bytes) {
    std::lock_guard lock(m_mutex);
    for (auto& held : m_file_systems)
        if (held.fs.id == id) held.fs.size_bytes = bytes;
}

void FakeEfs::fail_next(std::string action, int http_status, std::string code, std::string message,
                        int times) {
    std::lock_guard lock(m_mutex);
    m_injected.push_back(
        {std::move(action), http_status, std::move(code), std::move(message), times});
}

std::vector<aws::EfsFileSystem> FakeEfs::file_systems() const {
    std::lock_guard lock(m_mutex);
    std::vector<aws::EfsFileSystem> all;
    for (const auto& held : m_file_systems) all.push_back(held.fs);
    return all;
}

std::vector<FakeEfsMountTarget> FakeEfs::mount_targets() const {
    std::lock_guard lock(m_mutex);
    return m_mount_targets;
}

bool FakeEfs::group_in_use(const std::string& group_id) const {
    std::lock_guard lock(m_mutex);
    return std::any_of(m_mount_targets.begin(), m_mount_targets.end(), [&](const auto& mt) {
        return std::find(mt.security_groups.begin(), mt.security_groups.end(), group_id) !=
               mt.security_groups.end();
    });
}

int FakeEfs::changes() const {
    std::lock_guard lock(m_mutex);
    return m_changes;
}

std::vector<std::string> FakeEfs::requests() const {
    std::lock_guard lock(m_mutex);
    return m_requests;
}

void FakeEfs::advance() {
    for (auto& held : m_file_systems)
        if (held.fs.life_cycle_state == "creating" && --held.polls_left <= 0)
            held.fs.life_cycle_state = "available";
    for (auto& mt : m_mount_targets)
        if ((mt.target.life_cycle_state == "creating" ||
             mt.target.life_cycle_state == "deleting") &&
            --mt.polls_left <= 0)
            mt.target.life_cycle_state =
                mt.target.life_cycle_state == "creating" ? "available" : "deleted";
    std::erase_if(m_mount_targets,
                  [](const auto& mt) { return mt.target.life_cycle_state == "deleted"; });
    for (auto& held : m_file_systems)
        held.fs.mount_targets =
            int(std::count_if(m_mount_targets.begin(), m_mount_targets.end(), [&](const auto& mt) {
                return mt.target.file_system_id == held.fs.id;
            }));
}

util::HttpResponse FakeEfs::handle(const ReceivedRequest& request) {
    if (auto error =
            verify_sigv4(request, {m_credentials, m_region, "elasticfilesystem", std::nullopt}))
        return to_http(error->http_status, error_body(error->code, error->message), error->code);
    const auto question = request.target.find('?');
    const std::string path = request.target.substr(0, question);
    std::map<std::string, std::string> query;
    if (question != std::string::npos)
        for (auto& [key, value] : util::parse_query(request.target.substr(question + 1)))
            query[key] = value;
    std::string action;
    if (path == k_fs && request.method == "POST") action = "CreateFileSystem";
    if (path == k_fs && request.method == "GET") action = "DescribeFileSystems";
    if (path.starts_with(k_fs + "/") && request.method == "DELETE") action = "DeleteFileSystem";
    if (path == k_mt && request.method == "POST") action = "CreateMountTarget";
    if (path == k_mt && request.method == "GET") action = "DescribeMountTargets";
    if (path.starts_with(k_mt + "/") && request.method == "DELETE") action = "DeleteMountTarget";
    if (action.empty())
        return to_http(404, error_body("UnknownOperationException", request.target),
                       "UnknownOperationException");
    // Asked before the lock: the zone comes from the network stand-in, which may ask back.
    std::string zone;
    if (action == "CreateMountTarget") {
        const auto body = nlohmann::json::parse(request.body, nullptr, false);
        std::function<std::string(const std::string&)> zone_of;
        {
            std::lock_guard lock(m_mutex);
            zone_of = m_zone_of;
        }
        if (zone_of && body.is_object() && body.value("SubnetId", nlohmann::json()).is_string())
            zone = zone_of(body["SubnetId"].get<std::string>());
    }
    std::lock_guard lock(m_mutex);
    m_requests.push_back(request.method + " " + request.target);
    for (auto it = m_injected.begin(); it != m_injected.end(); ++it) {
        if (!it->action.empty() && it->action != action) continue;
        auto injected = *it;
        if (--it->times <= 0) m_injected.erase(it);
        return to_http(injected.status, error_body(injected.code, injected.message), injected.code);
    }
    auto answer = dispatch(action, request, path, query, zone);
    std::string code;
    if (answer.status >= 300) {
        const auto body = nlohmann::json::parse(answer.body, nullptr, false);
        code = body.value("ErrorCode", "");
    }
    return to_http(answer.status, std::move(answer.body), code);
}

FakeEfs::Answer FakeEfs::dispatch(const std::string& action, const ReceivedRequest& request,
                                  const std::string& path,
                                  const std::map<std::string, std::string>& query,
                                  const std::string& zone) {
    const auto bad = [](const std::string& message) {
        return Answer{400, error_body("BadRequest", message)};
    };
    const auto check_query = [&](std::set<std::string> allowed) -> std::optional<Answer> {
        for (const auto& [key, value] : query)
            if (!allowed.count(key)) return bad("unknown query parameter " + key);
        return std::nullopt;
    };
    const auto fs_not_found = [](const std::string& id) {
        return Answer{404,
                      error_body("FileSystemNotFound", "File system '" + id + "' does not exist.")};
    };
    nlohmann::json body;
    if (request.method == "POST") {
        body = nlohmann::json::parse(request.body, nullptr, false);
        if (!body.is_object()) return bad("the body must be a JSON object");
        if (util::find_header(request.headers, "Content-Type") != "application/json")
            return bad("Content-Type must be application/json");
    }
    if (action == "CreateFileSystem") {
        for (const auto& [key, value] : body.items())
            if (key != "CreationToken" && key != "PerformanceMode" && key != "Encrypted" &&
                key != "ThroughputMode" && key != "Tags" && key != "KmsKeyId" && key != "Backup")
                return bad("unknown member " + key);
        const std::string token = body.value("CreationToken", "");
        if (token.empty()) return bad("CreationToken is required");
        for (const auto& held : m_file_systems)
            if (held.fs.creation_token == token)
                return {409, nlohmann::json{{"ErrorCode", "FileSystemAlreadyExists"},
                                            {"Message", "File system already exists"},
                                            {"FileSystemId", held.fs.id}}
                                 .dump()};
        FileSystem made;
        char id[32];
        std::snprintf(id, sizeof id, "fs-%017d", m_next_id++);
        made.fs.id = id;
        made.fs.creation_token = token;
        made.fs.life_cycle_state = "creating";
        made.fs.size_bytes = 6144;
        for (const auto& tag : body.value("Tags", nlohmann::json::array()))
            made.fs.tags.push_back({tag.value("Key", ""), tag.value("Value", "")});
        made.polls_left = m_transition_polls;
        m_file_systems.push_back(made);
        ++m_changes;
        return {201, describe(made.fs, m_region).dump()};
    }
    if (action == "DescribeFileSystems") {
        if (auto wrong = check_query({"FileSystemId", "CreationToken", "MaxItems", "Marker"}))
            return *wrong;
        advance();
        nlohmann::json list = nlohmann::json::array();
        bool found_id = false;
        for (const auto& held : m_file_systems) {
            if (query.count("FileSystemId") && held.fs.id != query.at("FileSystemId")) continue;
            if (query.count("CreationToken") && held.fs.creation_token != query.at("CreationToken"))
                continue;
            found_id = true;
            list.push_back(describe(held.fs, m_region));
        }
        if (query.count("FileSystemId") && !found_id) return fs_not_found(query.at("FileSystemId"));
        return {200, nlohmann::json{{"FileSystems", list}}.dump()};
    }
    if (action == "DeleteFileSystem") {
        const std::string id = path.substr(k_fs.size() + 1);
        auto it = std::find_if(m_file_systems.begin(), m_file_systems.end(),
                               [&](const auto& held) { return held.fs.id == id; });
        if (it == m_file_systems.end()) return fs_not_found(id);
        if (std::any_of(m_mount_targets.begin(), m_mount_targets.end(),
                        [&](const auto& mt) { return mt.target.file_system_id == id; }))
            return {409,
                    error_body("FileSystemInUse", "File system '" + id + "' has mount targets.")};
        m_file_systems.erase(it);
        ++m_changes;
        return {204, ""};
    }
    if (action == "CreateMountTarget") {
        for (const auto& [key, value] : body.items())
            if (key != "FileSystemId" && key != "SubnetId" && key != "SecurityGroups" &&
                key != "IpAddress")
                return bad("unknown member " + key);
        const std::string id = body.value("FileSystemId", "");
        const std::string subnet = body.value("SubnetId", "");
        auto fs = std::find_if(m_file_systems.begin(), m_file_systems.end(),
                               [&](const auto& held) { return held.fs.id == id; });
        if (fs == m_file_systems.end()) return fs_not_found(id);
        if (fs->fs.life_cycle_state != "available")
            return {409, error_body("IncorrectFileSystemLifeCycleState",
                                    "File system '" + id + "' is " + fs->fs.life_cycle_state)};
        if (zone.empty())
            return {400, error_body("SubnetNotFound", "Subnet '" + subnet + "' does not exist")};
        for (const auto& mt : m_mount_targets)
            if (mt.target.file_system_id == id && mt.target.zone == zone)
                return {409, error_body("MountTargetConflict",
                                        "a mount target exists in " + zone + " already")};
        FakeEfsMountTarget made;
        char mt_id[32];
        std::snprintf(mt_id, sizeof mt_id, "fsmt-%017d", m_next_id++);
        made.target = {mt_id,     id, subnet, zone, "172.31.0." + std::to_string(m_next_id),
                       "creating"};
        made.security_groups = body.value("SecurityGroups", std::vector<std::string>());
        made.polls_left = m_transition_polls;
        m_mount_targets.push_back(made);
        ++m_changes;
        return {200, describe(made.target).dump()};
    }
    if (action == "DescribeMountTargets") {
        if (auto wrong = check_query(
                {"FileSystemId", "MountTargetId", "AccessPointId", "MaxItems", "Marker"}))
            return *wrong;
        advance();
        const std::string id = query.count("FileSystemId") ? query.at("FileSystemId") : "";
        if (std::none_of(m_file_systems.begin(), m_file_systems.end(),
                         [&](const auto& held) { return held.fs.id == id; }))
            return fs_not_found(id);
        nlohmann::json list = nlohmann::json::array();
        for (const auto& mt : m_mount_targets)
            if (mt.target.file_system_id == id) list.push_back(describe(mt.target));
        return {200, nlohmann::json{{"MountTargets", list}}.dump()};
    }
    // DeleteMountTarget
    const std::string id = path.substr(k_mt.size() + 1);
    auto it = std::find_if(m_mount_targets.begin(), m_mount_targets.end(),
                           [&](const auto& mt) { return mt.target.id == id; });
    if (it == m_mount_targets.end())
        return {404,
                error_body("MountTargetNotFound", "Mount target '" + id + "' does not exist.")};
    if (it->target.life_cycle_state != "deleting") {
        it->target.life_cycle_state = "deleting";
        it->polls_left = m_transition_polls;
        ++m_changes;
    }
    return {204, ""};
}

}  // namespace spotfarm::testing
