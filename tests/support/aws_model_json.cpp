// The JSON 1.1 and REST-JSON protocols: a body that is a JSON object keyed by member names (or
// their locationName), timestamps as epoch seconds, blobs as base64. In REST-JSON, members bound
// to the URI, the query string or a header are not in the body, and a `payload` member is the
// whole body.
#include <map>

#include "support/aws_model_check.h"
#include "support/aws_model_values.h"

namespace spotfarm::testing {
namespace {

using nlohmann::json;

std::vector<std::string> split(std::string_view text, char by) {
    std::vector<std::string> parts;
    size_t from = 0;
    for (size_t at; (at = text.find(by, from)) != std::string_view::npos; from = at + 1)
        parts.emplace_back(text.substr(from, at - from));
    parts.emplace_back(text.substr(from));
    return parts;
}

class JsonWalker {
public:
    explicit JsonWalker(const AwsModelCheck& model) : m_model(model) {}

    const json& at(const json& ref) const {
        return *m_model.shape(ref["shape"].get<std::string>());
    }

    void value(const json& shape, const json& value, const std::string& path,
               std::vector<std::string>& problems) const {
        const std::string type = shape["type"].get<std::string>();
        auto fail = [&](const std::string& why) { problems.push_back(path + ": " + why); };
        if (shape.value("document", false)) return;
        if (type == "structure") {
            if (!value.is_object()) return fail("a structure is a JSON object");
            structure(shape, value, path, false, problems);
        } else if (type == "list") {
            if (!value.is_array()) return fail("a list is a JSON array");
            if (auto problem = number_problem(shape, double(value.size())))
                fail("the list's length " + *problem);
            for (size_t i = 0; i < value.size(); ++i)
                this->value(at(shape["member"]), value[i], path + "[" + std::to_string(i) + "]",
                            problems);
        } else if (type == "map") {
            if (!value.is_object()) return fail("a map is a JSON object");
            for (const auto& [key, item] : value.items()) {
                if (auto problem = string_problem(at(shape["key"]), key)) fail("key " + *problem);
                this->value(at(shape["value"]), item, path + "." + key, problems);
            }
        } else if (type == "string") {
            if (!value.is_string()) return fail("a string is a JSON string");
            if (auto problem = string_problem(shape, value.get<std::string>())) fail(*problem);
        } else if (type == "integer" || type == "long") {
            if (!value.is_number_integer()) return fail(value.dump() + " is not an integer");
            if (auto problem = number_problem(shape, value.get<double>())) fail(*problem);
        } else if (type == "double" || type == "float") {
            if (!value.is_number()) return fail(value.dump() + " is not a number");
            if (auto problem = number_problem(shape, value.get<double>())) fail(*problem);
        } else if (type == "boolean") {
            if (!value.is_boolean()) return fail(value.dump() + " is not true or false");
        } else if (type == "timestamp") {
            if (value.is_number()) return;
            if (!value.is_string() || !text_value_problem(shape, value.get<std::string>())) return;
            fail(value.dump() + " is not a time (epoch seconds, or ISO 8601)");
        } else if (type == "blob") {
            if (!value.is_string()) return fail("a blob is a base64 JSON string");
            if (auto problem = text_value_problem(shape, value.get<std::string>())) fail(*problem);
        } else {
            fail("the model's type '" + type + "' is unknown to the check");
        }
    }

    // A structure's members; `body_only` leaves out (and does not require) the members that
    // REST-JSON binds to the URI, the query string or headers.
    void structure(const json& shape, const json& value, const std::string& path, bool body_only,
                   std::vector<std::string>& problems) const {
        std::map<std::string, const json*> names;
        for (const auto& [member, ref] : shape["members"].items()) {
            if (body_only && ref.contains("location")) continue;
            names.emplace(ref.value("locationName", member), &ref);
        }
        for (const auto& [key, item] : value.items()) {
            auto it = names.find(key);
            const std::string where = path.empty() ? key : path + "." + key;
            if (it == names.end()) {
                problems.push_back(where + " is not a member here");
                continue;
            }
            if (item.is_null()) continue;
            this->value(at(*it->second), item, where, problems);
        }
        if (!shape.contains("required")) return;
        for (const auto& member : shape["required"]) {
            const json& ref = shape["members"][member.get<std::string>()];
            if (body_only && ref.contains("location")) continue;
            const std::string name = ref.value("locationName", member.get<std::string>());
            if (!value.contains(name))
                problems.push_back((path.empty() ? "" : path + ".") + name + " is required");
        }
    }

