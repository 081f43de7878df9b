// `spotfarm render --cloud aws` when EC2 does not simply say yes (cloud_fleet_fixture.h): calls
// throttled or failing on EC2's side, Spot capacity refused, an instance whose worker never
// registers. Each time the render still finishes, every frame is on disk once, and no instance
// is left running. These run the RunInstances path (--launch-api run-instances), whose calls they
// inspect; cloud_spread_test.cpp runs EC2 Fleet.
#include <nlohmann/json.hpp>

#include "cloud_fleet_fixture.h"

namespace spotfarm::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

using CloudRenderFailures = CloudFleet;

// The value of `key` in a recorded EC2 call, "" when absent.
std::string param(const FakeEc2::Call& call, const std::string& key) {
    for (const auto& [name, value] : call.params)
        if (name == key) return value;
    return {};
}

TEST_F(CloudRenderFailures, ThrottledAndFailingCallsAreRetriedAndNothingLaunchesTwice) {
    write_scene(4, "ok");
    ec2.fail_next("DescribeInstances", 503, "RequestLimitExceeded", "Request limit exceeded.", 3);
    ec2.fail_next("RunInstances", 503, "RequestLimitExceeded", "Request limit exceeded.", 2);
    ec2.fail_next("RunInstances", 500, "InternalError", "An internal error has occurred.", 1);
    ec2.fail_next("TerminateInstances", 503, "Unavailable", "The service is unavailable.", 1);

    auto args = render_args(2);
    args.push_back("--launch-api=run-instances");
    auto run = run_spotfarm(args, env(), dir.path());
    ASSERT_EQ(run.exit_code, 0) << diagnose(run) << worker_logs();
    EXPECT_NE(run.out.find("4 of 4"), std::string::npos) << run.out;
    EXPECT_NE(run.out.find("is terminated"), std::string::npos) << run.out;
    // Four tries of the one launch, each with the same ClientToken: two instances, not eight.
    EXPECT_GE(calls_of("RunInstances"), 4);
    std::set<std::string> tokens;
    for (const auto& call : ec2.calls())
        if (call.action == "RunInstances") tokens.insert(param(call, "ClientToken"));
    EXPECT_EQ(tokens.size(), 1u);
    EXPECT_EQ(ec2.instances().size(), 2u);
    expect_nothing_left_running();
    expect_every_frame_on_disk();
}

class SpotRefused : public CloudFleet, public ::testing::WithParamInterface<const char*> {};

TEST_P(SpotRefused, OnDemandInstancesRenderInsteadAndTheAnswerSaysSo) {
    write_scene(3, "ok");
    const std::string code = GetParam();
    ec2.refuse_spot(code == "InsufficientInstanceCapacity" ? 500 : 400, code,
                    "There is no Spot capacity available that matches your request.");
    auto args = render_args(2);
    args.insert(args.end(), {"--json", "--launch-api=run-instances"});
    auto run = run_spotfarm(args, env(), dir.path());
    ASSERT_EQ(run.exit_code, 0) << diagnose(run) << worker_logs();
    const json answer = json::parse(run.out, nullptr, false);
    ASSERT_TRUE(answer.is_object()) << run.out;
    EXPECT_EQ(answer["status"], "completed") << run.out;
    EXPECT_EQ(answer["instances"]["on_demand"], 2) << run.out;
    EXPECT_EQ(answer["instances"]["spot"], 0) << run.out;
    EXPECT_NE(run.err.find(code), std::string::npos) << "the refusal is not shown\n" << run.err;

    // Spot was asked for first; what launched came from requests without InstanceMarketOptions.
    int spot_asked = 0;
    for (const auto& call : ec2.calls()) {
        if (call.action != "RunInstances") continue;
        if (param(call, "InstanceMarketOptions.MarketType") == "spot") ++spot_asked;
        if (!param(call, "InstanceMarketOptions.MarketType").empty()) continue;
        for (const auto& [name, value] : call.params)
            EXPECT_FALSE(name.starts_with("InstanceMarketOptions")) << name;
    }
    EXPECT_GE(spot_asked, 1);
    ASSERT_EQ(ec2.instances().size(), 2u);
    for (const auto& instance : ec2.instances()) EXPECT_FALSE(instance.spot) << instance.id;
    expect_nothing_left_running();
    expect_every_frame_on_disk();
}

INSTANTIATE_TEST_SUITE_P(Codes, SpotRefused,
                         ::testing::Values("InsufficientInstanceCapacity",
                                           "MaxSpotInstanceCountExceeded"));

TEST_F(CloudRenderFailures, AnInstanceThatNeverRegistersIsTerminatedAndReplaced) {
    // Enough work that frames are still queued when the timeout strikes, and a timeout that
    // leaves a loaded machine time to start the other worker (a spotfarm process alone takes
    // about 0.5 s of CPU to start).
    write_scene(8, "slow");
    never_boots = {0};  // the first instance launched starts no worker
    auto args = render_args(2);
    args.insert(args.end(), {"--register-timeout", "12", "--launch-api=run-instances"});
    auto run = run_spotfarm(args, env(), dir.path());
    ASSERT_EQ(run.exit_code, 0) << diagnose(run) << worker_logs();
    EXPECT_NE(run.out.find("8 of 8"), std::string::npos) << run.out;

    const auto all = ec2.instances();
    ASSERT_EQ(all.size(), 3u) << "the silent instance was replaced, once\n"
                              << diagnose(run) << worker_logs();
    const std::string silent = all.front().id;
    EXPECT_FALSE(booted(silent));
    // It was terminated on its own, before its replacement was launched.
    int runs = 0;
    bool terminated_alone = false;
    for (const auto& call : ec2.calls()) {
        if (call.action == "RunInstances") ++runs;
        if (call.action == "TerminateInstances" && param(call, "InstanceId.1") == silent &&
            param(call, "InstanceId.2").empty() && runs == 1)
            terminated_alone = true;
    }
    EXPECT_TRUE(terminated_alone);
    EXPECT_NE(run.err.find("did not register"), std::string::npos) << run.err;
    expect_nothing_left_running();
    expect_every_frame_on_disk();
}

}  // namespace
}  // namespace spotfarm::testing
