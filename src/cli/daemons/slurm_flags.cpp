#include "cli/daemons/slurm_flags.h"

#include "util/text_file.h"

namespace spotfarm::cli {

void add_slurm_flags(CLI::App& command, SlurmFlags& f) {
    const std::string group = "Slurm (--provider slurm)";
    command.add_option("--partition", f.partition, "Slurm partition of the worker jobs")
        ->group(group);
    command.add_option("--account", f.account, "Slurm account the worker jobs are charged to")
        ->group(group);
    command
        .add_option("--time-limit", f.time_limit,
                    "time limit of each worker job (sbatch --time: MINUTES, H:MM:SS, D-HH:MM:SS); "
                    "workers stop claiming frames they cannot finish before it")
        ->group(group);
    command.add_option("--gres", f.gres, "generic resources of each worker job, e.g. gpu:1")
        ->group(group);
    command.add_option("--cpus-per-task", f.cpus_per_task, "CPUs of each worker job")
        ->check(CLI::NonNegativeNumber)
        ->group(group);
    command.add_option("--mem", f.memory, "memory of each worker job (sbatch --mem), e.g. 16G")
        ->group(group);
    command
        .add_option("--sbatch", f.sbatch_lines,
                    "one more batch option for every worker job, e.g. --sbatch=--qos=low "
                    "(repeatable)")
        ->allow_extra_args(false)
        ->group(group);
    command
        .add_option("--sbatch-file", f.sbatch_file,
                    "a file whose #SBATCH lines go into every worker job's script")
        ->check(CLI::ExistingFile)
        ->group(group);
    command
        .add_option("--node-spotfarm", f.spotfarm_path,
                    "path of spotfarm on the compute nodes (default: this binary's path, "
                    "for a shared file system)")
        ->group(group);
}

util::Result<providers::slurm::SlurmOptions> slurm_options(const SlurmFlags& f) {
    providers::slurm::SlurmOptions o;
    o.partition = f.partition;
    o.account = f.account;
    o.time_limit = f.time_limit;
    o.gres = f.gres;
    o.cpus_per_task = f.cpus_per_task;
    o.memory = f.memory;
    if (!f.sbatch_file.empty()) {
        auto text = util::read_text_file(f.sbatch_file, 1 << 20);
        if (!text) {
            return util::make_error("--sbatch-file: " + text.error().message,
                                    util::ErrorKind::invalid);
        }
        size_t from = 0;
        while (from < text->size()) {
            size_t end = text->find('\n', from);
            if (end == std::string::npos) end = text->size();
            std::string line = text->substr(from, end - from);
            if (!line.empty() && line.back() == '\r') line.pop_back();
            if (line.rfind("#SBATCH ", 0) == 0) o.extra_lines.push_back(line);
            from = end + 1;
        }
    }
    o.extra_lines.insert(o.extra_lines.end(), f.sbatch_lines.begin(), f.sbatch_lines.end());
    return o;
}

}  // namespace spotfarm::cli
