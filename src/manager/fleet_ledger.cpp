#include "manager/fleet_ledger.h"

#include <algorithm>
#include <cstdio>
#include <map>

namespace spotfarm::manager {

PriceFn price_from_table(estimate::PriceTable table) {
    return [table = std::move(table)](
               const providers::WorkerInstance& instance) -> std::optional<double> {
        const estimate::InstancePrice* price = table.find(instance.kind);
        if (!price) return std::nullopt;
        return instance.interruptible ? price->spot_usd_per_hour() : price->on_demand_usd_per_hour;
    };
}

PriceFn free_of_charge() {
    return [](const providers::WorkerInstance&) -> std::optional<double> { return 0.0; };
}

FleetLedger::FleetLedger(PriceFn price) : m_price(std::move(price)) {}

LedgerEntry* FleetLedger::find(const std::string& id) {
    auto it = std::find_if(m_entries.begin(), m_entries.end(),
                           [&](const LedgerEntry& e) { return e.id == id; });
    return it == m_entries.end() ? nullptr : &*it;
}

void FleetLedger::observe(const providers::WorkerInstance& instance, WallTime now) {
    if (LedgerEntry* known = find(instance.id)) {
        if (!instance.detail.empty()) known->detail = instance.detail;
        return;
    }
    LedgerEntry entry;
    entry.id = instance.id;
    entry.kind = instance.kind;
    entry.zone = instance.zone;
    entry.interruptible = instance.interruptible;
    entry.detail = instance.detail;
    entry.from = instance.started_at.value_or(now);
    if (m_price) entry.usd_per_hour = m_price(instance);
    m_entries.push_back(std::move(entry));
}

void FleetLedger::close(const std::string& id, WallTime at) {
    LedgerEntry* entry = find(id);
    if (entry && !entry->to) entry->to = std::max(at, entry->from);
}

bool FleetLedger::is_open(const std::string& id) const {
    auto it = std::find_if(m_entries.begin(), m_entries.end(),
                           [&](const LedgerEntry& e) { return e.id == id; });
    return it != m_entries.end() && !it->to;
}

void FleetLedger::mark_interrupted(const std::string& id) {
    if (LedgerEntry* entry = find(id)) entry->interrupted = true;
}

int FleetLedger::interruptions() const {
    return static_cast<int>(std::count_if(m_entries.begin(), m_entries.end(),
                                          [](const LedgerEntry& e) { return e.interrupted; }));
}

FleetCost FleetLedger::cost(WallTime now) const {
    return cost_between(WallTime::min(), WallTime::max(), now);
}

FleetCost FleetLedger::cost_between(WallTime from, WallTime to, WallTime now) const {
    FleetCost cost;
    std::map<std::string, double> unpriced_hours;  // by kind
    for (const auto& entry : m_entries) {
        const WallTime start = std::max(entry.from, from);
        const WallTime end = std::min(entry.to.value_or(std::max(now, entry.from)), to);
        if (end <= start) continue;
        const double hours = std::chrono::duration<double>(end - start).count() / 3600;
        cost.instance_hours += hours;
        if (entry.usd_per_hour)
            cost.usd += hours * *entry.usd_per_hour;
        else
            unpriced_hours[entry.kind] += hours;
    }
    for (const auto& [kind, hours] : unpriced_hours) {
        char text[160];
        std::snprintf(text, sizeof text, "no price for %s: %.2f instance-hours not counted",
                      kind.c_str(), hours);
        cost.notes.push_back(text);
    }
    return cost;
}

}  // namespace spotfarm::manager
