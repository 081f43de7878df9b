// `spotfarm render --cloud aws` end to end against the EC2 stand-in, whose instances are real
// `spotfarm worker` processes (cloud_fleet_fixture.h): one instance is interrupted mid-frame and
// replaced, and at the end every frame is on disk once and every instance is terminated.
#include "cloud_fleet_fixture.h"

namespace spotfarm::testing {
namespace {

using namespace std::chrono_literals;

using CloudRender = CloudFleet;

TEST_F(CloudRender, ThreeInstancesOneInterruptedEveryFrameOnceAndNothingLeft) {
    write_scene(9, "slow");
    SpotfarmRun run;
    std::jthread render([&] { run = run_spotfarm(render_args(3), env(), dir.path()); });

    // The first instance gets its notice while it renders a frame it cannot finish in time.
    std::string victim;
    wait_until(
        [&] {
            auto launched = ec2.instances();
            if (!launched.empty() && rendering(launched.front().id)) victim = launched.front().id;
            return !victim.empty();
        },
        60s);
    ASSERT_FALSE(victim.empty()) << "no instance rendered";
    {
        std::lock_guard lock(mutex);
        instances.at(victim).imds->set_interruption("terminate",
                                                    std::chrono::system_clock::now() + 3s);
    }
    EXPECT_TRUE(wait_until([&] { return worker_exited(victim); }, 20s))
        << "the interrupted worker did not leave";
    ec2.set_state(victim, providers::aws::InstanceState::terminated);  // AWS takes it back

    render.join();
    ASSERT_EQ(run.exit_code, 0) << diagnose(run);
    EXPECT_NE(run.out.find("9 of 9"), std::string::npos) << run.out;
    EXPECT_NE(run.out.find("is terminated"), std::string::npos) << run.out;

    const auto all = ec2.instances();
    EXPECT_GE(all.size(), 4u) << "the interrupted instance was replaced";
    for (const auto& instance : all) EXPECT_TRUE(instance.spot) << instance.id;
    expect_nothing_left_running();
    EXPECT_EQ(ec2.refused_signatures(), 0);
    expect_every_frame_on_disk();
}

TEST_F(CloudRender, BadCredentialsAreRefusedClearlyAndLaunchNothing) {
    write_scene(2, "ok");
    // A wrong secret (SignatureDoesNotMatch), then an access key EC2 does not know (AuthFailure).
    for (const auto& [key, secret, code] : {std::tuple<std::string, std::string, std::string>{
                                                "", "not-the-secret", "SignatureDoesNotMatch"},
                                            {"AKIDNOSUCHKEY", "", "AuthFailure"}}) {
        auto run = run_spotfarm(render_args(2), env(key, secret), dir.path());
        EXPECT_EQ(run.exit_code, 1) << diagnose(run);
        EXPECT_NE(run.err.find("AWS rejected the credentials: " + code), std::string::npos)
            << diagnose(run);
        EXPECT_NE(run.err.find("Check the access key and secret"), std::string::npos)
            << diagnose(run);
    }
    EXPECT_EQ(ec2.refused_signatures(), 2);
    EXPECT_TRUE(ec2.calls().empty());
    EXPECT_TRUE(ec2.instances().empty());
}

}  // namespace
}  // namespace spotfarm::testing
