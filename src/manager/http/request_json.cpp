#include "manager/http/request_json.h"

#include <string>

namespace spotfarm::manager::http {

std::size_t json_depth(std::string_view text, std::size_t limit) {
    std::size_t depth = 0;
    std::size_t deepest = 0;
    bool in_string = false;
    bool escaped = false;
    for (char c : text) {
        if (in_string) {
            if (escaped) {
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
            } else if (c == '"') {
                in_string = false;
            }
            continue;
        }
        switch (c) {
            case '"':
                in_string = true;
                break;
            case '[':
            case '{':
                if (++depth > deepest) deepest = depth;
                if (deepest > limit) return deepest;
                break;
            case ']':
            case '}':
                if (depth > 0) --depth;
                break;
            default:
                break;
        }
    }
    return deepest;
}

util::Result<nlohmann::json> parse_request_json(std::string_view body) {
    if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) {
        return nlohmann::json::object();
    }
    if (json_depth(body, k_max_json_depth) > k_max_json_depth) {
        return util::make_error("the request body is nested too deeply: at most " +
                                    std::to_string(k_max_json_depth) +
                                    " levels of arrays and objects",
                                util::ErrorKind::invalid);
    }
    auto parsed = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (parsed.is_discarded()) {
        return util::make_error(
            "the request body is not valid JSON: send one JSON object "
            "(Content-Type: application/json)",
            util::ErrorKind::invalid);
    }
    return parsed;
}

}  // namespace spotfarm::manager::http
