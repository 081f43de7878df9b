#include "providers/slurm/slurm_options.h"

namespace spotfarm::providers::slurm {

std::string job_name(const SlurmOptions& options) {
    return "spotfarm-" + options.fleet_id;
}

}  // namespace spotfarm::providers::slurm
