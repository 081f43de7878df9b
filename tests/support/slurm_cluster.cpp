#include "support/slurm_cluster.h"

#include <signal.h>
#include <unistd.h>

#include <fstream>
#include <random>
#include <thread>

#include "support/process_scan.h"
#include "util/text_file.h"

namespace spotfarm::test {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

std::string short_host_name() {
    char name[256] = {};
    ::gethostname(name, sizeof name - 1);
    std::string host = name;
    return host.substr(0, host.find('.'));
}

// Two ports below the kernel's range for outgoing connections (32768 and up), picked at random
// so that clusters of tests side by side do not meet.
std::pair<int, int> pick_ports() {
    std::random_device seed;
    const int base = 20000 + static_cast<int>(seed() % 6000) * 2;
    return {base, base + 1};
}

util::Result<util::Subprocess> spawn(std::vector<std::string> argv, const fs::path& log,
                                     const std::vector<std::pair<std::string, std::string>>& env) {
    util::SpawnOptions options;
    options.argv = std::move(argv);
    options.env = env;
    options.output_file = log;
    return util::Subprocess::spawn(options);
}

}  // namespace

std::string SlurmCluster::cannot_run_here() {
    if (::geteuid() != 0)
        return "a test Slurm cluster runs its daemons as root; this test runs as uid " +
               std::to_string(::geteuid()) + " (CI runs as root)";
    return "";
}

