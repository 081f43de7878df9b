#include "cli/workers/fleet_table.h"

#include <chrono>

#include <fmt/format.h>

#include "cli/common/table.h"
#include "cli/common/time_text.h"
#include "util/utc_time.h"

namespace spotfarm::cli {
namespace {

// "12m ago" for an ISO 8601 launch time; "-" when absent or unreadable.
std::string fleet_launch_age(const std::optional<std::string>& launched_at, std::int64_t now_ms) {
    if (!launched_at) return "-";
    auto at = util::parse_iso8601_utc(*launched_at);
    if (!at) return "-";
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(at->time_since_epoch()).count();
    return format_age(ms, now_ms) + " ago";
}

std::string fleet_summary_line(const protocol::FleetSummary& fleet) {
    std::string line = fmt::format("Fleet ({}): {} live", fleet.provider, fleet.live);
    if (fleet.wanted) line += fmt::format(", {} wanted", *fleet.wanted);
    line += fmt::format(", {} interruption{}, ${:.2f} so far ({:.2f} instance-hours)",
                        fleet.interruptions, fleet.interruptions == 1 ? "" : "s", fleet.cost.usd,
                        fleet.cost.instance_hours);
    if (fleet.launch_stopped) line += "\nNo more launches: " + *fleet.launch_stopped;
    return line + "\n";
}

}  // namespace

std::string render_fleet_table(const protocol::FleetSummary& fleet, std::int64_t now_ms) {
    std::string out = fleet_summary_line(fleet);
    if (fleet.instances.empty()) return out;
    Table table({{"INSTANCE", Align::left, 30},
                 {"KIND"},
                 {"ZONE"},
                 {"STATE"},
                 {"PROVIDER STATE", Align::left, 40},
                 {"LAUNCHED", Align::right}});
    for (const protocol::FleetInstance& instance : fleet.instances) {
        std::string kind = instance.kind + (instance.interruptible ? " (spot)" : "");
        table.add_row({instance.id, kind, instance.zone.empty() ? "-" : instance.zone,
                       instance.running ? "running" : "stopped",
                       instance.detail.empty() ? "-" : instance.detail,
                       fleet_launch_age(instance.launched_at, now_ms)});
    }
    return out + table.render();
}

}  // namespace spotfarm::cli
