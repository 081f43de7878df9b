// The cloud manager's instance against the EC2 stand-in: the "instance" is a real manager
// (ManagerService over HTTPS) started from what its user-data holds, the key and the tokens the
// laptop made, and the laptop reaches it with the pin it recorded.
#include "cli/cloud/cloud_manager.h"

#include <algorithm>
#include <memory>
#include <mutex>

#include <gtest/gtest.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "manager/manager_service.h"
#include "providers/aws/credential_sources.h"
#include "support/fake_ec2.h"
#include "support/scratch_dir.h"
#include "util/tls_identity.h"

namespace spotfarm::cli {
namespace {

namespace aws = providers::aws;
using namespace std::chrono_literals;
using spotfarm::testing::FakeEc2;
using spotfarm::testing::FakeEc2Instance;

// The text of the file at `path` in a #cloud-config's write_files.
std::string written_file(const std::string& yaml, const std::string& path) {
    std::size_t at = yaml.find("  - path: " + path + "\n");
    if (at == std::string::npos) return "";
    at = yaml.find("    content: |\n", at);
    if (at == std::string::npos) return "";
    at += std::string_view("    content: |\n").size();
    std::string text;
    while (at < yaml.size() && (yaml.compare(at, 6, "      ") == 0 || yaml[at] == '\n')) {
        std::size_t end = yaml.find('\n', at);
        std::string line = yaml.substr(at, end - at);
        text += (line.size() >= 6 ? line.substr(6) : "") + "\n";
        at = end + 1;
    }
    return text;
}

std::uint16_t free_port() {
    boost::asio::io_context io;
    boost::asio::ip::tcp::acceptor acceptor(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
    return acceptor.local_endpoint().port();
}

// Sleeping moves the fake clock; EC2 gives every instance its address on the first sleep.
class BootingSleeper final : public util::Sleeper {
public:
    BootingSleeper(util::FakeClock& clock, std::function<void()> on_sleep)
        : m_clock(clock), m_on_sleep(std::move(on_sleep)) {}
    void sleep_for(util::Clock::duration d) override {
        m_clock.advance(d);
        m_on_sleep();
    }

private:
    util::FakeClock& m_clock;
    std::function<void()> m_on_sleep;
};

class CloudManagerTest : public ::testing::Test {
protected:
    CloudManagerTest()
        : m_ec2({.region = "eu-west-1"}),
          m_credentials(spotfarm::testing::FakeEc2Options{}.credentials),
          m_sleeper(m_clock, [this] { boot(); }) {
        m_client = aws::Ec2Client::create({m_http, m_credentials, util::steady_clock(), m_sleeper},
                                          {.region = "eu-west-1", .endpoint = m_ec2.endpoint()})
                       .value();
        m_ec2.on_launch([this](const FakeEc2Instance& instance) {
            std::lock_guard lock(m_mutex);
            m_launched.push_back(instance);
        });
        m_plan.setup.region = "eu-west-1";
        m_plan.setup.subnet_ids = {"subnet-0a1b2c3d"};
        m_plan.setup.efs_id = "fs-0123456789abcdef0";
        m_plan.setup.manager_security_group = "sg-0manager";
        m_plan.setup.worker_security_group = "sg-0workers";
        m_plan.setup.instance_profile_name = "spotfarm-manager-eu-west-1";
        m_plan.image_id = "ami-0123456789abcdef0";
        m_plan.port = free_port();
        m_plan.binary_url = "https://downloads.example.org/spotfarm";
        m_plan.binary_sha256 = std::string(64, 'a');
        m_plan.frame_check_url = "https://downloads.example.org/spotfarm_frame_check.so";
        m_plan.frame_check_sha256 = std::string(64, 'b');
        m_plan.manager_args = {"--provider", "aws", "--max", "3"};
        m_plan.answer_timeout = 60s;
    }
    ~CloudManagerTest() override {
        if (m_manager) m_manager->stop();
    }

    // The instances boot: each gets its address, and the manager in its user-data starts
    // (unless the test keeps it down or puts another key in its place).
    void boot() {
        std::vector<FakeEc2Instance> launched;
        {
            std::lock_guard lock(m_mutex);
            launched = m_launched;
        }
        for (const auto& instance : launched) m_ec2.set_public_ip(instance.id, "127.0.0.1");
        // The newest instance is the one booting now.
        if (!launched.empty() && !m_manager && m_boot_manager) {
            start_manager(launched.back().user_data);
        }
    }

    void start_manager(const std::string& user_data) {
        const auto state = m_dir / "instance-state";
        std::filesystem::create_directories(state);
        m_dir.write("instance-state/people.token",
                    written_file(user_data, "/etc/spotfarm/people.token"));
        m_dir.write("instance-state/worker-join.token",
                    written_file(user_data, "/etc/spotfarm/worker-join.token"));
        std::string cert = written_file(user_data, "/etc/spotfarm/manager-cert.pem");
        std::string key = written_file(user_data, "/etc/spotfarm/manager-key.pem");
        if (m_impostor) {
            auto other = util::make_tls_identity("impostor").value();
            cert = other.cert_pem;
            key = other.key_pem;
        }
        manager::ManagerOptions options;
        options.state_dir = state;
        options.port = m_plan.port;
        options.tls_cert_file = m_dir.write("cert.pem", cert).string();
        options.tls_key_file = m_dir.write("key.pem", key).string();
        auto opened = manager::ManagerService::open(options);
        ASSERT_TRUE(opened) << opened.error().message;
        m_manager = std::move(opened).value();
        ASSERT_TRUE(m_manager->start());
    }

    util::Result<CloudManagerRecord> ensure() {
        return ensure_cloud_manager({*m_client, m_clock, m_sleeper, probe_over_tls,
                                     [this](std::string_view line) { m_said.emplace_back(line); }},
                                    m_plan, m_dir / "records");
    }

    std::vector<FakeEc2Instance> launched() {
        std::lock_guard lock(m_mutex);
        return m_launched;
    }

    test::ScratchDir m_dir;
    FakeEc2 m_ec2;
    util::CurlHttpClient m_http;
    aws::StaticCredentialsProvider m_credentials;
    util::FakeClock m_clock;
    BootingSleeper m_sleeper;
    std::unique_ptr<aws::Ec2Client> m_client;
    CloudManagerPlan m_plan;
    std::mutex m_mutex;
    std::vector<FakeEc2Instance> m_launched;
    std::unique_ptr<manager::ManagerService> m_manager;
    bool m_boot_manager = true;
    bool m_impostor = false;
    std::vector<std::string> m_said;
};

TEST_F(CloudManagerTest, LaunchesRecordsAndReachesTheManagerByItsPin) {
    auto record = ensure();
    ASSERT_TRUE(record) << record.error().message;
    ASSERT_EQ(launched().size(), 1u);
    const FakeEc2Instance instance = launched().front();
    EXPECT_EQ(record->instance_id, instance.id);
    EXPECT_EQ(record->url, "https://127.0.0.1:" + std::to_string(m_plan.port));
    EXPECT_FALSE(instance.spot);
    EXPECT_EQ(instance.instance_type, "t3.small");
    EXPECT_NE(
        std::find(instance.tags.begin(), instance.tags.end(), aws::Tag{"spotfarm:role", "manager"}),
        instance.tags.end());
    // The pin recorded is the one of the certificate in the user-data.
    auto pin =
        util::public_key_pin(written_file(instance.user_data, "/etc/spotfarm/manager-cert.pem"));
    ASSERT_TRUE(pin);
    EXPECT_EQ(record->pin, *pin);
    auto saved = load_cloud_manager(m_dir / "records", "eu-west-1");
    ASSERT_TRUE(saved && *saved);
    EXPECT_EQ(**saved, *record);

    // Again: the same manager, nothing launched.
    auto again = ensure();
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_EQ(again->instance_id, record->instance_id);
    EXPECT_EQ(launched().size(), 1u);
}

TEST_F(CloudManagerTest, AManagerThatNeverAnswersIsTerminatedAndForgotten) {
    m_boot_manager = false;
    auto record = ensure();
    ASSERT_FALSE(record);
    EXPECT_NE(record.error().message.find("did not answer"), std::string::npos)
        << record.error().message;
    EXPECT_NE(record.error().message.find("terminated"), std::string::npos);
    auto instances = m_client->describe_instances({.instance_ids = {launched().front().id}});
    ASSERT_TRUE(instances);
    const auto state = instances->front().state;
    EXPECT_TRUE(state == aws::InstanceState::shutting_down ||
                state == aws::InstanceState::terminated);
    EXPECT_FALSE(*load_cloud_manager(m_dir / "records", "eu-west-1"));
}

TEST_F(CloudManagerTest, AnotherKeyAtTheAddressIsNeverTrusted) {
    m_impostor = true;
    auto record = ensure();
    ASSERT_FALSE(record);
    EXPECT_NE(record.error().message.find("not the one this client was told to trust"),
              std::string::npos)
        << record.error().message;
    EXPECT_FALSE(*load_cloud_manager(m_dir / "records", "eu-west-1"));
}

TEST_F(CloudManagerTest, AManagerWithoutARecordHereIsNotUsed) {
    aws::RunInstancesRequest other;
    other.image_id = "ami-0123456789abcdef0";
    other.instance_type = "t3.small";
    other.spot = false;
    other.tags = {{"spotfarm:role", "manager"}};
    auto launched_elsewhere = m_client->run_instances(other);
    ASSERT_TRUE(launched_elsewhere);
    auto record = ensure();
    ASSERT_FALSE(record);
    EXPECT_EQ(record.error().kind, util::ErrorKind::conflict);
    EXPECT_NE(
        record.error().message.find("terminate-instances --instance-ids " +
                                    launched_elsewhere->launched.instances.front().instance_id),
        std::string::npos)
        << record.error().message;
    EXPECT_EQ(launched().size(), 1u);  // only the one above
}

TEST_F(CloudManagerTest, AGoneManagerIsForgottenAndReplaced) {
    auto first = ensure();
    ASSERT_TRUE(first) << first.error().message;
    m_ec2.set_state(first->instance_id, aws::InstanceState::terminated);
    m_manager->stop();
    m_manager->join();
    m_manager.reset();
    auto second = ensure();
    ASSERT_TRUE(second) << second.error().message;
    EXPECT_NE(second->instance_id, first->instance_id);
    EXPECT_NE(second->pin, first->pin);
    EXPECT_EQ(launched().size(), 2u);
}

}  // namespace
}  // namespace spotfarm::cli
