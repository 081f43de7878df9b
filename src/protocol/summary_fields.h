#pragma once
// Field readers the manager's summaries share (job_summary, task_summary, worker_summary,
// fleet_summary): id lists, frame sets, status names and maps keyed by task status. Each takes
// the JSON value and the field's path for messages, as util::JsonFields::required_with wants.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/frame_set.h"
#include "core/task_status.h"
#include "util/json_fields.h"
#include "util/result.h"

namespace spotfarm::protocol::detail {

// A list of ids (integers from 1).
util::Result<std::vector<std::int64_t>> read_ids(const nlohmann::json& j, const std::string& where);

// A frame set written as core::FrameSet writes it ("1-40,42"); "" is the empty set.
util::Result<core::FrameSet> read_frame_set(const nlohmann::json& j, const std::string& where);

// A status written by name: `parse` is core::parse_job_status or a sibling, `kind` names the
// enum in the message ("a job status").
template <class Status>
util::Result<Status> read_name(const nlohmann::json& j, const std::string& where,
                               std::optional<Status> (*parse)(std::string_view),
                               std::string_view kind) {
    if (j.is_string()) {
        if (auto status = parse(j.get_ref<const std::string&>())) return *status;
        return util::make_error(where + " must be " + std::string(kind) + ", not \"" +
                                j.get<std::string>() + "\"");
    }
    return util::make_error(where + " must be " + std::string(kind) + " (a string)");
}

// A list whose items `read(item, "where[i]")` reads; `what` names the items in the message.
template <class Read, class Item = std::remove_cvref_t<
                          decltype(std::declval<Read>()(nlohmann::json(), std::string()).value())>>
util::Result<std::vector<Item>> read_list(const nlohmann::json& j, const std::string& where,
                                          std::string_view what, Read read) {
    if (!j.is_array()) {
        return util::make_error(where + " must be a list of " + std::string(what) + ", not " +
                                util::json_kind(j));
    }
    std::vector<Item> items;
    items.reserve(j.size());
    for (std::size_t i = 0; i < j.size(); ++i) {
        auto item = read(j[i], where + "[" + std::to_string(i) + "]");
        if (!item) return item.error();
        items.push_back(std::move(item).value());
    }
    return items;
}

// {status: count} with task statuses as keys and counts from 0.
util::Result<std::map<core::TaskStatus, std::int64_t>> read_task_counts(const nlohmann::json& j,
                                                                        const std::string& where);

// {status: "1-40,42"} with task statuses as keys and frame sets as values.
util::Result<std::map<core::TaskStatus, core::FrameSet>> read_task_frames(const nlohmann::json& j,
                                                                          const std::string& where);

// The value, or null for none (an id, a time).
nlohmann::json or_null(const std::optional<std::int64_t>& id);

// A map keyed by task status as a JSON object keyed by the status's name.
template <class Value, class Write>
nlohmann::json by_task_status(const std::map<core::TaskStatus, Value>& map, Write write) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [status, value] : map)
        out[std::string(core::to_string(status))] = write(value);
    return out;
}

}  // namespace spotfarm::protocol::detail
