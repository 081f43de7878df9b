#pragma once
// `spotfarm estimate --manager`: renders the sample frames as a job on a farm, follows it with
// the progress bar, reads the frame and scene-load times from the manager's answers and deletes
// the job (and its sample images) afterwards, whatever happened.

#include <filesystem>
#include <vector>

#include "cli/client/api_client.h"
#include "cli/estimate/estimate_report.h"
#include "cli/estimate/estimate_setup.h"
#include "core/job_settings.h"
#include "util/result.h"

namespace spotfarm::cli {

// `chosen`: the sample frames. The samples are written to a new folder under --sample-output, or
// under this machine's temporary folder, which the workers see only when they run here; on a real
// farm --sample-output must name shared storage. Errors: code 1 when a sample frame failed on the
// farm, 130 when interrupted, the API's codes when the manager cannot be reached.
// `settings`: the job's, as job_settings checked them (its output is replaced).
util::Result<SampleMeasurement> sample_on_farm(ApiClient& api, const EstimateArgs& args,
                                               const core::JobSettings& settings,
                                               const std::vector<int>& chosen,
                                               std::size_t frame_count);

}  // namespace spotfarm::cli
