#include "support/aws_model_check.h"

#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>

namespace spotfarm::testing {
namespace {

using nlohmann::json;

// botocore names some services after their endpoint in one place and their folder in another.
std::string folder_of(std::string_view service) {
    if (service == "elasticfilesystem") return "efs";
    return std::string(service);
}

// The newest version folder of a service that holds a model: versions are dates, so the
// greatest name is the newest.
util::Result<std::filesystem::path> newest_model(const std::filesystem::path& service_dir) {
    std::error_code ec;
    std::filesystem::path best;
    for (const auto& entry : std::filesystem::directory_iterator(service_dir, ec)) {
        if (!std::filesystem::exists(entry.path() / "service-2.json")) continue;
        if (best.empty() || entry.path().filename() > best.filename()) best = entry.path();
    }
    if (best.empty())
        return util::make_error(
            "no botocore model under " + service_dir.string() +
                ": install Debian's python3-botocore (scripts/setup.sh does), or point "
                "SPOTFARM_BOTOCORE_DATA at a botocore/data folder",
            util::ErrorKind::not_found);
    return best / "service-2.json";
}

// Enums that grow with AWS's catalogue: AWS adds instance types every month, botocore's own
// validator checks no enum, and Debian's model is older than the types a user may name. Their
// values are checked by form only (see string_problem).
void open_catalogue_enums(json& model) {
    for (const char* name : {"InstanceType"}) {
        auto it = model["shapes"].find(name);
        if (it == model["shapes"].end() || !it->contains("enum")) continue;
        (*it)["open_enum"] = std::move((*it)["enum"]);
        it->erase("enum");
    }
}

}  // namespace

std::filesystem::path AwsModelCheck::data_folder() {
    if (const char* set = std::getenv("SPOTFARM_BOTOCORE_DATA"); set && *set) return set;
    return "/usr/lib/python3/dist-packages/botocore/data";
}

util::Result<AwsModelCheck> AwsModelCheck::load(const std::filesystem::path& file) {
    std::ifstream in(file);
    if (!in) return util::make_error("cannot read " + file.string(), util::ErrorKind::not_found);
    json model = json::parse(in, nullptr, false);
    if (model.is_discarded() || !model.contains("shapes") || !model.contains("operations") ||
        !model.contains("metadata"))
        return util::make_error(file.string() + " is not a botocore service model");
    open_catalogue_enums(model);
    return AwsModelCheck(std::move(model), "");
}

const AwsModelCheck& AwsModelCheck::load_service(std::string_view service) {
    // Models are megabytes of JSON: each is parsed once per process and kept.
    static std::mutex mutex;
    static std::map<std::string, AwsModelCheck, std::less<>> loaded;
    std::lock_guard lock(mutex);
    if (auto it = loaded.find(service); it != loaded.end()) return it->second;
    auto file = newest_model(data_folder() / folder_of(service));
    auto check = file ? load(*file) : util::Result<AwsModelCheck>(file.error());
    AwsModelCheck value = check ? std::move(*check) : AwsModelCheck(json(), check.error().message);
    return loaded.emplace(std::string(service), std::move(value)).first->second;
}

std::string AwsModelCheck::protocol() const {
    if (!m_error.empty()) return "";
    return m_model["metadata"].value("protocol", "");
}

std::string AwsModelCheck::api_version() const {
    if (!m_error.empty()) return "";
    return m_model["metadata"].value("apiVersion", "");
}

const json* AwsModelCheck::shape(const std::string& name) const {
    if (!m_error.empty()) return nullptr;
    const auto& shapes = m_model["shapes"];
    auto it = shapes.find(name);
    return it == shapes.end() ? nullptr : &*it;
}

const json* AwsModelCheck::operation_shape(const std::string& operation,
                                           const std::string& which) const {
    if (!m_error.empty()) return nullptr;
    const auto& operations = m_model["operations"];
    auto op = operations.find(operation);
    if (op == operations.end() || !op->contains(which)) return nullptr;
    return shape((*op)[which]["shape"].get<std::string>());
}

}  // namespace spotfarm::testing
