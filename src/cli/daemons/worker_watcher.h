#pragma once
// The `spotfarm worker` command's spot interruption watcher: which metadata service to watch
// (--spot-watch, --imds-url), made into the worker's InterruptionWatcher.

#include <memory>
#include <string>

#include "util/http_client.h"
#include "util/result.h"
#include "worker/interruption_watcher.h"

namespace spotfarm::cli {

struct SpotWatchFlags {
    bool spot_watch = false;  // watch EC2's own metadata service (169.254.169.254)
    std::string imds_url;     // watch this one instead (tests, other clouds' IMDS look-alikes)
    int poll_seconds = 5;     // AWS suggests every 5 seconds
};

// The watcher the flags ask for; with neither flag, EC2's own metadata service when this machine
// is an EC2 instance, else no watcher (nullptr). `http` must outlive the watcher.
util::Result<std::unique_ptr<worker::InterruptionWatcher>> make_interruption_watcher(
    const SpotWatchFlags& flags, util::HttpClient& http);

// True on an EC2 instance (the DMI vendor or Xen's hypervisor id say so).
bool running_on_ec2();

}  // namespace spotfarm::cli
