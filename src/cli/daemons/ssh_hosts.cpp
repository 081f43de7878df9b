#include "cli/daemons/ssh_hosts.h"

#include <set>

#include <toml++/toml.h>

#include "util/text_file.h"

namespace spotfarm::cli {

namespace {

util::Error invalid_hosts(std::string message) {
    return util::make_error(std::move(message), util::ErrorKind::invalid);
}

}  // namespace

util::Result<std::vector<providers::ssh::SshHost>> parse_ssh_hosts(
    std::string_view text, const std::filesystem::path& path) {
    toml::table table;
    try {
        table = toml::parse(text, path.string());
    } catch (const toml::parse_error& e) {
        return invalid_hosts(path.string() + ":" + std::to_string(e.source().begin.line) + ": " +
                             std::string(e.description()));
    }
    const toml::array* hosts = table["host"].as_array();
    if (hosts == nullptr || hosts->empty())
        return invalid_hosts(path.string() + ": no hosts: add one [[host]] table per machine");
    std::vector<providers::ssh::SshHost> out;
    std::set<std::string> names;
    for (const toml::node& node : *hosts) {
        const std::string at = path.string() + ":" + std::to_string(node.source().begin.line);
        const toml::table* keys = node.as_table();
        if (keys == nullptr) return invalid_hosts(at + ": each host is a [[host]] table");
        providers::ssh::SshHost host;
        for (const auto& [key, value] : *keys) {
            const std::string where = at + ": " + std::string(key.str());
            auto text_of = [&](std::string& into) -> util::Status {
                auto v = value.value<std::string>();
                if (!v) return invalid_hosts(where + " must be a string");
                into = *v;
                return {};
            };
            auto number_of = [&](int& into, int low, int high) -> util::Status {
                auto v = value.value<int64_t>();
                if (!v || *v < low || *v > high)
                    return invalid_hosts(where + " must be a whole number from " +
                                         std::to_string(low) + " to " + std::to_string(high));
                into = static_cast<int>(*v);
                return {};
            };
            auto flag_of = [&](bool& into) -> util::Status {
                auto v = value.value<bool>();
                if (!v) return invalid_hosts(where + " must be true or false");
                into = *v;
                return {};
            };
            util::Status read;
            if (key == "name")
                read = text_of(host.name);
            else if (key == "address")
                read = text_of(host.address);
            else if (key == "user")
                read = text_of(host.user);
            else if (key == "port")
                read = number_of(host.port, 1, 65535);
            else if (key == "key")
                read = text_of(host.key);
            else if (key == "cores")
                read = number_of(host.cores, 0, 4096);
            else if (key == "gpu")
                read = flag_of(host.gpu);
            else if (key == "blender")
                read = text_of(host.blender);
            else if (key == "spotfarm")
                read = text_of(host.spotfarm);
            else if (key == "reverse_tunnel")
                read = flag_of(host.reverse_tunnel);
            else if (key == "tunnel_port")
                read = number_of(host.tunnel_port, 1, 65535);
            else if (key == "tags") {
                const toml::array* tags = value.as_array();
                if (tags == nullptr) return invalid_hosts(where + " must be a list of strings");
                for (const auto& tag : *tags) {
                    auto v = tag.value<std::string>();
                    if (!v) return invalid_hosts(where + " must be a list of strings");
                    host.tags.push_back(*v);
                }
            } else {
                return invalid_hosts(where +
                                     ": unknown key (name, address, user, port, key, cores, "
                                     "gpu, tags, blender, spotfarm, reverse_tunnel, tunnel_port)");
            }
            if (!read) return read.error();
        }
        if (host.name.empty()) return invalid_hosts(at + ": the host has no name");
        if (host.name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                        "0123456789-_.") != std::string::npos)
            return invalid_hosts(at + ": name '" + host.name +
                                 "' may hold only letters, digits, '-', '_' and '.'");
        if (!names.insert(host.name).second)
            return invalid_hosts(at + ": a second host named '" + host.name + "'");
        if (host.address.empty()) host.address = host.name;
        out.push_back(std::move(host));
    }
    return out;
}

util::Result<std::vector<providers::ssh::SshHost>> read_ssh_hosts(
    const std::filesystem::path& path) {
    auto text = util::read_text_file(path, 1 << 20);
    if (!text) return invalid_hosts("--hosts: " + text.error().message);
    return parse_ssh_hosts(*text, path);
}

}  // namespace spotfarm::cli
