#include "cli/daemons/worker_config.h"

#include <toml++/toml.h>

#include "util/text_file.h"

namespace spotfarm::cli {
namespace {

constexpr std::size_t k_max_config_bytes = 64 * 1024;

util::Error invalid(std::string message) {
    return util::make_error(std::move(message), util::ErrorKind::invalid);
}

}  // namespace

util::Result<WorkerFileSettings> parse_worker_settings(std::string_view text,
                                                       const std::filesystem::path& path) {
    toml::table table;
    try {
        table = toml::parse(text, path.string());
    } catch (const toml::parse_error& e) {
        return invalid(path.string() + ":" + std::to_string(e.source().begin.line) + ": " +
                       std::string(e.description()));
    }
    WorkerFileSettings settings;
    const toml::node* worker = table.get("worker");
    if (worker == nullptr) return settings;
    const toml::table* keys = worker->as_table();
    if (keys == nullptr) return invalid(path.string() + ": 'worker' must be a table ([worker])");
    for (const auto& [key, node] : *keys) {
        const std::string where = path.string() + ":" + std::to_string(node.source().begin.line) +
                                  ": [worker] " + std::string(key.str());
        if (key == "refuse_scripts") {
            const auto value = node.value<bool>();
            if (!node.is_boolean() || !value) return invalid(where + " must be true or false");
            settings.refuse_scripts = *value;
        } else {
            return invalid(where + ": unknown key; the key of [worker] is refuse_scripts");
        }
    }
    return settings;
}

util::Result<WorkerFileSettings> read_worker_settings(const std::filesystem::path& path) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return WorkerFileSettings{};
    auto text = util::read_text_file(path, k_max_config_bytes);
    if (!text) return invalid("cannot read " + path.string() + ": " + text.error().message);
    return parse_worker_settings(*text, path);
}

}  // namespace spotfarm::cli
