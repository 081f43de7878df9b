// `spotfarm manager --provider aws` as a process against the EC2 stand-in, whose instances are
// real worker processes (cloud_fleet_fixture.h): the manager is killed (SIGKILL) while its
// instances render and started again on the same state folder and port. It must find its
// instances by the fleet tag instead of launching a second set, finish the job with them, and
// terminate every one once the queue has stayed empty for the idle grace.
#include <netinet/in.h>
#include <sys/socket.h>

#include <nlohmann/json.hpp>

#include "cloud_fleet_fixture.h"
#include "util/http_client.h"
#include "util/text_file.h"
#include "util/unique_fd.h"

namespace spotfarm::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using nlohmann::json;

// A loopback port free now (the manager must come back on the one its instances know).
int free_port() {
    util::UniqueFd fd(::socket(AF_INET, SOCK_STREAM, 0));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof address;
    if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&address), size) != 0 ||
        ::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&address), &size) != 0)
        return 0;
    return ntohs(address.sin_port);
}

std::string first_line(const fs::path& path) {
    auto text = util::read_text_file(path, 4096);
    if (!text) return {};
    return text->substr(0, text->find('\n'));
}

class ManagerFleetRestart : public CloudFleet {
protected:
    void TearDown() override {
        if (manager) manager->terminate(5s, keep_log());
        CloudFleet::TearDown();
    }
    util::LineHandler keep_log() {
        return [this](const std::string& line) { log += line + "\n"; };
    }
    void pump() {
        std::vector<std::string> lines;
        if (manager) manager->read_output(lines);
        for (const auto& line : lines) log += line + "\n";
    }

    // Starts the manager and waits for its port file.
    void start_manager() {
        fs::remove(dir / "port");
        util::SpawnOptions spawn;
        spawn.argv = {SPOTFARM_EXE,
                      "manager",
                      "--state-dir",
                      (dir / "state").string(),
                      "--listen",
                      "127.0.0.1:" + std::to_string(port),
                      "--port-file",
                      (dir / "port").string(),
                      "--provider",
                      "aws",
                      "--max",
                      "2",
                      "--frames-per-worker",
                      "2",
                      "--idle-grace",
                      "2",
                      "--register-timeout",
                      "30",
                      "--instance-type",
                      "c7i.large",
                      "--ami",
                      "ami-0123456789abcdef0",
                      "--ec2-endpoint",
                      ec2.endpoint()};
        for (const auto& variable : env()) {
            const auto equals = variable.find('=');
            spawn.env.emplace_back(variable.substr(0, equals), variable.substr(equals + 1));
        }
        spawn.env.emplace_back("AWS_CONFIG_FILE", (dir / "no-aws-config").string());
        spawn.env.emplace_back("AWS_SHARED_CREDENTIALS_FILE",
                               (dir / "no-aws-credentials").string());
        auto process = util::Subprocess::spawn(spawn);
        ASSERT_TRUE(process) << process.error().message;
        manager.emplace(std::move(process).value());
        ASSERT_TRUE(wait_until(
            [&] {
                pump();
                return !first_line(dir / "port").empty() || manager->poll_exit();
            },
            30s));
        ASSERT_EQ(first_line(dir / "port"), std::to_string(port)) << log;
        people = first_line(dir / "state" / "people.token");
    }

    json call(const std::string& method, const std::string& path, const json& body = nullptr) {
        util::HttpRequest request;
        request.method = method;
        request.url = "http://127.0.0.1:" + std::to_string(port) + "/api/v1" + path;
        request.headers = {{"Authorization", "Bearer " + people},
                           {"Content-Type", "application/json"}};
        if (!body.is_null()) request.body = body.dump();
        request.timeout = 5s;
        auto response = http.send(request);
        if (!response) return json();
        return json::parse(response->body, nullptr, false);
    }
    std::string job_status(std::int64_t job) {
        const json answer = call("GET", "/jobs/" + std::to_string(job));
        return answer.is_object() ? answer.value("status", "") : "";
    }
    bool every_instance_terminated() {
        const auto all = ec2.instances();
        return std::all_of(all.begin(), all.end(), [](const FakeEc2Instance& instance) {
            return instance.state == providers::aws::InstanceState::terminated;
        });
    }

    int port = free_port();
    std::optional<util::Subprocess> manager;
    std::string log;
    std::string people;
    util::CurlHttpClient http;
};

TEST_F(ManagerFleetRestart, KilledManagerFindsItsInstancesByTagFinishesAndTerminatesThem) {
    ASSERT_NE(port, 0);
    write_scene(4, "slow");
    start_manager();
    ASSERT_TRUE(manager);
    const json submitted = call("POST", "/jobs",
                                {{"scene", (dir / "shot.json").string()},
                                 {"output", (dir / "out" / "frame_####").string()},
                                 {"frames", "1-4"}});
    const std::int64_t job = submitted.value("id", std::int64_t{0});
    ASSERT_GT(job, 0) << submitted.dump();

    // Both instances launched, one of them rendering: the manager dies without a word.
    ASSERT_TRUE(wait_until(
        [&] {
            const auto all = ec2.instances();
            return all.size() == 2 && (rendering(all[0].id) || rendering(all[1].id));
        },
        60s))
        << log;
    manager->signal_group(SIGKILL);
    ASSERT_TRUE(wait_until([&] { return manager->poll_exit().has_value(); }, 10s));
    pump();
    const int launches_before = calls_of("CreateFleet") + calls_of("RunInstances");
    EXPECT_GT(launches_before, 0);

    start_manager();
    ASSERT_TRUE(manager);
    EXPECT_TRUE(wait_until([&] { return job_status(job) == "completed"; }, 90s))
        << job_status(job) << "\n"
        << log;
    // Gone once nothing has been queued for the idle grace, and confirmed gone.
    EXPECT_TRUE(wait_until([&] { return every_instance_terminated(); }, 45s)) << log;
    const json fleet = call("GET", "/fleet");
    EXPECT_EQ(fleet.value("live", -1), 0) << fleet.dump();
    // The job's cost, as `spotfarm job` shows it: instance time while the job ran, priced.
    const json cost = call("GET", "/jobs/" + std::to_string(job) + "/cost");
    EXPECT_GT(cost.value("instance_hours", 0.0), 0.0) << cost.dump();
    auto shown = run_spotfarm(
        {"job", std::to_string(job), "--manager", "http://127.0.0.1:" + std::to_string(port),
         "--token-file", (dir / "state" / "people.token").string()},
        env(), dir.path());
    EXPECT_EQ(shown.exit_code, 0) << diagnose(shown);
    EXPECT_NE(shown.out.find("  cost      "), std::string::npos) << shown.out;
    EXPECT_NE(shown.out.find("instance-hours, about $"), std::string::npos) << shown.out;

    manager->signal_group(SIGTERM);
    ASSERT_TRUE(wait_until([&] { return manager->poll_exit().has_value(); }, 15s));
    pump();
    EXPECT_NE(log.find("found instance"), std::string::npos) << log;
    EXPECT_EQ(calls_of("CreateFleet") + calls_of("RunInstances"), launches_before)
        << "a second set was launched\n"
        << log;
    EXPECT_EQ(ec2.instances().size(), 2u);
    expect_nothing_left_running();
    expect_every_frame_on_disk();
}

}  // namespace
}  // namespace spotfarm::testing
