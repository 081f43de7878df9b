// A render through `spotfarm manager --provider ssh` on two "hosts": two real sshd (Debian's
// openssh-server) on loopback ports of their own (support/sshd_server.h). Neither host has
// spotfarm at the path the hosts file names, so the manager copies it over. The second host is
// reachable only through the reverse tunnel: its worker is told a manager URL on a port that
// only `ssh -R` serves. The first host's sshd is killed with everything under it while its
// worker renders; the other host finishes, and every frame lands once.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include <nlohmann/json.hpp>

#include "support/run_cli.h"
#include "support/scratch_dir.h"
#include "support/spotfarm_process.h"
#include "support/sshd_server.h"
#include "util/text_file.h"

namespace spotfarm::test {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using nlohmann::json;

std::string first_line(const fs::path& path) {
    auto text = util::read_text_file(path, 4096);
    if (!text) return {};
    return text->substr(0, text->find('\n'));
}

TEST(SshRender, TwoHostsOneBehindATunnelOneLostMidJob) {
    if (const std::string why = SshdServer::cannot_run_here(); !why.empty()) GTEST_SKIP() << why;
    ScratchDir scratch;
    auto near = SshdServer::start(scratch / "near-sshd", free_loopback_port());
    ASSERT_TRUE(near) << near.error().message;
    auto far = SshdServer::start(scratch / "far-sshd", free_loopback_port());
    ASSERT_TRUE(far) << far.error().message;
    const int tunnel_port = free_loopback_port();

    // One client configuration for both: the same file trusts each host key on first use.
    std::ofstream(scratch / "hosts.toml")
        << "[[host]]\nname = \"near\"\naddress = \"127.0.0.1\"\nuser = \"root\"\nport = "
        << (*near)->port() << "\nkey = \"" << (*near)->user_key().string() << "\"\nspotfarm = \""
        << (scratch / "near-home" / "bin" / "spotfarm").string() << "\"\n\n"
        << "[[host]]\nname = \"far\"\naddress = \"127.0.0.1\"\nuser = \"root\"\nport = "
        << (*far)->port() << "\nkey = \"" << (*far)->user_key().string() << "\"\nspotfarm = \""
        << (scratch / "far-home" / "bin" / "spotfarm").string()
        << "\"\nreverse_tunnel = true\ntunnel_port = " << tunnel_port << "\n";

    const fs::path state = scratch / "state";
    SpotfarmProcess manager({"manager",
                             "--state-dir",
                             state.string(),
                             "--listen",
                             "127.0.0.1:0",
                             "--port-file",
                             (scratch / "port").string(),
                             "--provider",
                             "ssh",
                             "--hosts",
                             (scratch / "hosts.toml").string(),
                             "--ssh-config",
                             (*near)->client_config().string(),
                             "--max",
                             "2",
                             "--frames-per-worker",
                             "1",
                             "--idle-grace",
                             "1",
                             "--lease-timeout",
                             "8",
                             "--register-timeout",
                             "60",
                             "--worker-arg=--state-dir=" + (scratch / "workers" / "{id}").string(),
                             "--worker-arg=--claim-wait=2"});
    ASSERT_TRUE(wait_until([&] { return !first_line(scratch / "port").empty(); }, 30s,
                           [&] { manager.pump(); }))
        << manager.log();
    const std::string port = first_line(scratch / "port");
    ASSERT_NE(std::to_string(tunnel_port), port);
    const std::vector<std::pair<std::string, std::string>> client = {
        {"SPOTFARM_MANAGER", "http://127.0.0.1:" + port},
        {"SPOTFARM_TOKEN_FILE", (state / "people.token").string()}};

    const fs::path out = scratch / "out";
    auto submitted = run_cli(
        {"submit", std::string(SPOTFARM_TEST_SCENES) + "/slow_cycles.blend", "--frames", "1-8",
         "--threads", "1", "--chunk", "1", "-o", (out / "f_####").string(), "--json"},
        60s, client);
    ASSERT_EQ(submitted.exit_code, 0) << submitted.out << submitted.err;
    const auto job = json::parse(submitted.out).at("id").get<std::int64_t>();

    // Both hosts' workers registered and rendering: the far one came in through the tunnel.
    auto busy_workers = [&] {
        std::set<std::string> busy;
        auto listed = run_cli({"workers", "--json"}, 30s, client);
        json workers = json::parse(listed.out, nullptr, false);
        if (workers.is_object()) workers = workers.value("workers", json());
        if (!workers.is_array()) return busy;
        for (const auto& worker : workers) {
            const std::string name = worker.value("name", "");
            if (!worker.value("tasks", json::array()).empty())
                busy.insert(name.substr(0, name.find('-')));
        }
        return busy;
    };
    std::set<std::string> busy;
    ASSERT_TRUE(wait_until(
        [&] {
            busy = busy_workers();
            return busy.count("near") && busy.count("far");
        },
        120s, [&] { manager.pump(); }))
        << manager.log() << "\nnear sshd:\n"
        << (*near)->log() << "\nfar sshd:\n"
        << (*far)->log();

    (*near)->kill();  // the host is gone, its worker and Blender with it

    std::string status;
    EXPECT_TRUE(wait_until(
        [&] {
            auto shown = run_cli({"job", std::to_string(job), "--json"}, 30s, client);
            const json answer = json::parse(shown.out, nullptr, false);
            status = answer.is_object() ? answer.value("status", "") : "";
            return status == "completed" || status == "failed" || status == "canceled";
        },
        240s, [&] { manager.pump(); }))
        << status << "\n"
        << manager.log();
    EXPECT_EQ(status, "completed") << manager.log();

    // Every frame once, and nothing else (no half-written or second copies).
    std::set<std::string> files;
    for (const auto& entry : fs::directory_iterator(out)) files.insert(entry.path().filename());
    std::set<std::string> expected;
    for (int frame = 1; frame <= 8; ++frame) {
        char name[32];
        std::snprintf(name, sizeof name, "f_%04d.png", frame);
        expected.insert(name);
    }
    EXPECT_EQ(files, expected);

    // The manager copied its binary to both hosts.
    EXPECT_TRUE(fs::exists(scratch / "near-home" / "bin" / "spotfarm"));
    EXPECT_TRUE(fs::exists(scratch / "far-home" / "bin" / "spotfarm"));

    EXPECT_TRUE(manager.stop(SIGTERM, 60s).has_value()) << manager.log();
}

}  // namespace
}  // namespace spotfarm::test
