#include "worker/spot_interruption_watcher.h"

#include <nlohmann/json.hpp>

#include "util/utc_time.h"

namespace spotfarm::worker {
namespace {

constexpr const char* k_instance_action = "/latest/meta-data/spot/instance-action";
constexpr const char* k_rebalance = "/latest/meta-data/events/recommendations/rebalance";

// The JSON object at `path` and its time field, or an error naming the document.
util::Result<nlohmann::json> read_notice(
    const std::string& body, const char* path, const char* time_field,
    std::optional<std::chrono::system_clock::time_point>& time) {
    const auto json = nlohmann::json::parse(body, nullptr, false);
    if (json.is_discarded() || !json.is_object() || !json.contains(time_field) ||
        !json[time_field].is_string())
        return util::make_error(std::string("IMDS answered ") + path + " with '" + body +
                                "', not the JSON notice AWS documents");
    auto parsed = util::parse_iso8601_utc(json[time_field].get<std::string>());
    if (!parsed.ok()) return util::make_error(std::string(path) + ": " + parsed.error().message);
    time = parsed.value();
    return json;
}

}  // namespace

SpotInterruptionWatcher::SpotInterruptionWatcher(util::HttpClient& http, util::ImdsOptions imds)
    : m_imds(http, std::move(imds)) {}

util::Result<SpotNotice> SpotInterruptionWatcher::poll() {
    SpotNotice notice;
    auto action = m_imds.get(k_instance_action);
    if (!action.ok()) return action.error();
    if (*action) {
        auto json = read_notice(**action, k_instance_action, "time", notice.time);
        if (!json.ok()) return json.error();
        notice.kind = SpotNotice::Kind::interruption;
        notice.action = json->value("action", "terminate");
        return notice;
    }
    auto rebalance = m_imds.get(k_rebalance);
    if (!rebalance.ok()) return rebalance.error();
    if (*rebalance) {
        auto json = read_notice(**rebalance, k_rebalance, "noticeTime", notice.time);
        if (!json.ok()) return json.error();
        notice.kind = SpotNotice::Kind::rebalance;
    }
    return notice;
}

}  // namespace spotfarm::worker
