#include "protocol/summary_fields.h"

#include "util/json_fields.h"

namespace spotfarm::protocol::detail {

using nlohmann::json;
using util::Result;

Result<std::vector<std::int64_t>> read_ids(const json& j, const std::string& where) {
    if (!j.is_array())
        return util::make_error(where + " must be a list of ids, not " + util::json_kind(j));
    std::vector<std::int64_t> ids;
    ids.reserve(j.size());
    for (const json& item : j) {
        std::int64_t id = 0;
        if (util::json_detail::read_value(item, id) || id < 1) {
            return util::make_error(
                where + " must be a list of ids, but holds " +
                (item.is_number_integer() ? item.dump() : util::json_kind(item)));
        }
        ids.push_back(id);
    }
    return ids;
}

Result<core::FrameSet> read_frame_set(const json& j, const std::string& where) {
    if (!j.is_string()) {
        return util::make_error(where + " must be a frame set such as \"1-4\", not " +
                                util::json_kind(j));
    }
    const std::string& text = j.get_ref<const std::string&>();
    if (text.empty()) return core::FrameSet{};
    auto frames = core::FrameSet::parse(text);
    if (!frames) return util::make_error(where + ": " + frames.error().message);
    return frames;
}

Result<std::map<core::TaskStatus, std::int64_t>> read_task_counts(const json& j,
                                                                  const std::string& where) {
    if (!j.is_object()) {
        return util::make_error(where + " must be an object of counts by task status, not " +
                                util::json_kind(j));
    }
    std::map<core::TaskStatus, std::int64_t> counts;
    for (const auto& [key, value] : j.items()) {
        auto status = read_name(json(key), where, core::parse_task_status, "keyed by task status");
        if (!status) return status.error();
        std::int64_t count = 0;
        if (util::json_detail::read_value(value, count) || count < 0) {
            return util::make_error(where + "." + key + " must be a count from 0");
        }
        counts[*status] = count;
    }
    return counts;
}

Result<std::map<core::TaskStatus, core::FrameSet>> read_task_frames(const json& j,
                                                                    const std::string& where) {
    if (!j.is_object()) {
        return util::make_error(where + " must be an object of frame sets by task status, not " +
                                util::json_kind(j));
    }
    std::map<core::TaskStatus, core::FrameSet> frames;
    for (const auto& [key, value] : j.items()) {
        auto status = read_name(json(key), where, core::parse_task_status, "keyed by task status");
        if (!status) return status.error();
        auto set = read_frame_set(value, where + "." + key);
        if (!set) return set.error();
        frames[*status] = std::move(set).value();
    }
    return frames;
}

json or_null(const std::optional<std::int64_t>& id) {
    return id ? json(*id) : json(nullptr);
}

}  // namespace spotfarm::protocol::detail