util::Result<std::unique_ptr<SlurmCluster>> SlurmCluster::start(const fs::path& dir, int cpus) {
    for (const char* program : {"/usr/sbin/munged", "/usr/sbin/slurmctld", "/usr/sbin/slurmd"}) {
        if (!fs::exists(program))
            return util::make_error(std::string(program) +
                                    " is missing: install slurm-wlm and munge "
                                    "(scripts/setup.sh does)");
    }
    std::unique_ptr<SlurmCluster> cluster(new SlurmCluster(dir));
    for (const char* sub : {"spool", "state", "log"}) fs::create_directories(dir / sub);
    {
        std::random_device random;
        std::ofstream key(dir / "munge.key", std::ios::binary);
        for (int i = 0; i < 1024; ++i) key.put(static_cast<char>(random() & 0xff));
    }
    fs::permissions(dir / "munge.key", fs::perms::owner_read | fs::perms::owner_write);
    const auto [ctld_port, slurmd_port] = pick_ports();
    const std::string host = short_host_name();
    const std::string d = dir.string();
    std::ofstream(dir / "slurm.conf")
        << "ClusterName=spotfarmtest\n"
        << "SlurmctldHost=" << host << "(127.0.0.1)\n"
        << "SlurmctldPort=" << ctld_port << "\nSlurmdPort=" << slurmd_port << "\n"
        << "AuthType=auth/munge\nCredType=cred/munge\nAuthInfo=socket=" << d << "/munge.sock\n"
        << "SlurmUser=root\nSlurmdUser=root\n"
        << "StateSaveLocation=" << d << "/state\nSlurmdSpoolDir=" << d << "/spool\n"
        << "SlurmctldPidFile=" << d << "/slurmctld.pid\nSlurmdPidFile=" << d << "/slurmd.pid\n"
        << "SlurmctldLogFile=" << d << "/log/slurmctld.log\n"
        << "SlurmdLogFile=" << d
        << "/log/slurmd.log\n"
        // No cgroups: the test machine may be a container.
        << "ProctrackType=proctrack/linuxproc\nTaskPlugin=task/none\n"
        << "JobAcctGatherType=jobacct_gather/none\n"
        << "AccountingStorageType=accounting_storage/none\n"
        << "JobCompType=jobcomp/filetxt\nJobCompLoc=" << d << "/jobcomp.log\n"
        << "SchedulerType=sched/backfill\nSelectType=select/cons_tres\n"
        << "SelectTypeParameters=CR_Core\nReturnToService=2\nMpiDefault=none\n"
        << "KillWait=10\nMinJobAge=2\nInactiveLimit=0\n"
        << "NodeName=" << host << " NodeAddr=127.0.0.1 CPUs=" << cpus << " State=UNKNOWN\n"
        << "PartitionName=render Nodes=" << host << " Default=YES MaxTime=INFINITE State=UP\n";

    auto munged =
        spawn({"/usr/sbin/munged", "--foreground", "--force", "--key-file=" + d + "/munge.key",
               "--socket=" + d + "/munge.sock", "--pid-file=" + d + "/munged.pid",
               "--log-file=" + d + "/log/munged.log", "--seed-file=" + d + "/munged.seed"},
              dir / "log" / "munged.out", {});
    if (!munged) return munged.error();
    cluster->m_munged.emplace(std::move(munged).value());
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    while (!fs::exists(dir / "munge.sock") && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(20ms);
    if (!fs::exists(dir / "munge.sock"))
        return util::make_error("munged did not start:\n" + cluster->logs());

    const auto env = cluster->env();
    auto ctld = spawn({"/usr/sbin/slurmctld", "-D", "-i", "-f", d + "/slurm.conf"},
                      dir / "log" / "slurmctld.out", env);
    if (!ctld) return ctld.error();
    cluster->m_slurmctld.emplace(std::move(ctld).value());
    auto slurmd =
        spawn({"/usr/sbin/slurmd", "-D", "-f", d + "/slurm.conf"}, dir / "log" / "slurmd.out", env);
    if (!slurmd) return slurmd.error();
    cluster->m_slurmd.emplace(std::move(slurmd).value());
    if (auto up = cluster->wait_for_node(60s); !up) return up.error();
    return cluster;
}

util::Status SlurmCluster::wait_for_node(std::chrono::seconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    std::string said;
    while (std::chrono::steady_clock::now() < deadline) {
        said = run({"sinfo", "-h", "-o", "%t"});
        if (said.rfind("idle", 0) == 0 || said.rfind("mix", 0) == 0) return {};
        std::this_thread::sleep_for(100ms);
    }
    return util::make_error("the test Slurm node did not come up (sinfo: " + said + "):\n" +
                            logs());
}

SlurmCluster::~SlurmCluster() {
    if (m_slurmctld && m_slurmd) {
        run({"scancel", "--full", "-u", "root"});
        const auto deadline = std::chrono::steady_clock::now() + 30s;
        while (!run({"squeue", "-h"}).empty() && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(100ms);
    }
    // slurmstepd leaves slurmd's process group; it names the spool folder on its command line
    // or in its environment, and so do the jobs' processes.
    if (m_slurmd) m_slurmd->terminate(10s);
    if (m_slurmctld) m_slurmctld->terminate(10s);
    if (m_munged) m_munged->terminate(10s);
    for (pid_t pid : processes_mentioning(m_dir.string())) ::kill(pid, SIGKILL);
}

std::vector<std::pair<std::string, std::string>> SlurmCluster::env() const {
    return {{"SLURM_CONF", (m_dir / "slurm.conf").string()}};
}

std::string SlurmCluster::run(const std::vector<std::string>& argv) const {
    auto ran = util::run_capture(argv, 30s, env());
    if (!ran) return "(" + ran.error().message + ")";
    return ran->output;
}

std::vector<std::string> SlurmCluster::completed_jobs() const {
    std::vector<std::string> lines;
    std::ifstream in(m_dir / "jobcomp.log");
    for (std::string line; std::getline(in, line);)
        if (!line.empty()) lines.push_back(line);
    return lines;
}

std::string SlurmCluster::logs() const {
    std::string text;
    for (const char* name :
         {"munged.out", "slurmctld.log", "slurmd.log", "slurmctld.out", "slurmd.out"}) {
        auto content = util::read_text_file(m_dir / "log" / name, 1 << 20);
        if (!content) continue;
        if (content->size() > 4000) *content = content->substr(content->size() - 4000);
        text += "--- " + std::string(name) + "\n" + *content;
    }
    return text;
}

std::string jobcomp_field(const std::string& line, const std::string& name) {
    const std::string key = name + "=";
    size_t at = line.rfind(key, 0) == 0 ? 0 : line.find(" " + key);
    if (at == std::string::npos) return "";
    at += (at == 0 ? 0 : 1) + key.size();
    return line.substr(at, line.find(' ', at) - at);
}

}  // namespace spotfarm::test
