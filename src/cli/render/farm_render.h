#pragma once
// The one way a render runs, on this machine or on a cloud fleet: a ManagerService in this
// process (its state beside the output, or in --state-dir), a FleetRunner with a provider (local
// worker processes, or EC2 instances) that sizes the fleet from the frames left, and this command
// following the job to its end through the manager's own API. `spotfarm manager --provider ...`
// is the same service and runner without a job of its own.
//
// The state folder is locked while the render runs (manager/state_lock.h): a second render on the
// same output says which process holds it and exits 2. Local workers die with this process
// (util/parent_death.h) and Blender with its worker, so a render killed with SIGKILL leaves
// nothing running and the same command again resumes.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>

#include "cli/daemons/manager_fleet.h"
#include "cli/render/render_plan.h"

namespace spotfarm::cli {

struct FarmRenderOptions {
    std::filesystem::path state_dir;
    std::string address = "127.0.0.1";  // where the manager listens
    std::uint16_t port = 0;             // 0: any free port (local workers are told which)
    std::chrono::seconds lease_timeout{30};
    ManagerFleetFlags fleet;  // provider "local" or "aws", its bounds and launch flags
    bool cloud = false;       // billed instances: each is confirmed gone at the end
    bool keep_fleet = false;  // cloud: leave the instances running for the next job
    bool json = false;
    // Local workers: where the job's settings are written for `spotfarm worker --preload-job`,
    // so each worker's Blender loads the scene while the worker registers. Empty: none.
    std::filesystem::path preload_file;
};

// Runs the plan's job to its end; returns the exit code.
int run_farm_render(const RenderPlan& plan, const FarmRenderOptions& options);

}  // namespace spotfarm::cli
