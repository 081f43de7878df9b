// `spotfarm cloud status`: the instances spotfarm launched, found by their tags (no manager
// needed): id, fleet, type, zone, Spot or on-demand, state, launch time and cost so far, and how
// the live ones are spread over capacity pools (type x zone).
#include <algorithm>
#include <iostream>
#include <map>
#include <memory>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/cloud/cloud_context.h"
#include "cli/cloud/cloud_services.h"
#include "cli/common/commands.h"
#include "providers/aws/aws_provider.h"
#include "providers/aws/fleet_inventory.h"
#include "providers/aws/instance_cost.h"
#include "util/utc_time.h"

namespace spotfarm::cli {
namespace {

namespace aws = providers::aws;

struct StatusFlags {
    std::string fleet;
    bool json = false;
    AwsFlags aws;
};

bool is_live(aws::InstanceState state) {
    return state == aws::InstanceState::pending || state == aws::InstanceState::running;
}

// One instance and what it has cost (nullptr when unknown).
struct Row {
    const aws::Ec2Instance* instance;
    const aws::InstanceCost* cost;
};

struct Listing {
    std::string region;
    std::vector<Row> rows;
    providers::CostReport total;
    int live = 0;
    std::map<std::pair<std::string, std::string>, int> pools;  // (type, zone) -> live instances
    nlohmann::json setup;                                      // what `cloud setup` made
};

// "3 x c7i.4xlarge in eu-west-1a, 2 x c6i.4xlarge in eu-west-1b"
std::string spread_text(const Listing& listing) {
    std::string text;
    for (const auto& [pool, count] : listing.pools)
        text += fmt::format("{}{} x {} in {}", text.empty() ? "" : ", ", count, pool.first,
                            pool.second);
    return text;
}

void print_json(const Listing& listing) {
    nlohmann::json out;
    out["region"] = listing.region;
    out["instances"] = nlohmann::json::array();
    for (const auto& [instance, cost] : listing.rows) {
        nlohmann::json item;
        item["id"] = instance->instance_id;
        item["fleet"] = instance->tag(aws::k_fleet_tag).value_or("");
        item["type"] = instance->instance_type;
        item["zone"] = instance->availability_zone;
        item["lifecycle"] = instance->is_spot() ? "spot" : "on-demand";
        item["state"] = std::string(aws::to_string(instance->state));
        item["launch_time"] =
            instance->launch_time ? util::format_iso8601_utc(*instance->launch_time) : "";
        item["private_ip"] = instance->private_ip;
        item["hours"] = cost ? cost->hours : 0.0;
        item["usd"] = cost && cost->usd() ? nlohmann::json(*cost->usd()) : nlohmann::json();
        out["instances"].push_back(item);
    }
    out["running"] = listing.live;
    out["pools"] = nlohmann::json::array();
    for (const auto& [pool, count] : listing.pools)
        out["pools"].push_back({{"type", pool.first}, {"zone", pool.second}, {"running", count}});
    out["instance_hours"] = listing.total.instance_hours;
    out["usd"] = listing.total.usd;
    out["notes"] = listing.total.notes;
    out["setup"] = listing.setup;
    std::cout << out.dump(2) << "\n";
}

void print_table(const Listing& listing, const std::string& fleet) {
    if (listing.rows.empty()) {
        std::cout << "No spotfarm instances" << (fleet.empty() ? "" : " in fleet " + fleet)
                  << " in " << listing.region << ".\n";
        return;
    }
    constexpr const char* k_row = "{:<20} {:<20} {:<14} {:<12} {:<10} {:<14} {:<21} {:>7} {:>9}\n";
    std::cout << fmt::format(k_row, "FLEET", "INSTANCE", "TYPE", "ZONE", "LIFECYCLE", "STATE",
                             "LAUNCHED", "HOURS", "COST");
    for (const auto& [instance, cost] : listing.rows) {
        std::cout << fmt::format(
            k_row, instance->tag(aws::k_fleet_tag).value_or("-"), instance->instance_id,
            instance->instance_type,
            instance->availability_zone.empty() ? "-" : instance->availability_zone,
            instance->is_spot() ? "spot" : "on-demand", aws::to_string(instance->state),
            instance->launch_time ? util::format_iso8601_utc(*instance->launch_time) : "-",
            fmt::format("{:.2f}", cost ? cost->hours : 0.0),
            cost && cost->usd() ? fmt::format("${:.2f}", *cost->usd()) : "?");
    }
    std::cout << fmt::format(
        "{} of {} instance(s) running or starting. Cost so far: ${:.2f} "
        "({:.2f} instance-hours; Spot at current prices, on-demand at "
        "list prices).\n",
        listing.live, listing.rows.size(), listing.total.usd, listing.total.instance_hours);
    if (!listing.pools.empty())
        std::cout << fmt::format("Spread over {} pool(s): {}.\n", listing.pools.size(),
                                 spread_text(listing));
    for (const auto& note : listing.total.notes) std::cout << "note: " << note << "\n";
}

int run_status(const StatusFlags& f) {
    auto session = open_aws_session(f.aws);
    if (!session.ok()) return report_error("status", session.error());
    aws::Ec2Client& ec2 = *(*session)->ec2;
    auto instances = aws::find_spotfarm_instances(ec2, f.fleet);
    if (!instances.ok()) return report_error("status", instances.error());
    const auto now = std::chrono::system_clock::now();
    auto costs = aws::instance_costs(ec2, *instances, now, builtin_on_demand_prices(),
                                     [now](const aws::Ec2Instance& instance) {
                                         return aws::stopped_at(instance).value_or(now);
                                     });
    // Without the Spot prices (no ec2:DescribeSpotPriceHistory, say) the list still matters.
    const std::vector<aws::InstanceCost> no_costs;
    const std::vector<aws::InstanceCost>& known = costs.ok() ? *costs : no_costs;

    Listing listing;
    listing.region = (*session)->region;
    listing.total = aws::total_cost(*instances, known);
    if (!costs.ok()) listing.total.notes.push_back("costs unknown: " + costs.error().message);
    for (const auto& instance : *instances) {
        auto cost = std::find_if(known.begin(), known.end(), [&](const aws::InstanceCost& c) {
            return c.instance_id == instance.instance_id;
        });
        listing.rows.push_back({&instance, cost == known.end() ? nullptr : &*cost});
        listing.live += is_live(instance.state);
        if (is_live(instance.state))
            ++listing.pools[{instance.instance_type, instance.availability_zone}];
    }
    if (f.json) {
        listing.setup = setup_section_json(**session);
        print_json(listing);
    } else {
        print_setup_section(**session);
        print_table(listing, f.fleet);
    }
    return k_exit_ok;
}

}  // namespace

void add_cloud_status_command(CLI::App& cloud, int& exit_code) {
    CLI::App* cmd = cloud.add_subcommand(
        "status", "List spotfarm's instances (found by their tags) with their cost so far");
    auto f = std::make_shared<StatusFlags>();
    cmd->add_option("--fleet", f->fleet, "only this fleet (default: every spotfarm fleet)");
    cmd->add_flag("--json", f->json, "print JSON instead of a table");
    add_aws_flags(*cmd, f->aws);
    cmd->footer("\nEC2 lists terminated instances for about an hour after they end.");
    cmd->callback([f, &exit_code] { exit_code = run_status(*f); });
}

}  // namespace spotfarm::cli
