#pragma once
// A provider brings workers up and takes them down: local processes, SSH hosts, a Slurm array,
// EC2 Spot instances... One Provider object serves one fleet, which it can always find again
// (by tags on AWS), so a fleet outlives the process that started it.

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace spotfarm::providers {

enum class WorkerState {
    starting,  // asked for, not yet running (EC2: pending)
    running,
    stopping,  // going away (EC2: shutting-down, stopping)
    stopped,   // gone (EC2: terminated, stopped)
    unknown,
};

std::string_view to_string(WorkerState state);

struct WorkerInstance {
    std::string id;  // the provider's own id: an EC2 instance id, a process id, ...
    WorkerState state = WorkerState::unknown;
    std::string kind;            // what it runs on: "c7i.4xlarge", "local"
    std::string zone;            // where: an availability zone ("eu-west-1a"), when known
    bool interruptible = false;  // Spot: the cloud may take it back at short notice
    std::string address;         // private address, when there is one
    std::map<std::string, std::string> tags;
    std::optional<std::chrono::system_clock::time_point> started_at;
    std::string reason;  // why it stopped, when the provider knows ("Spot instance termination")
    // The provider's own word on its state, for people: Slurm's "PENDING (Resources)",
    // "RUNNING", sacct's "TIMEOUT 0:0". Empty for providers that have none.
    std::string detail;
};

struct StartRequest {
    int count = 1;
    std::map<std::string, std::string> tags;  // on every worker, next to the provider's own
    // Idempotency: a repeated request with the same id starts nothing new. Empty: none.
    std::string request_id;
};

struct StartResult {
    std::vector<WorkerInstance> started;  // may be fewer than asked (capacity), never more
    std::vector<std::string> notes;       // for people: "no Spot capacity for X; used on-demand"
};

struct CostReport {
    double usd = 0;                  // an estimate from known prices
    double instance_hours = 0;       // every worker, from start to stop or now
    std::vector<std::string> notes;  // what the estimate could not price
};

class Provider {
public:
    virtual ~Provider() = default;
    virtual std::string_view name() const = 0;  // "local", "aws", ...

    virtual util::Result<StartResult> start_workers(const StartRequest& request) = 0;
    // The fleet's workers as the provider sees them now, recently stopped ones included.
    virtual util::Result<std::vector<WorkerInstance>> list_workers() = 0;
    // Ids not in this fleet are refused, so a typo cannot stop someone else's machine.
    virtual util::Status stop_workers(const std::vector<std::string>& ids) = 0;
    virtual util::Status stop_all() = 0;
    virtual util::Result<CostReport> cost_so_far() = 0;
};

}  // namespace spotfarm::providers
