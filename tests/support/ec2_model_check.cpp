#include "support/ec2_model_check.h"

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <map>
#include <optional>
#include <set>

#include <pugixml.hpp>

namespace spotfarm::testing {
namespace {

using nlohmann::json;

// How botocore's ec2 protocol names a member on the wire: queryName, else locationName with
// its first letter upper case, else the member's own name.
std::string wire_name(const std::string& member, const json& ref) {
    if (ref.contains("queryName")) return ref["queryName"].get<std::string>();
    if (ref.contains("locationName")) {
        std::string name = ref["locationName"].get<std::string>();
        if (!name.empty()) name[0] = char(std::toupper(static_cast<unsigned char>(name[0])));
        return name;
    }
    return member;
}

// How the member appears in an answer's XML.
std::string xml_name(const std::string& member, const json& ref) {
    return ref.contains("locationName") ? ref["locationName"].get<std::string>() : member;
}

std::vector<std::string> split(const std::string& key) {
    std::vector<std::string> parts;
    size_t from = 0;
    for (size_t dot; (dot = key.find('.', from)) != std::string::npos; from = dot + 1)
        parts.push_back(key.substr(from, dot - from));
    parts.push_back(key.substr(from));
    return parts;
}

bool is_index(const std::string& text) {
    return !text.empty() && text.find_first_not_of("0123456789") == std::string::npos &&
           text[0] != '0';
}

std::optional<std::string> value_problem(const json& shape, const std::string& value) {
    const std::string type = shape["type"].get<std::string>();
    if (shape.contains("enum")) {
        for (const auto& allowed : shape["enum"])
            if (allowed == value) return std::nullopt;
        return "'" + value + "' is not one of the enum's values";
    }
    if (type == "integer" || type == "long")
        return value.find_first_not_of("-0123456789") == std::string::npos && !value.empty()
                   ? std::nullopt
                   : std::optional<std::string>("'" + value + "' is not an integer");
    if (type == "boolean")
        return value == "true" || value == "false"
                   ? std::nullopt
                   : std::optional<std::string>("'" + value + "' is not true or false");
    if (type == "double" || type == "float") {
        char* end = nullptr;
        std::strtod(value.c_str(), &end);
        return !value.empty() && *end == '\0'
                   ? std::nullopt
                   : std::optional<std::string>("'" + value + "' is not a number");
    }
    return std::nullopt;
}

}  // namespace

util::Result<Ec2ModelCheck> Ec2ModelCheck::load(const std::filesystem::path& file) {
    std::ifstream in(file);
    if (!in) return util::make_error("cannot read " + file.string());
    json model = json::parse(in, nullptr, false);
    if (model.is_discarded() || !model.contains("shapes") || !model.contains("operations"))
        return util::make_error(file.string() + " is not an extract of botocore's EC2 model");
    return Ec2ModelCheck(std::move(model));
}

Ec2ModelCheck Ec2ModelCheck::standard() {
    return load(std::filesystem::path(SPOTFARM_TEST_DATA) / "ec2" / "botocore_ec2_model.json")
        .value();
}

const json* Ec2ModelCheck::shape(const std::string& name) const {
    const auto& shapes = m_model["shapes"];
    auto it = shapes.find(name);
    return it == shapes.end() ? nullptr : &*it;
}

std::vector<std::string> Ec2ModelCheck::check_request(
    const providers::aws::QueryParams& params) const {
    std::vector<std::string> problems;
    std::string action;
    for (const auto& [key, value] : params)
        if (key == "Action") action = value;
    const auto& operations = m_model["operations"];
    if (!operations.contains(action) || !operations[action].contains("input"))
        return {"the model has no operation '" + action + "'"};
    const std::string input = operations[action]["input"].get<std::string>();

    // Every structure reached, by its wire prefix, to check its required members at the end.
    std::map<std::string, const json*> structures{{"", shape(input)}};
    std::set<std::string> keys;
    for (const auto& [key, value] : params) {
        if (key == "Action" || key == "Version") continue;
        keys.insert(key);
        const json* at = shape(input);
        std::string prefix;
        bool ok = true;
        for (const auto& part : split(key)) {
            const std::string type = (*at)["type"].get<std::string>();
            std::string next;
            if (type == "structure") {
                structures.emplace(prefix, at);
                for (const auto& [member, ref] : (*at)["members"].items())
                    if (wire_name(member, ref) == part) next = ref["shape"].get<std::string>();
                if (next.empty()) {
                    problems.push_back(key + ": '" + part + "' is not a member here");
                    ok = false;
                    break;
                }
            } else if (type == "list") {
                if (!is_index(part)) {
                    problems.push_back(key + ": a list wants an index from 1, not '" + part + "'");
                    ok = false;
                    break;
                }
                next = (*at)["member"]["shape"].get<std::string>();
            } else {
                problems.push_back(key + ": '" + part + "' goes past a " + type);
                ok = false;
                break;
            }
            prefix += (prefix.empty() ? "" : ".") + part;
            at = shape(next);
        }
        if (!ok) continue;
        const std::string type = (*at)["type"].get<std::string>();
        if (type == "structure" || type == "list") {
            problems.push_back(key + ": a " + type + " takes no value of its own");
            continue;
        }
        if (auto problem = value_problem(*at, value)) problems.push_back(key + ": " + *problem);
    }
    for (const auto& [prefix, structure] : structures) {
        if (!structure->contains("required")) continue;
        for (const auto& member : (*structure)["required"]) {
            const json& ref = (*structure)["members"][member.get<std::string>()];
            const std::string name =
                (prefix.empty() ? "" : prefix + ".") + wire_name(member.get<std::string>(), ref);
            auto it = keys.lower_bound(name);
            if (it == keys.end() || !(*it == name || it->starts_with(name + ".")))
                problems.push_back(name + " is required");
        }
    }
    return problems;
}

std::vector<std::string> Ec2ModelCheck::check_response(std::string_view operation,
                                                       std::string_view xml) const {
    const auto& operations = m_model["operations"];
    const std::string op(operation);
    if (!operations.contains(op) || !operations[op].contains("output"))
        return {"the model has no output for '" + op + "'"};
    pugi::xml_document doc;
    if (!doc.load_buffer(xml.data(), xml.size())) return {"the answer is not XML"};
    std::vector<std::string> problems;
    if (doc.document_element().name() != op + "Response")
        problems.push_back("the root is <" + std::string(doc.document_element().name()) + ">");

    // Walks an element against a shape.
    auto walk = [&](auto& self, pugi::xml_node node, const json& at,
                    const std::string& path) -> void {
        const std::string type = at["type"].get<std::string>();
        for (pugi::xml_node child : node.children()) {
            if (child.type() != pugi::node_element) continue;
            const std::string name = child.name();
            if (path.empty() && name == "requestId") continue;
            if (type == "list") {
                self(self, child, *shape(at["member"]["shape"].get<std::string>()),
                     path + "/" + name);
                continue;
            }
            if (type != "structure") {
                problems.push_back(path + "/" + name + ": a " + type + " has no elements");
                continue;
            }
            const json* next = nullptr;
            for (const auto& [member, ref] : at["members"].items())
                if (xml_name(member, ref) == name)
                    next = shape(ref["shape"].template get<std::string>());
            if (!next) {
                problems.push_back(path + "/" + name + " is not in the model");
                continue;
            }
            self(self, child, *next, path + "/" + name);
        }
    };
    walk(walk, doc.document_element(), *shape(operations[op]["output"].get<std::string>()), "");
    return problems;
}

}  // namespace spotfarm::testing
