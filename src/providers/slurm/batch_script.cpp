#include "providers/slurm/batch_script.h"

namespace spotfarm::providers::slurm {

namespace {

// A worker argument, with "{id}" left to the shell to fill in from the array task's variables.
std::string quote_argument(const std::string& arg) {
    std::string out;
    size_t from = 0;
    for (size_t at = arg.find("{id}"); at != std::string::npos; at = arg.find("{id}", from)) {
        out += shell_quote(arg.substr(from, at - from)) + "\"$SPOTFARM_INSTANCE_ID\"";
        from = at + 4;
    }
    return out + shell_quote(arg.substr(from));
}

}  // namespace

util::Result<std::string> batch_script(const SlurmOptions& options, int count) {
    if (count < 1) return util::make_error("a job array needs at least one worker");
    if (options.worker_command.empty())
        return util::make_error("the Slurm provider has no worker command");
    std::string s = "#!/bin/sh\n";
    auto option = [&s](const std::string& text) { s += "#SBATCH " + text + "\n"; };
    option("--job-name=" + job_name(options));
    option("--array=0-" + std::to_string(count - 1));
    option("--nodes=1");
    option("--ntasks=1");
    if (!options.partition.empty()) option("--partition=" + options.partition);
    if (!options.account.empty()) option("--account=" + options.account);
    if (!options.time_limit.empty()) option("--time=" + options.time_limit);
    if (!options.gres.empty()) option("--gres=" + options.gres);
    if (options.cpus_per_task > 0)
        option("--cpus-per-task=" + std::to_string(options.cpus_per_task));
    if (!options.memory.empty()) option("--mem=" + options.memory);
    if (!options.work_dir.empty())
        option("--output=" + (options.work_dir / "logs" / "%A_%a.log").string());
    for (const auto& line : options.extra_lines) {
        if (line.rfind("#SBATCH ", 0) == 0) {
            s += line + "\n";
        } else if (line.rfind("--", 0) == 0 || (line.size() == 2 && line[0] == '-')) {
            option(line);
        } else if (line.rfind("-", 0) == 0 && line.size() > 2 && line[2] == ' ') {
            option(line);
        } else {
            return util::make_error("'" + line +
                                        "' is not a batch option: write it as \"--qos=low\" or "
                                        "\"#SBATCH --qos=low\"",
                                    util::ErrorKind::invalid);
        }
        if (line.find('\n') != std::string::npos)
            return util::make_error("a batch option cannot span lines", util::ErrorKind::invalid);
    }
    // The worker registers with this id (core/instance_identity.h), which is how the manager
    // ties it to the array task squeue lists.
    s += "SPOTFARM_INSTANCE_ID=\"${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}\"\n";
    s += "export SPOTFARM_INSTANCE_ID\n";
    s += "exec";
    for (const auto& arg : options.worker_command) {
        s += ' ';
        s += quote_argument(arg);
    }
    s += "\n";
    return s;
}

}  // namespace spotfarm::providers::slurm
