#include "cli/worker_watcher.h"

#include <fstream>

#include <spdlog/spdlog.h>

namespace spotfarm::cli {

namespace {
std::string first_line(const char* path) {
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);
    return line;
}
}  // namespace

bool running_on_ec2() {
    return first_line("/sys/devices/virtual/dmi/id/sys_vendor") == "Amazon EC2" ||
           first_line("/sys/devices/virtual/dmi/id/board_vendor") == "Amazon EC2" ||
           first_line("/sys/hypervisor/uuid").rfind("ec2", 0) == 0;
}

// The IMDS watcher (worker::SpotInterruptionWatcher) is on the `aws` branch, not merged here yet:
// until it is, a worker asked to watch says so and does not start, and one that merely finds
// itself on EC2 runs without (SIGTERM, which EC2 sends at shutdown, still drains it).
util::Result<std::unique_ptr<worker::InterruptionWatcher>> make_interruption_watcher(
    const std::string& imds_url) {
    if (!imds_url.empty()) {
        return util::make_error(
            "--imds-url: this spotfarm is built without the spot interruption watcher (it comes "
            "with the AWS provider); leave --imds-url out to run without it",
            2);
    }
    if (running_on_ec2()) {
        spdlog::warn(
            "this is an EC2 instance, but this spotfarm is built without the spot "
            "interruption watcher: notices are not watched, SIGTERM still drains");
    }
    return std::unique_ptr<worker::InterruptionWatcher>();
}

}  // namespace spotfarm::cli
