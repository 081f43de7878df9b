#pragma once
// Instance-hours and what they cost, one entry per instance, kept by the fleet controller so that
// a job's cost outlives its instances (EC2 forgets a terminated instance after about an hour, and
// a local process leaves no trace). Not thread-safe.

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "estimate/price_table.h"
#include "providers/provider.h"

namespace spotfarm::manager {

using WallTime = std::chrono::system_clock::time_point;

// USD per hour for an instance; nullopt when its price is not known.
using PriceFn = std::function<std::optional<double>(const providers::WorkerInstance&)>;

// Prices from a price table: the on-demand price, or the typical Spot price for an
// interruptible instance.
PriceFn price_from_table(estimate::PriceTable table);
// Every instance free (local processes).
PriceFn free_of_charge();

struct LedgerEntry {
    std::string id;
    std::string kind;  // "c7i.4xlarge", "local"
    std::string zone;  // availability zone, when the provider knows
    bool interruptible = false;
    WallTime from;               // launch
    std::optional<WallTime> to;  // when it stopped billing; open while it runs
    std::optional<double> usd_per_hour;
    std::string detail;        // the provider's latest word on its state (Slurm's job state)
    bool interrupted = false;  // it stopped without being asked to (Spot reclaim, node failure)
};

struct FleetCost {
    double instance_hours = 0;
    double usd = 0;                  // the priced hours only
    std::vector<std::string> notes;  // what could not be priced
};

class FleetLedger {
public:
    explicit FleetLedger(PriceFn price);

    // Opens an entry for an instance seen for the first time (from its provider's start time
    // when known, else `now`); of a known one only the provider's detail is brought up to date.
    void observe(const providers::WorkerInstance& instance, WallTime now);
    // The instance stopped billing at `at` (the first call wins).
    void close(const std::string& id, WallTime at);
    bool is_open(const std::string& id) const;
    // The instance stopped without being asked to; counted once by interruptions().
    void mark_interrupted(const std::string& id);
    // How many instances stopped without being asked to, over the fleet's whole life.
    int interruptions() const;

    // Every instance's time from launch to stop (or `now`).
    FleetCost cost(WallTime now) const;
    // Only the time that falls within [from, to]: what a job running then cost, when it had the
    // fleet to itself.
    FleetCost cost_between(WallTime from, WallTime to, WallTime now) const;

    const std::vector<LedgerEntry>& entries() const { return m_entries; }

private:
    LedgerEntry* find(const std::string& id);

    PriceFn m_price;
    std::vector<LedgerEntry> m_entries;
};

}  // namespace spotfarm::manager
