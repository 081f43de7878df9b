#pragma once
// An answer of the manager read as one of the protocol's wire structs (protocol::JobDetail,
// protocol::TaskList, ...), with an error that names the call and the field that is wrong.

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "cli/client/api_client.h"
#include "protocol/protocol.h"
#include "util/result.h"

namespace spotfarm::cli {

// `answer` (to GET `path`) read as T; `answer`'s own error when there is no answer.
template <class T>
util::Result<T> read_answer(const util::Result<nlohmann::json>& answer, std::string_view path) {
    if (!answer) return answer.error();
    auto read = protocol::from_json<T>(*answer);
    if (!read) {
        return util::make_error("the manager's answer to GET " + std::string(path) + ": " +
                                read.error().message);
    }
    return read;
}

// GET `path` (under /api/v1) read as T.
template <class T>
util::Result<T> get_answer(ApiClient& api, std::string_view path) {
    return read_answer<T>(api.get(path), path);
}

}  // namespace spotfarm::cli
