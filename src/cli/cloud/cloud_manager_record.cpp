#include "cli/cloud/cloud_manager_record.h"

#include <nlohmann/json.hpp>

#include "util/atomic_file.h"
#include "util/text_file.h"

namespace spotfarm::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr std::size_t k_max_record_bytes = 64 << 10;

}  // namespace

fs::path cloud_state_dir(
    const std::function<std::optional<std::string>(const std::string&)>& getenv,
    const fs::path& home) {
    if (auto own = getenv("SPOTFARM_CLOUD_STATE"); own && !own->empty()) return *own;
    if (auto xdg = getenv("XDG_STATE_HOME"); xdg && !xdg->empty()) {
        return fs::path(*xdg) / "spotfarm" / "cloud";
    }
    return home / ".local" / "state" / "spotfarm" / "cloud";
}

fs::path cloud_manager_record_path(const fs::path& dir, const std::string& region) {
    return dir / (region + ".manager.json");
}

util::Result<std::optional<CloudManagerRecord>> load_cloud_manager(const fs::path& dir,
                                                                   const std::string& region) {
    const fs::path path = cloud_manager_record_path(dir, region);
    std::error_code ec;
    if (!fs::exists(path, ec)) return std::optional<CloudManagerRecord>{};
    auto text = util::read_text_file(path, k_max_record_bytes);
    if (!text) return text.error();
    json j = json::parse(*text, nullptr, false);
    auto field = [&](const char* name) -> std::optional<std::string> {
        if (!j.is_object() || !j.contains(name) || !j[name].is_string()) return std::nullopt;
        return j[name].get<std::string>();
    };
    CloudManagerRecord r;
    auto fill = [&](const char* name, std::string& into) {
        auto value = field(name);
        if (value) into = *value;
        return value.has_value();
    };
    bool ok = fill("region", r.region) && fill("instance_id", r.instance_id) &&
              fill("url", r.url) && fill("pin", r.pin) && fill("people_token", r.people_token);
    fill("instance_type", r.instance_type);
    fill("launched_at", r.launched_at);
    if (!ok || r.region != region) {
        return util::make_error(path.string() +
                                    " is not a record of a cloud manager (region, instance_id, "
                                    "url, pin, people_token); remove it, and the next `render "
                                    "--cloud` starts a manager of its own",
                                util::ErrorKind::invalid);
    }
    return std::optional<CloudManagerRecord>(std::move(r));
}

util::Status save_cloud_manager(const fs::path& dir, const CloudManagerRecord& r) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) {
        return util::make_error("cannot create " + dir.string() + ": " + ec.message(),
                                util::ErrorKind::storage);
    }
    json j = {{"region", r.region},
              {"instance_id", r.instance_id},
              {"url", r.url},
              {"pin", r.pin},
              {"people_token", r.people_token},
              {"instance_type", r.instance_type},
              {"launched_at", r.launched_at}};
    return util::write_file_atomic(cloud_manager_record_path(dir, r.region), j.dump(2) + "\n",
                                   0600);
}

util::Status forget_cloud_manager(const fs::path& dir, const std::string& region) {
    std::error_code ec;
    fs::remove(cloud_manager_record_path(dir, region), ec);
    if (ec) {
        return util::make_error("cannot remove the record of the cloud manager: " + ec.message(),
                                util::ErrorKind::storage);
    }
    return {};
}

ClientConfig client_config_of(const CloudManagerRecord& r, const fs::path& record_path) {
    ClientConfig config;
    config.manager_url = r.url;
    config.token = r.people_token;
    config.manager_pin = r.pin;
    config.manager_source = "the cloud manager recorded in " + record_path.string();
    config.token_source = config.manager_source;
    return config;
}

}  // namespace spotfarm::cli
