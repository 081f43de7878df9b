#include "worker/saved_identity.h"

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "util/atomic_file.h"
#include "util/json_fields.h"

namespace spotfarm::worker {

namespace fs = std::filesystem;

namespace {
fs::path identity_file(const fs::path& state_dir) {
    return state_dir / "registration.json";
}
}  // namespace

util::Result<std::optional<SavedIdentity>> load_identity(const fs::path& state_dir) {
    const fs::path file = identity_file(state_dir);
    std::ifstream in(file, std::ios::binary);
    if (!in) return std::optional<SavedIdentity>();
    std::stringstream text;
    text << in.rdbuf();
    auto j = util::parse_json_text(text.str(), file.string());
    if (!j) return j.error();
    SavedIdentity identity;
    util::JsonFields f(*j, file.string());
    f.required("manager", identity.manager)
        .required_with("registration", identity.registration,
                       [](const nlohmann::json& r, const std::string&) {
                           return protocol::from_json<protocol::Registration>(r);
                       });
    if (!f.ok()) return f.status().error();
    return std::optional<SavedIdentity>(std::move(identity));
}

util::Status save_identity(const fs::path& state_dir, const SavedIdentity& identity) {
    nlohmann::json j = {{"manager", identity.manager},
                        {"registration", protocol::to_json(identity.registration)}};
    return util::write_file_atomic(identity_file(state_dir), j.dump(2), 0600);
}

util::Status forget_identity(const fs::path& state_dir) {
    std::error_code ec;
    fs::remove(identity_file(state_dir), ec);
    if (ec) return util::make_error("cannot remove " + identity_file(state_dir).string());
    return {};
}

}  // namespace spotfarm::worker
