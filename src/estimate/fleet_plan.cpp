#include "estimate/fleet_plan.h"

#include <algorithm>
#include <functional>
#include <queue>
#include <utility>

namespace spotfarm::estimate {
namespace {

std::vector<double> task_seconds(std::span<const double> frame_seconds, std::size_t chunk_size,
                                 double speed_factor) {
    chunk_size = std::max<std::size_t>(chunk_size, 1);
    std::vector<double> tasks;
    tasks.reserve((frame_seconds.size() + chunk_size - 1) / chunk_size);
    for (std::size_t i = 0; i < frame_seconds.size(); i += chunk_size) {
        double sum = 0;
        for (std::size_t j = i; j < std::min(i + chunk_size, frame_seconds.size()); ++j) {
            sum += frame_seconds[j];
        }
        tasks.push_back(sum / speed_factor);
    }
    return tasks;
}

}  // namespace

std::vector<double> list_schedule(std::vector<double> free_at, std::span<const double> tasks) {
    if (free_at.empty()) return free_at;
    // (free time, worker), earliest on top; ties go to the lower worker index.
    using Slot = std::pair<double, std::size_t>;
    std::priority_queue<Slot, std::vector<Slot>, std::greater<>> queue;
    for (std::size_t i = 0; i < free_at.size(); ++i) queue.emplace(free_at[i], i);
    for (double task : tasks) {
        auto [start, worker] = queue.top();
        queue.pop();
        free_at[worker] = start + task;
        queue.emplace(free_at[worker], worker);
    }
    return free_at;
}

FleetRun simulate_fleet(std::span<const double> frame_seconds, std::size_t workers,
                        const FleetParams& params) {
    const double speed = params.speed_factor > 0 ? params.speed_factor : 1;
    const std::vector<double> tasks = task_seconds(frame_seconds, params.chunk_size, speed);
    FleetRun run;
    run.workers_used = std::min(std::max<std::size_t>(workers, 1), tasks.size());
    if (run.workers_used == 0) return run;

    const double ready = params.startup_seconds + params.scene_load_seconds / speed;
    for (double finish : list_schedule(std::vector<double>(run.workers_used, ready), tasks)) {
        run.wall_seconds = std::max(run.wall_seconds, finish);
        run.instance_seconds += std::max(finish, params.min_billed_seconds);
    }
    return run;
}

std::vector<FleetRow> fleet_table(const RenderTimeEstimate& estimate, const FleetParams& params,
                                  double price_per_hour, std::span<const std::size_t> sizes) {
    const double total = estimate.total_seconds;
    const auto scaled = [&](double target) {
        std::vector<double> frames = estimate.frame_seconds;
        if (total > 0) {
            for (double& s : frames) s *= target / total;
        }
        return frames;
    };
    const std::vector<double> low = scaled(estimate.low_seconds);
    const std::vector<double> high = scaled(estimate.high_seconds);

    std::vector<FleetRow> rows;
    rows.reserve(sizes.size());
    for (std::size_t workers : sizes) {
        const FleetRun point_run = simulate_fleet(estimate.frame_seconds, workers, params);
        const FleetRun low_run = simulate_fleet(low, workers, params);
        const FleetRun high_run = simulate_fleet(high, workers, params);
        FleetRow row;
        row.workers = workers;
        row.workers_used = point_run.workers_used;
        row.wall_seconds = point_run.wall_seconds;
        row.wall_low_seconds = low_run.wall_seconds;
        row.wall_high_seconds = high_run.wall_seconds;
        row.instance_hours = point_run.instance_seconds / 3600;
        row.instance_hours_low = low_run.instance_seconds / 3600;
        row.instance_hours_high = high_run.instance_seconds / 3600;
        row.cost = row.instance_hours * price_per_hour;
        row.cost_low = row.instance_hours_low * price_per_hour;
        row.cost_high = row.instance_hours_high * price_per_hour;
        rows.push_back(row);
    }
    return rows;
}

double speed_factor_from_threads(int instance_vcpus, int local_threads) {
    if (instance_vcpus <= 0 || local_threads <= 0) return 1;
    return static_cast<double>(instance_vcpus) / static_cast<double>(local_threads);
}

}  // namespace spotfarm::estimate
