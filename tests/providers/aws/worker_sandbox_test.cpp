// The worker's systemd unit, read back out of the user-data as cloud-init would write it: the
// worker runs as its own user in a sandbox, and systemd itself accepts every line of the unit.
#include <sys/wait.h>

#include <cstdio>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "providers/aws/user_data.h"
#include "support/scratch_dir.h"

namespace spotfarm::providers::aws {
namespace {

using spotfarm::test::ScratchDir;

UserDataOptions options(bool efs) {
    UserDataOptions o;
    o.manager_url = "http://10.0.0.5:8700";
    o.join_token = "jt_9f8e7d6c5b4a3210.secret";
    if (efs) o.efs = EfsMount{"fs-0123456789abcdef0", "eu-west-1", "/mnt/efs"};
    return o;
}

// The content of the write_files entry for `path`: the block scalar under it, de-indented.
std::string written_file(const std::string& user_data, const std::string& path) {
    std::istringstream in(user_data);
    std::string line, content;
    bool in_entry = false, in_content = false;
    while (std::getline(in, line)) {
        if (line.starts_with("  - path: ")) {
            in_entry = line == "  - path: " + path;
            in_content = false;
        } else if (in_entry && line == "    content: |") {
            in_content = true;
        } else if (in_content) {
            if (!line.empty() && !line.starts_with("      ")) break;
            content += (line.empty() ? "" : line.substr(6)) + "\n";
        }
    }
    return content;
}

// "Section.Key" -> every value given to it, in order.
using UnitKeys = std::map<std::string, std::vector<std::string>>;

UnitKeys parse_unit(const std::string& unit) {
    UnitKeys keys;
    std::istringstream in(unit);
    std::string line, section;
    while (std::getline(in, line)) {
        if (line.empty() || line.front() == '#') continue;
        if (line.front() == '[') {
            section = line.substr(1, line.find(']') - 1);
            continue;
        }
        const auto eq = line.find('=');
        if (eq == std::string::npos) continue;
        keys[section + "." + line.substr(0, eq)].push_back(line.substr(eq + 1));
    }
    return keys;
}

std::string the(const UnitKeys& keys, const std::string& key) {
    auto it = keys.find(key);
    if (it == keys.end() || it->second.size() != 1) return "<" + key + " not set once>";
    return it->second.front();
}

struct SandboxRun {
    int status = -1;
    std::string output;
};

SandboxRun run_sandboxed(const std::string& command) {
    SandboxRun result;
    FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
    if (pipe == nullptr) return result;
    char buffer[4096];
    size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) result.output.append(buffer, n);
    const int status = ::pclose(pipe);
    result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
}

TEST(WorkerSandbox, WorkerRunsAsItsOwnUserInASandbox) {
    for (bool efs : {true, false}) {
        const std::string user_data = make_user_data(options(efs)).value();
        const std::string unit = written_file(user_data, k_worker_unit_file);
        ASSERT_NE(unit.find("[Service]"), std::string::npos) << user_data;
        const UnitKeys keys = parse_unit(unit);
        EXPECT_EQ(the(keys, "Service.User"), "spotfarm") << unit;
        EXPECT_EQ(the(keys, "Service.Group"), "spotfarm");
        EXPECT_EQ(the(keys, "Service.NoNewPrivileges"), "yes");
        EXPECT_EQ(the(keys, "Service.ProtectSystem"), "strict");
        EXPECT_EQ(the(keys, "Service.ProtectHome"), "yes");
        EXPECT_EQ(the(keys, "Service.PrivateTmp"), "yes");
        EXPECT_EQ(the(keys, "Service.RestrictSUIDSGID"), "yes");
        EXPECT_EQ(the(keys, "Service.CapabilityBoundingSet"), "");
        EXPECT_EQ(the(keys, "Service.StateDirectory"), "spotfarm");
        EXPECT_EQ(the(keys, "Service.CacheDirectory"), "spotfarm");
        EXPECT_EQ(the(keys, "Service.Environment"),
                  "HOME=/var/lib/spotfarm XDG_STATE_HOME=/var/lib/spotfarm "
                  "XDG_CACHE_HOME=/var/cache/spotfarm");
        // Writable: the shared storage where frames go, and nothing else of the system.
        if (efs) {
            EXPECT_EQ(the(keys, "Service.ReadWritePaths"), "/mnt/efs");
        } else {
            EXPECT_EQ(keys.count("Service.ReadWritePaths"), 0u);
        }
        // Powering off needs root: only that command leaves the sandbox.
        EXPECT_EQ(the(keys, "Service.ExecStopPost"), "+/sbin/poweroff");
        EXPECT_EQ(the(keys, "Service.ExecStart").front(), '/');
    }
}

TEST(WorkerSandbox, BootstrapCreatesTheUserBeforeStartingTheWorker) {
    const std::string user_data = make_user_data(options(true)).value();
    const std::string script = written_file(user_data, k_bootstrap_script);
    const size_t user = script.find("useradd --system --uid 6420 --user-group");
    const size_t owns_efs = script.find("chown spotfarm:spotfarm /mnt/efs");
    const size_t mounted = script.find("retry mount_efs");
    const size_t started = script.find("systemctl enable --now spotfarm-worker.service");
    ASSERT_NE(user, std::string::npos) << script;
    ASSERT_NE(owns_efs, std::string::npos) << script;
    ASSERT_NE(started, std::string::npos) << script;
    EXPECT_LT(user, owns_efs);
    EXPECT_LT(mounted, owns_efs);
    EXPECT_LT(owns_efs, started);
    EXPECT_NE(script.find("--shell /usr/sbin/nologin spotfarm"), std::string::npos);
}

// systemd's own reading of the unit: no unknown key, no value it cannot parse. The worker binary
// is not installed here, so the copy checked starts /bin/true in its place.
TEST(WorkerSandbox, SystemdAcceptsTheUnit) {
    ASSERT_EQ(run_sandboxed("command -v systemd-analyze").status, 0)
        << "systemd-analyze is missing (Debian package systemd)";
    for (bool efs : {true, false}) {
        std::string unit = written_file(make_user_data(options(efs)).value(), k_worker_unit_file);
        const std::string binary = k_worker_binary;
        unit.replace(unit.find("ExecStart=" + binary), 10 + binary.size(), "ExecStart=/bin/true");
        ScratchDir dir;
        const auto file = dir.write("spotfarm-worker.service", unit);
        const auto result = run_sandboxed("systemd-analyze verify " + file.string());
        EXPECT_EQ(result.status, 0) << result.output << "\n" << unit;
        EXPECT_EQ(result.output, "") << unit;
    }
}

TEST(WorkerSandbox, SystemdVerifyCatchesABadUnit) {
    // The check above must be able to fail: a misspelt sandbox key is only a warning to systemd.
    std::string unit = written_file(make_user_data(options(true)).value(), k_worker_unit_file);
    unit.replace(unit.find("ProtectHome="), 12, "ProtectHomes=");
    unit.replace(unit.find("ExecStart=/usr/local/bin/spotfarm"), 33, "ExecStart=/bin/true");
    ScratchDir dir;
    const auto result = run_sandboxed("systemd-analyze verify " +
                                      dir.write("spotfarm-worker.service", unit).string());
    EXPECT_NE(result.output.find("Unknown key 'ProtectHomes'"), std::string::npos) << result.output;
}

}  // namespace
}  // namespace spotfarm::providers::aws
