// The machine flags of a cloud launch: attribute-based selection unless types are named.
#include <gtest/gtest.h>

#include "cli/cloud/cloud_context.h"

namespace spotfarm::cli {
namespace {

TEST(LaunchFlags, NoMachineFlagsDescribeCpuWorkersByTheirAttributes) {
    LaunchFlags f;
    auto needs = instance_requirements(f);
    ASSERT_TRUE(needs.ok()) << needs.error().message;
    ASSERT_TRUE(needs->has_value());
    const auto& r = **needs;
    EXPECT_EQ(r.vcpus.min, 16);
    EXPECT_EQ(r.vcpus.max, 32);
    EXPECT_EQ(r.memory_gib_per_vcpu_min, 2);
    EXPECT_EQ(r.memory_mib_min, 16 * 2 * 1024);
    EXPECT_EQ(r.gpus_min, 0);

    f.vcpus = "8-";
    f.memory_per_vcpu = 4;
    const auto wider = instance_requirements(f).value().value();
    EXPECT_EQ(wider.vcpus.min, 8);
    EXPECT_EQ(wider.vcpus.max, 0);
    EXPECT_EQ(wider.memory_mib_min, 8 * 4 * 1024);
}

TEST(LaunchFlags, GpuAsksForNvidiaGpus) {
    LaunchFlags f;
    f.gpu = true;
    const auto r = instance_requirements(f).value().value();
    EXPECT_EQ(r.gpus_min, 1);
    EXPECT_EQ(r.gpu_manufacturers, std::vector<std::string>{"nvidia"});
    EXPECT_EQ(r.vcpus.min, 4);
    EXPECT_EQ(r.memory_gib_per_vcpu_min, 0);
}

TEST(LaunchFlags, NamedTypesAndRunInstancesTakeNoRequirements) {
    LaunchFlags named;
    named.instance_types = {"c7i.4xlarge"};
    EXPECT_FALSE(instance_requirements(named).value().has_value());
    LaunchFlags run;
    run.launch_api = "run-instances";
    EXPECT_FALSE(instance_requirements(run).value().has_value());

    named.memory_per_vcpu = 2;
    auto both = instance_requirements(named);
    ASSERT_FALSE(both.ok());
    EXPECT_EQ(both.error().kind, util::ErrorKind::invalid);
    run.gpu = true;
    run.ami = "ami-0123456789abcdef0";
    auto fleetless = aws_fleet_options(run, "f", "#cloud-config\n");
    ASSERT_FALSE(fleetless.ok());
    EXPECT_NE(fleetless.error().message.find("need EC2 Fleet"), std::string::npos);
    LaunchFlags bad;
    bad.vcpus = "32-16";
    EXPECT_FALSE(instance_requirements(bad).ok());
}

}  // namespace
}  // namespace spotfarm::cli