    // The body of a message against an operation's input or output shape.
    std::vector<std::string> body(const json& shape, std::string_view text) const {
        json value = json::parse(text, nullptr, false);
        if (value.is_discarded()) return {"the body is not JSON"};
        std::vector<std::string> problems;
        const bool rest = m_model.protocol() == "rest-json";
        if (rest && shape.contains("payload")) {
            const json& ref = shape["members"][shape["payload"].get<std::string>()];
            this->value(at(ref), value, shape["payload"].get<std::string>(), problems);
            return problems;
        }
        if (!value.is_object()) return {"the body is not a JSON object"};
        structure(shape, value, "", rest, problems);
        return problems;
    }

private:
    const AwsModelCheck& m_model;
};

}  // namespace

std::vector<std::string> AwsModelCheck::check_json_request(std::string_view operation,
                                                           std::string_view json) const {
    if (!m_error.empty()) return {m_error};
    if (protocol() != "json" && protocol() != "rest-json")
        return {"the " + protocol() + " protocol takes no JSON requests"};
    const std::string op(operation);
    if (!m_model["operations"].contains(op)) return {"the model has no operation '" + op + "'"};
    const nlohmann::json* input = operation_shape(op, "input");
    if (!input) {
        const auto body = nlohmann::json::parse(json, nullptr, false);
        if (json.empty() || body == nlohmann::json::object()) return {};
        return {"'" + op + "' takes no input"};
    }
    return JsonWalker(*this).body(*input, json);
}

std::vector<std::string> AwsModelCheck::check_json_response(std::string_view operation,
                                                            std::string_view json) const {
    if (!m_error.empty()) return {m_error};
    const std::string op(operation);
    if (!m_model["operations"].contains(op)) return {"the model has no operation '" + op + "'"};
    const nlohmann::json* output = operation_shape(op, "output");
    if (!output) {
        const auto body = nlohmann::json::parse(json, nullptr, false);
        if (json.empty() || body == nlohmann::json::object()) return {};
        return {"'" + op + "' answers no body"};
    }
    return JsonWalker(*this).body(*output, json);
}

std::vector<std::string> AwsModelCheck::check_rest_target(std::string_view operation,
                                                          std::string_view method,
                                                          std::string_view path) const {
    if (!m_error.empty()) return {m_error};
    const std::string op(operation);
    if (!m_model["operations"].contains(op)) return {"the model has no operation '" + op + "'"};
    const auto& http = m_model["operations"][op]["http"];
    std::vector<std::string> problems;
    if (http["method"] != method)
        problems.push_back("the method is " + std::string(method) + ", the model's is " +
                           http["method"].get<std::string>());
    const std::string uri = http["requestUri"].get<std::string>();
    const auto want = split(uri.substr(0, uri.find('?')), '/');
    const size_t query_at = path.find('?');
    const auto got = split(path.substr(0, query_at), '/');
    bool greedy = false;
    for (size_t i = 0; i < want.size() && !greedy; ++i) {
        const bool label = want[i].starts_with("{") && want[i].ends_with("}");
        greedy = label && want[i].ends_with("+}");
        if (i >= got.size() || (label ? got[i].empty() : got[i] != want[i])) {
            problems.push_back("the path " + std::string(path) + " does not match " + uri);
            return problems;
        }
    }
    if (!greedy && got.size() != want.size())
        problems.push_back("the path " + std::string(path) + " does not match " + uri);

    // Query string parameters must be members bound to the query string.
    const nlohmann::json* input = operation_shape(op, "input");
    std::map<std::string, std::string> query;
    if (query_at != std::string_view::npos)
        for (const auto& pair : split(path.substr(query_at + 1), '&'))
            query.emplace(pair.substr(0, pair.find('=')), pair);
    const std::string fixed =
        uri.find('?') == std::string::npos ? "" : uri.substr(uri.find('?') + 1);
    for (const auto& [key, pair] : query) {
        bool known = !fixed.empty() && fixed.find(key) != std::string::npos;
        if (input)
            for (const auto& [member, ref] : (*input)["members"].items())
                known = known || (ref.value("location", "") == "querystring" &&
                                  ref.value("locationName", member) == key);
        if (!known) problems.push_back("query parameter '" + key + "' is not in the model");
    }
    if (input && input->contains("required"))
        for (const auto& member : (*input)["required"]) {
            const auto& ref = (*input)["members"][member.get<std::string>()];
            if (ref.value("location", "") == "querystring" &&
                !query.contains(ref.value("locationName", member.get<std::string>())))
                problems.push_back("query parameter '" + ref.value("locationName", "") +
                                   "' is required");
        }
    return problems;
}

}  // namespace spotfarm::testing
