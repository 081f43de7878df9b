#pragma once
// The `spotfarm worker` command's spot interruption watcher: the one piece of the worker that
// comes from the AWS provider's branch. Kept apart so that wiring it is one file.

#include <memory>
#include <string>

#include "util/result.h"
#include "worker/interruption_watcher.h"

namespace spotfarm::cli {

// The watcher for `imds_url` (--imds-url); with none given, EC2's own metadata service when
// this machine is an EC2 instance, else no watcher (nullptr).
util::Result<std::unique_ptr<worker::InterruptionWatcher>> make_interruption_watcher(
    const std::string& imds_url);

// True on an EC2 instance (the DMI vendor or Xen's hypervisor id say so).
bool running_on_ec2();

}  // namespace spotfarm::cli
