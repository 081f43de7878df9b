#include "cli/daemons/worker_config.h"

#include <cctype>
#include <cmath>
#include <string>

#include <toml++/toml.h>

#include "util/text_file.h"

namespace spotfarm::cli {
namespace {

constexpr std::size_t k_max_config_bytes = 64 * 1024;

util::Error invalid_config(std::string message) {
    return util::make_error(std::move(message), util::ErrorKind::invalid);
}

}  // namespace

util::Result<WorkerFileSettings> parse_worker_settings(std::string_view text,
                                                       const std::filesystem::path& path) {
    toml::table table;
    try {
        table = toml::parse(text, path.string());
    } catch (const toml::parse_error& e) {
        return invalid_config(path.string() + ":" + std::to_string(e.source().begin.line) + ": " +
                              std::string(e.description()));
    }
    WorkerFileSettings settings;
    const toml::node* worker = table.get("worker");
    if (worker == nullptr) return settings;
    const toml::table* keys = worker->as_table();
    if (keys == nullptr)
        return invalid_config(path.string() + ": 'worker' must be a table ([worker])");
    for (const auto& [key, node] : *keys) {
        const std::string where = path.string() + ":" + std::to_string(node.source().begin.line) +
                                  ": [worker] " + std::string(key.str());
        if (key == "refuse_scripts") {
            const auto value = node.value<bool>();
            if (!node.is_boolean() || !value)
                return invalid_config(where + " must be true or false");
            settings.refuse_scripts = *value;
        } else {
            return invalid_config(where + ": unknown key; the key of [worker] is refuse_scripts");
        }
    }
    return settings;
}

util::Result<WorkerFileSettings> read_worker_settings(const std::filesystem::path& path) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return WorkerFileSettings{};
    auto text = util::read_text_file(path, k_max_config_bytes);
    if (!text) return invalid_config("cannot read " + path.string() + ": " + text.error().message);
    return parse_worker_settings(*text, path);
}

util::Result<std::int64_t> parse_byte_size(std::string_view text) {
    const std::string given(text);
    auto bad = [&] {
        return invalid_config(
            "'" + given + "' is not a size: give bytes or a number with K, M, G or T, e.g. 20G");
    };
    std::size_t digits = 0;
    while (digits < text.size() &&
           (std::isdigit(static_cast<unsigned char>(text[digits])) || text[digits] == '.')) {
        ++digits;
    }
    if (digits == 0) return bad();
    double number = 0;
    try {
        std::size_t used = 0;
        number = std::stod(std::string(text.substr(0, digits)), &used);
        if (used != digits) return bad();
    } catch (const std::exception&) {
        return bad();
    }
    std::string unit;
    for (char c : text.substr(digits)) {
        if (c != ' ') unit += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    if (unit.size() > 1 && unit.back() == 'B') unit.pop_back();  // "GB", "GIB"
    if (unit.size() > 1 && unit.back() == 'I') unit.pop_back();  // "GI"
    double scale = 1;
    if (unit == "K") {
        scale = 1024.0;
    } else if (unit == "M") {
        scale = 1024.0 * 1024;
    } else if (unit == "G") {
        scale = 1024.0 * 1024 * 1024;
    } else if (unit == "T") {
        scale = 1024.0 * 1024 * 1024 * 1024;
    } else if (!unit.empty() && unit != "B") {
        return bad();
    }
    const double bytes = std::floor(number * scale);
    if (!std::isfinite(bytes) || bytes > 9.0e18) return bad();
    if (bytes < 1024.0 * 1024)
        return invalid_config("'" + given + "' is too small: give at least 1M");
    return static_cast<std::int64_t>(bytes);
}

}  // namespace spotfarm::cli
