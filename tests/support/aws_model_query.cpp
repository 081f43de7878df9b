// The Query and EC2 protocols: requests as form parameters, answers as XML. botocore's
// QuerySerializer names a member by its locationName, lists as `Name.member.N` (or the list
// member's locationName), flattened lists as `Name.N`, maps as `Name.entry.N.key`; its
// EC2Serializer prefers queryName, upper-cases the locationName's first letter and numbers every
// list as `Name.N`.
#include <cctype>
#include <map>
#include <set>

#include <pugixml.hpp>

#include "support/aws_model_check.h"
#include "support/aws_model_values.h"

namespace spotfarm::testing {
namespace {

using nlohmann::json;

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

// Walks request parameters and answers of one model under one of the two protocols.
class QueryWalker {
public:
    QueryWalker(const AwsModelCheck& model) : m_model(model), m_ec2(model.protocol() == "ec2") {}

    const json& at(const json& ref) const {
        return *m_model.shape(ref["shape"].get<std::string>());
    }

    bool flattened(const json& shape) const { return shape.value("flattened", false); }

    // The name a structure member goes by in a request.
    std::string request_name(const std::string& member, const json& ref) const {
        if (m_ec2) {
            if (ref.contains("queryName")) return ref["queryName"].get<std::string>();
            if (ref.contains("locationName")) {
                std::string name = ref["locationName"].get<std::string>();
                if (!name.empty())
                    name[0] = char(std::toupper(static_cast<unsigned char>(name[0])));
                return name;
            }
            return member;
        }
        const json& shape = at(ref);
        if (shape["type"] == "list" && flattened(shape) && shape["member"].contains("locationName"))
            return shape["member"]["locationName"].get<std::string>();
        return ref.value("locationName", member);
    }

    // The element name a structure member goes by in an answer.
    std::string answer_name(const std::string& member, const json& ref) const {
        const json& shape = at(ref);
        if (shape["type"] == "list" && flattened(shape) && shape["member"].contains("locationName"))
            return shape["member"]["locationName"].get<std::string>();
        return ref.value("locationName", member);
    }

    // Checks one parameter; problems go to `problems`, structures reached to `structures`.
    void request_key(const std::string& key, const std::string& value, const json& input,
                     std::map<std::string, const json*>& structures,
                     std::vector<std::string>& problems) const {
        const json* shape = &input;
        const auto parts = split(key);
        std::string prefix;
        for (size_t i = 0; i < parts.size(); ++i) {
            const std::string& part = parts[i];
            const std::string type = (*shape)["type"].get<std::string>();
            auto fail = [&](const std::string& why) { problems.push_back(key + ": " + why); };
            if (type == "structure") {
                structures.emplace(prefix, shape);
                const json* next = nullptr;
                for (const auto& [member, ref] : (*shape)["members"].items())
                    if (request_name(member, ref) == part) next = &at(ref);
                if (!next) return fail("'" + part + "' is not a member here");
                shape = next;
                // A flattened list is numbered right after the member's own name.
                if ((*shape)["type"] == "list" && (m_ec2 || flattened(*shape))) {
                    prefix += (prefix.empty() ? "" : ".") + part;
                    if (i + 1 == parts.size()) break;
                    if (!is_index(parts[++i]))
                        return fail("a list wants an index from 1, not '" + parts[i] + "'");
                    prefix += "." + parts[i];
                    shape = &at((*shape)["member"]);
                    continue;
                }
            } else if (type == "list") {
                const std::string name = (*shape)["member"].value("locationName", "member");
                if (part != name)
                    return fail("a list's items go by '" + name + "', not '" + part + "'");
                if (i + 1 == parts.size() || !is_index(parts[i + 1]))
                    return fail("a list wants an index from 1 after '" + name + "'");
                prefix += "." + part + "." + parts[++i];
                shape = &at((*shape)["member"]);
                continue;
            } else if (type == "map") {
                if (!flattened(*shape)) {
                    if (part != "entry")
                        return fail("a map's items go by 'entry', not '" + part + "'");
                    if (++i == parts.size()) return fail("a map entry wants an index");
                }
                if (!is_index(parts[i]))
                    return fail("a map wants an index from 1, not '" + parts[i] + "'");
                if (++i == parts.size()) return fail("a map entry wants a key or a value");
                const json& key_ref = (*shape)["key"];
                const json& value_ref = (*shape)["value"];
                if (parts[i] == key_ref.value("locationName", "key"))
                    shape = &at(key_ref);
                else if (parts[i] == value_ref.value("locationName", "value"))
                    shape = &at(value_ref);
                else
                    return fail("'" + parts[i] + "' is neither a map's key nor its value");
                prefix = key;  // maps hold no required members to look for
                continue;
            } else {
                return fail("'" + part + "' goes past a " + type);
            }
            prefix += (prefix.empty() ? "" : ".") + part;
        }
        const std::string type = (*shape)["type"].get<std::string>();
        // The query protocol sends an empty list as its bare name.
        if (type == "list" && !m_ec2 && value.empty()) return;
        if (type == "structure" || type == "list" || type == "map")
            return problems.push_back(key + ": a " + type + " takes no value of its own");
        if (auto problem = text_value_problem(*shape, value))
            problems.push_back(key + ": " + *problem);
    }

