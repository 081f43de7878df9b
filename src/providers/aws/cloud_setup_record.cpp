#include "providers/aws/cloud_setup_record.h"

#include <cstdlib>
#include <system_error>

#include <nlohmann/json.hpp>

#include "util/atomic_file.h"
#include "util/json_fields.h"
#include "util/text_file.h"

namespace spotfarm::providers::aws {
namespace {

namespace fs = std::filesystem;

std::string env_or_empty(const char* name) {
    const char* value = std::getenv(name);
    return value ? std::string(value) : std::string();
}

fs::path state_folder() {
    if (auto own = env_or_empty("SPOTFARM_CLOUD_STATE"); !own.empty()) return own;
    if (auto xdg = env_or_empty("XDG_STATE_HOME"); !xdg.empty())
        return fs::path(xdg) / "spotfarm" / "cloud";
    return fs::path(env_or_empty("HOME")) / ".local" / "state" / "spotfarm" / "cloud";
}

util::Result<std::map<std::string, std::string>> read_zones(const nlohmann::json& j,
                                                            const std::string& where) {
    if (!j.is_object()) return util::make_error(where + " must be an object of subnet -> zone");
    std::map<std::string, std::string> zones;
    for (const auto& [subnet, zone] : j.items()) {
        if (!zone.is_string())
            return util::make_error(where + "." + subnet + " must be a string, not " +
                                    util::json_kind(zone));
        zones[subnet] = zone.get<std::string>();
    }
    return zones;
}

}  // namespace

fs::path cloud_setup_record_path(const std::string& region) {
    return state_folder() / (region + ".json");
}

std::string cloud_setup_to_json(const CloudSetupRecord& r) {
    const nlohmann::json j = {
        {"region", r.region},
        {"vpc_id", r.vpc_id},
        {"subnet_ids", r.subnet_ids},
        {"subnet_zones", r.subnet_zones},
        {"manager_security_group", r.manager_security_group},
        {"worker_security_group", r.worker_security_group},
        {"efs_id", r.efs_id},
        {"role_name", r.role_name},
        {"instance_profile_name", r.instance_profile_name},
        {"instance_profile_arn", r.instance_profile_arn},
        {"allow_from", r.allow_from},
        {"created_at", r.created_at},
    };
    return j.dump(2) + "\n";
}

util::Result<CloudSetupRecord> cloud_setup_from_json(std::string_view text) {
    auto j = util::parse_json_text(text, "cloud setup record");
    if (!j.ok()) return j.error();
    if (!j->is_object()) return util::make_error("the cloud setup record must be a JSON object");
    CloudSetupRecord r;
    util::JsonFields fields(*j, "cloud setup record");
    fields.required("region", r.region)
        .required("vpc_id", r.vpc_id)
        .required("subnet_ids", r.subnet_ids)
        .required_with("subnet_zones", r.subnet_zones, read_zones)
        .required("manager_security_group", r.manager_security_group)
        .required("worker_security_group", r.worker_security_group)
        .defaulted("efs_id", r.efs_id)
        .defaulted("role_name", r.role_name)
        .defaulted("instance_profile_name", r.instance_profile_name)
        .defaulted("instance_profile_arn", r.instance_profile_arn)
        .defaulted("allow_from", r.allow_from)
        .defaulted("created_at", r.created_at);
    if (auto status = fields.status(); !status.ok()) return status.error();
    return r;
}

util::Result<std::optional<CloudSetupRecord>> load_cloud_setup(const std::string& region) {
    const fs::path path = cloud_setup_record_path(region);
    std::error_code ec;
    if (!fs::exists(path, ec)) return std::optional<CloudSetupRecord>();
    auto text = util::read_text_file(path, 1024 * 1024);
    if (!text.ok()) return util::make_error(text.error().message, util::ErrorKind::storage);
    auto record = cloud_setup_from_json(*text);
    if (!record.ok())
        return util::make_error(path.string() + ": " + record.error().message +
                                    ". Run `spotfarm cloud setup --region " + region +
                                    "` again to write it anew",
                                util::ErrorKind::storage);
    if (record->region != region)
        return util::make_error(path.string() + " records region '" + record->region + "', not " +
                                    region +
                                    "; move it aside and run `spotfarm "
                                    "cloud setup` again",
                                util::ErrorKind::storage);
    return std::optional<CloudSetupRecord>(std::move(record.value()));
}

util::Result<void> save_cloud_setup(const CloudSetupRecord& record) {
    if (record.region.empty())
        return util::make_error("a cloud setup record needs its region", util::ErrorKind::invalid);
    const fs::path path = cloud_setup_record_path(record.region);
    std::error_code ec;
    fs::create_directories(path.parent_path(), ec);
    if (ec)
        return util::make_error(
            "cannot create " + path.parent_path().string() + ": " + ec.message(),
            util::ErrorKind::storage);
    return util::write_file_atomic(path, cloud_setup_to_json(record), 0600);
}

util::Result<void> forget_cloud_setup(const std::string& region) {
    const fs::path path = cloud_setup_record_path(region);
    std::error_code ec;
    fs::remove(path, ec);
    if (ec)
        return util::make_error("cannot remove " + path.string() + ": " + ec.message(),
                                util::ErrorKind::storage);
    return {};
}

}  // namespace spotfarm::providers::aws
