// `spotfarm render --cloud aws` through EC2 Fleet against the EC2 stand-in with capacity per pool
// (instance type x availability zone), each pool smaller than the fleet: twelve workers spread
// over the pools; one pool is reclaimed at once (every instance in it interrupted together), which
// costs only that pool's workers; their frames go to the others, replacements land in other
// pools, and every frame is on disk once. A rebalance recommendation makes a worker finish its
// frame and leave; the controller terminates its instance (which nothing else powers off) and
// replaces it in a pool with room (cloud_fleet_fixture.h boots real workers). The fleet
// describes its workers by the default requirements, which the stand-in resolves to its types.
#include <map>
#include <set>

#include "cloud_fleet_fixture.h"

namespace spotfarm::testing {
namespace {

using namespace std::chrono_literals;

using Pool = std::pair<std::string, std::string>;  // instance type, zone

class CloudSpread : public CloudFleet {
protected:
    void SetUp() override {
        CloudFleet::SetUp();
        // No machine flags: the fleet describes its workers by the default requirements (16-32
        // vCPUs, 2 GiB per vCPU, no GPU), which the stand-in resolves over its catalog; the
        // small and the GPU type do not fit.
        machines = {};
        ec2.set_catalog({{"c7i.4xlarge", 16, 32 * 1024, 0, "", false},
                         {"c6i.4xlarge", 16, 32 * 1024, 0, "", false},
                         {"c7i.large", 2, 4 * 1024, 0, "", false},
                         {"g5.4xlarge", 16, 64 * 1024, 1, "nvidia", false}});
        const std::vector<std::pair<std::string, std::string>> subnets = {
            {"subnet-a", "us-east-1a"}, {"subnet-b", "us-east-1b"}, {"subnet-c", "us-east-1c"}};
        for (const auto& [subnet, zone] : subnets) {
            ec2.add_subnet(subnet, zone);
            for (const char* type : {"c7i.4xlarge", "c6i.4xlarge", "c7i.large", "g5.4xlarge"})
                ec2.set_pool_capacity(type, zone, 3);
        }
    }
    std::vector<std::string> spread_args(int count) const {
        auto args = render_args(count);
        args.insert(args.end(), {"--subnet", "subnet-a,subnet-b,subnet-c"});
        return args;
    }
    static Pool pool_of(const FakeEc2Instance& instance) {
        return {instance.instance_type, instance.zone};
    }
};

TEST_F(CloudSpread, TwelveWorkersOverSixPoolsAndAReclaimedPoolCostsOnlyItsOwn) {
    write_scene(96, "slow");
    SpotfarmRun run;
    std::jthread render([&] { run = run_spotfarm(spread_args(12), env(), dir.path()); });

    // Twelve instances asked for in one fleet; no pool holds more than three.
    ASSERT_TRUE(wait_until([&] { return ec2.instances().size() >= 12; }, 60s))
        << ec2.instances().size() << " instances\n"
        << worker_logs();
    const auto first = ec2.instances();
    std::map<Pool, std::vector<std::string>> pools;
    for (size_t i = 0; i < 12; ++i) pools[pool_of(first[i])].push_back(first[i].id);
    EXPECT_GE(pools.size(), 3u);
    for (const auto& [pool, ids] : pools) EXPECT_LE(ids.size(), 3u) << pool.first << pool.second;
    for (size_t i = 0; i < 12; ++i) {
        EXPECT_TRUE(first[i].spot) << first[i].id;
        EXPECT_TRUE(first[i].instance_type == "c7i.4xlarge" ||
                    first[i].instance_type == "c6i.4xlarge")
            << first[i].instance_type << " does not fit the default requirements";
    }

    // A pool whose workers render is reclaimed: all its instances get their notice together.
    Pool reclaimed;
    ASSERT_TRUE(wait_until(
        [&] {
            for (const auto& [pool, ids] : pools)
                for (const auto& id : ids)
                    if (rendering(id)) {
                        reclaimed = pool;
                        return true;
                    }
            return false;
        },
        60s))
        << worker_logs();
    const std::vector<std::string> victims = ec2.reclaim_pool(reclaimed.first, reclaimed.second);
    const std::set<std::string> victim_set(victims.begin(), victims.end());
    EXPECT_EQ(victim_set, std::set<std::string>(pools[reclaimed].begin(), pools[reclaimed].end()));
    {
        std::lock_guard lock(mutex);
        for (const auto& id : victims)
            instances.at(id).imds->set_interruption("terminate",
                                                    std::chrono::system_clock::now() + 3s);
    }
    for (const auto& id : victims)
        EXPECT_TRUE(wait_until([&] { return worker_exited(id); }, 30s))
            << "the interrupted worker of " << id << " did not leave\n"
            << worker_logs();
    // Only that pool's workers went.
    for (size_t i = 0; i < 12; ++i) {
        if (!victim_set.count(first[i].id)) {
            EXPECT_FALSE(worker_exited(first[i].id)) << first[i].id << " left with the pool";
        }
    }
    for (const auto& id : victims) ec2.set_state(id, providers::aws::InstanceState::terminated);

    render.join();
    ASSERT_EQ(run.exit_code, 0) << diagnose(run) << worker_logs();
    EXPECT_NE(run.out.find("96 of 96"), std::string::npos) << run.out;

    // Replacements came, from Spot pools other than the reclaimed one.
    const auto all = ec2.instances();
    ASSERT_GT(all.size(), 12u) << "the reclaimed workers were not replaced\n" << diagnose(run);
    for (size_t i = 12; i < all.size(); ++i) {
        EXPECT_NE(pool_of(all[i]), reclaimed) << all[i].id << " went back to the reclaimed pool";
        EXPECT_TRUE(all[i].spot) << all[i].id;
    }
    EXPECT_EQ(calls_of("RunInstances"), 0);
    EXPECT_GE(calls_of("CreateFleet"), 2);
    EXPECT_TRUE(ec2.launch_templates().empty()) << "the launch template outlived the fleet";
    expect_nothing_left_running();
    EXPECT_EQ(ec2.refused_signatures(), 0);
    expect_every_frame_on_disk();
}

TEST_F(CloudSpread, ARebalancedWorkerLeavesAndIsReplacedInAnotherPool) {
    write_scene(32, "slow");
    SpotfarmRun run;
    std::jthread render([&] { run = run_spotfarm(spread_args(2), env(), dir.path()); });

    std::string warned;
    ASSERT_TRUE(wait_until(
        [&] {
            for (const auto& instance : ec2.instances())
                if (rendering(instance.id)) warned = instance.id;
            return !warned.empty();
        },
        60s))
        << worker_logs();
    Pool risky;
    for (const auto& instance : ec2.instances())
        if (instance.id == warned) risky = pool_of(instance);
    // EC2 recommends leaving a pool whose Spot capacity is running out; it takes no more.
    ec2.set_pool_capacity(risky.first, risky.second, 0);
    {
        std::lock_guard lock(mutex);
        instances.at(warned).imds->set_rebalance(std::chrono::system_clock::now());
    }
    ASSERT_TRUE(wait_until([&] { return worker_exited(warned); }, 60s))
        << "the warned worker did not leave\n"
        << worker_logs();
    // The instance keeps running (nothing here powers it off): the controller, told that its
    // worker signed off, terminates it and launches a replacement while the render goes on.
    const auto warned_state = [&] {
        for (const auto& instance : ec2.instances())
            if (instance.id == warned) return instance.state;
        return providers::aws::InstanceState::pending;
    };
    EXPECT_TRUE(
        wait_until([&] { return warned_state() != providers::aws::InstanceState::running; }, 30s))
        << "the controller left the instance of the departed worker running\n"
        << diagnose(run);
    EXPECT_TRUE(wait_until([&] { return ec2.instances().size() >= 3; }, 30s))
        << "no replacement while the render went on\n"
        << worker_logs();

    render.join();
    ASSERT_EQ(run.exit_code, 0) << diagnose(run) << worker_logs();
    EXPECT_NE(run.out.find("32 of 32"), std::string::npos) << run.out;
    const auto all = ec2.instances();
    ASSERT_GE(all.size(), 3u) << "the warned worker was not replaced\n" << diagnose(run);
    for (size_t i = 2; i < all.size(); ++i)
        EXPECT_NE(pool_of(all[i]), risky) << all[i].id << " went to the pool EC2 warned of";
    EXPECT_NE(run.out.find("spread"), std::string::npos) << run.out;
    expect_nothing_left_running();
    expect_every_frame_on_disk();
}

}  // namespace
}  // namespace spotfarm::testing