    // Walks an answer's element against a shape.
    void answer(pugi::xml_node node, const json& shape, const std::string& path,
                std::vector<std::string>& problems) const {
        const std::string type = shape["type"].get<std::string>();
        if (type != "structure" && type != "list" && type != "map") {
            if (node.first_child().type() == pugi::node_element)
                problems.push_back(path + ": a " + type + " has no elements");
            else if (auto problem = text_value_problem(shape, node.child_value()))
                problems.push_back(path + ": " + *problem);
            return;
        }
        for (pugi::xml_node child : node.children()) {
            if (child.type() != pugi::node_element) continue;
            const std::string name = child.name();
            const std::string where = path + "/" + name;
            if (path.empty() && (name == "requestId" || name == "ResponseMetadata")) continue;
            if (type == "list") {
                const std::string item = shape["member"].value("locationName", "member");
                if (name != item)
                    problems.push_back(where + ": a list's items are <" + item + ">");
                else
                    answer(child, at(shape["member"]), where, problems);
            } else if (type == "map") {
                map_entry(flattened(shape) ? node : child, shape, where, problems);
                if (flattened(shape)) return;
            } else {
                const json* ref = nullptr;
                for (const auto& [member, r] : shape["members"].items())
                    if (answer_name(member, r) == name) ref = &r;
                if (!ref) {
                    problems.push_back(where + " is not in the model");
                    continue;
                }
                const json& next = at(*ref);
                // A flattened list's items are repeated elements of the structure itself.
                if (next["type"] == "list" && flattened(next))
                    answer(child, at(next["member"]), where, problems);
                else
                    answer(child, next, where, problems);
            }
        }
    }

    void map_entry(pugi::xml_node entry, const json& shape, const std::string& path,
                   std::vector<std::string>& problems) const {
        const std::string key = shape["key"].value("locationName", "key");
        const std::string value = shape["value"].value("locationName", "value");
        if (!flattened(shape) && std::string(entry.name()) != "entry")
            return problems.push_back(path + ": a map's items are <entry>");
        for (pugi::xml_node part : entry.children()) {
            if (part.type() != pugi::node_element) continue;
            if (part.name() == key)
                answer(part, at(shape["key"]), path + "/" + key, problems);
            else if (part.name() == value)
                answer(part, at(shape["value"]), path + "/" + value, problems);
            else
                problems.push_back(path + "/" + part.name() + ": not a map's key or value");
        }
    }

private:
    const AwsModelCheck& m_model;
    bool m_ec2;
};

}  // namespace

std::vector<std::string> AwsModelCheck::check_query_request(
    const providers::aws::QueryParams& params) const {
    if (!m_error.empty()) return {m_error};
    if (protocol() != "ec2" && protocol() != "query")
        return {"the " + protocol() + " protocol takes no Query requests"};
    std::string action, version;
    for (const auto& [key, value] : params) {
        if (key == "Action") action = value;
        if (key == "Version") version = value;
    }
    std::vector<std::string> problems;
    if (version != api_version())
        problems.push_back("Version is '" + version + "', the model's is '" + api_version() + "'");
    const json* input = operation_shape(action, "input");
    if (!input) {
        if (!m_model["operations"].contains(action))
            return {"the model has no operation '" + action + "'"};
        for (const auto& [key, value] : params)
            if (key != "Action" && key != "Version")
                problems.push_back(key + ": '" + action + "' takes no parameters");
        return problems;
    }
    const QueryWalker walker(*this);
    // Every structure reached, by its wire prefix, to check its required members at the end.
    std::map<std::string, const json*> structures{{"", input}};
    std::set<std::string> keys;
    for (const auto& [key, value] : params) {
        if (key == "Action" || key == "Version") continue;
        if (!keys.insert(key).second) problems.push_back(key + ": sent twice");
        walker.request_key(key, value, *input, structures, problems);
    }
    for (const auto& [prefix, structure] : structures) {
        if (!structure->contains("required")) continue;
        for (const auto& member : (*structure)["required"]) {
            const json& ref = (*structure)["members"][member.get<std::string>()];
            const std::string name = (prefix.empty() ? "" : prefix + ".") +
                                     walker.request_name(member.get<std::string>(), ref);
            auto it = keys.lower_bound(name);
            if (it == keys.end() || !(*it == name || it->starts_with(name + ".")))
                problems.push_back(name + " is required");
        }
    }
    return problems;
}

std::vector<std::string> AwsModelCheck::check_query_response(std::string_view operation,
                                                             std::string_view xml) const {
    if (!m_error.empty()) return {m_error};
    const std::string op(operation);
    if (!m_model["operations"].contains(op)) return {"the model has no operation '" + op + "'"};
    pugi::xml_document doc;
    if (!doc.load_buffer(xml.data(), xml.size())) return {"the answer is not XML"};
    std::vector<std::string> problems;
    const pugi::xml_node root = doc.document_element();
    if (root.name() != op + "Response")
        problems.push_back("the root is <" + std::string(root.name()) + ">, not <" + op +
                           "Response>");
    const json* output = operation_shape(op, "output");
    const json& ref = m_model["operations"][op];
    // The query protocol wraps the result in <OpResult> beside <ResponseMetadata>; EC2 puts
    // the members and a requestId right under the root.
    const std::string wrapper =
        ref.contains("output") ? ref["output"].value("resultWrapper", "") : "";
    const QueryWalker walker(*this);
    if (wrapper.empty() && output) {
        walker.answer(root, *output, "", problems);
        return problems;
    }
    for (pugi::xml_node child : root.children()) {
        if (child.type() != pugi::node_element) continue;
        const std::string name = child.name();
        if (name == "requestId" || name == "ResponseMetadata") continue;
        if (output && name == wrapper)
            walker.answer(child, *output, "/" + name, problems);
        else
            problems.push_back("/" + name + " is not in the model");
    }
    return problems;
}

}  // namespace spotfarm::testing
