#include "protocol/fleet_summary.h"

#include <nlohmann/json.hpp>

#include "protocol/summary_fields.h"
#include "util/json_fields.h"
#include "util/utc_time.h"

namespace spotfarm::protocol {

using nlohmann::json;
using util::JsonFields;
using util::Result;

namespace {

// The fields of a cost, which a job's cost carries at its own top level.
void read_cost_fields(JsonFields& f, CostSummary& v) {
    f.required("usd", v.usd)
        .required("instance_hours", v.instance_hours)
        .required("notes", v.notes);
    f.check(v.usd >= 0, "usd", "must not be negative")
        .check(v.instance_hours >= 0, "instance_hours", "must not be negative");
}

Result<CostSummary> read_cost(const json& j, const std::string& where) {
    CostSummary v;
    JsonFields f(j, where);
    read_cost_fields(f, v);
    if (!f.ok()) return f.status().error();
    return v;
}

Result<FleetInstance> read_instance(const json& j, const std::string& where) {
    FleetInstance v;
    JsonFields f(j, where);
    f.required("id", v.id)
        .required("kind", v.kind)
        .required("interruptible", v.interruptible)
        .required("running", v.running)
        .defaulted("zone", v.zone)
        .optional("usd_per_hour", v.usd_per_hour)
        .defaulted("detail", v.detail)
        .optional("launched_at", v.launched_at);
    f.check(!v.id.empty(), "id", "must not be empty")
        .check(v.usd_per_hour.value_or(0) >= 0, "usd_per_hour", "must not be negative")
        .check(!v.launched_at || util::parse_iso8601_utc(*v.launched_at).ok(), "launched_at",
               "must be an ISO 8601 UTC time like 2026-12-05T10:15:00Z");
    if (!f.ok()) return f.status().error();
    return v;
}

}  // namespace

json to_json(const CostSummary& v) {
    return {{"usd", v.usd}, {"instance_hours", v.instance_hours}, {"notes", v.notes}};
}

json to_json(const FleetInstance& v) {
    json out = {
        {"id", v.id}, {"kind", v.kind}, {"interruptible", v.interruptible}, {"running", v.running}};
    if (!v.zone.empty()) out["zone"] = v.zone;
    if (v.usd_per_hour) out["usd_per_hour"] = *v.usd_per_hour;
    out["detail"] = v.detail;
    if (v.launched_at) out["launched_at"] = *v.launched_at;
    return out;
}

json to_json(const FleetSummary& v) {
    json instances = json::array();
    for (const FleetInstance& instance : v.instances) instances.push_back(to_json(instance));
    json out = {{"provider", v.provider},
                {"live", v.live},
                {"instances", std::move(instances)},
                {"cost", to_json(v.cost)},
                {"interruptions", v.interruptions}};
    if (v.wanted) out["wanted"] = *v.wanted;
    if (v.launch_stopped) out["launch_stopped"] = *v.launch_stopped;
    return out;
}

json to_json(const JobCost& v) {
    json out = to_json(v.cost);
    out["fleet_usd"] = v.fleet_usd;
    out["provider"] = v.provider;
    return out;
}

template <>
Result<CostSummary> from_json<CostSummary>(const json& j) {
    return read_cost(j, "CostSummary");
}

template <>
Result<FleetInstance> from_json<FleetInstance>(const json& j) {
    return read_instance(j, "FleetInstance");
}

template <>
Result<FleetSummary> from_json<FleetSummary>(const json& j) {
    FleetSummary v;
    JsonFields f(j, "FleetSummary");
    f.required("provider", v.provider)
        .required("live", v.live)
        .optional("wanted", v.wanted)
        .required_with("instances", v.instances,
                       [](const json& list, const std::string& where) {
                           return detail::read_list(list, where, "instances", read_instance);
                       })
        .required_with("cost", v.cost, read_cost)
        .optional("launch_stopped", v.launch_stopped)
        .defaulted("interruptions", v.interruptions);
    f.check(v.live >= 0, "live", "must not be negative")
        .check(v.interruptions >= 0, "interruptions", "must not be negative")
        .check(v.wanted.value_or(0) >= 0, "wanted", "must not be negative");
    if (!f.ok()) return f.status().error();
    return v;
}

template <>
Result<JobCost> from_json<JobCost>(const json& j) {
    JobCost v;
    JsonFields f(j, "JobCost");
    read_cost_fields(f, v.cost);
    f.required("fleet_usd", v.fleet_usd).required("provider", v.provider);
    f.check(v.fleet_usd >= 0, "fleet_usd", "must not be negative");
    if (!f.ok()) return f.status().error();
    return v;
}

}  // namespace spotfarm::protocol
