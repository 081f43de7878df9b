#include "cli/daemons/worker_watcher.h"

#include <fstream>

#include <spdlog/spdlog.h>

#include "cli/common/commands.h"
#include "worker/imds_interruption_watcher.h"

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

util::Result<std::unique_ptr<worker::InterruptionWatcher>> make_interruption_watcher(
    const SpotWatchFlags& flags, util::HttpClient& http) {
    util::ImdsOptions imds;
    if (!flags.imds_url.empty()) {
        if (!flags.imds_url.starts_with("http://") && !flags.imds_url.starts_with("https://")) {
            return util::make_error("--imds-url '" + flags.imds_url +
                                        "' is not an http:// URL, such as http://169.254.169.254",
                                    util::ErrorKind::invalid);
        }
        imds.base_url = flags.imds_url;
        while (imds.base_url.size() > 8 && imds.base_url.ends_with('/')) imds.base_url.pop_back();
    } else if (!flags.spot_watch && !running_on_ec2()) {
        return std::unique_ptr<worker::InterruptionWatcher>();
    }
    spdlog::info("watching {} for spot interruption notices every {} s", imds.base_url,
                 flags.poll_seconds);
    return std::unique_ptr<worker::InterruptionWatcher>(
        std::make_unique<worker::ImdsInterruptionWatcher>(
            http, std::move(imds), std::chrono::seconds(flags.poll_seconds)));
}

}  // namespace spotfarm::cli
