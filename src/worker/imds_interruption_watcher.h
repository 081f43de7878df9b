#pragma once
// The worker's InterruptionWatcher on EC2: SpotInterruptionWatcher's IMDSv2 notices in the form
// the drain monitor takes. A failure to read IMDS counts as no notice (the worker keeps working)
// and is logged once until IMDS answers again, so a worker off EC2 does not flood its log.

#include <chrono>
#include <string>

#include "util/http_client.h"
#include "util/imds_client.h"
#include "worker/interruption_watcher.h"
#include "worker/spot_interruption_watcher.h"

namespace spotfarm::worker {

class ImdsInterruptionWatcher final : public InterruptionWatcher {
public:
    // `http` must outlive the watcher.
    ImdsInterruptionWatcher(util::HttpClient& http, util::ImdsOptions imds,
                            std::chrono::seconds interval = k_spot_poll_interval);

    InterruptionNotice poll() override;
    std::chrono::seconds interval() const override { return m_interval; }

private:
    SpotInterruptionWatcher m_spot;
    std::chrono::seconds m_interval;
    std::string m_last_error;  // logged already
};

}  // namespace spotfarm::worker
