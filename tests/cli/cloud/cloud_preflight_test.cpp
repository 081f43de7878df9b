#include "cli/cloud/cloud_preflight.h"

#include <gtest/gtest.h>

namespace spotfarm::cli {
namespace {

PreflightInput scene_of(int major, int minor) {
    PreflightInput in;
    in.scene = blender::BlendFileVersion{major, minor, "zstd"};
    in.instance_type = "c7i.4xlarge";
    return in;
}

std::string refusal(const PreflightInput& in) {
    auto plan = preflight(in);
    EXPECT_FALSE(plan);
    if (plan) return "";
    EXPECT_EQ(plan.error().kind, util::ErrorKind::invalid);
    return plan.error().message;
}

TEST(CloudPreflight, TheWorkersRunTheBlenderThatSavedTheScene) {
    auto plan = preflight(scene_of(4, 2));
    ASSERT_TRUE(plan) << plan.error().message;
    EXPECT_EQ(plan->blender.text(), "4.2");
    EXPECT_EQ(plan->device, "");
}

TEST(CloudPreflight, ANewerBlenderMayBeAskedForButNotAnOlderOne) {
    auto in = scene_of(4, 2);
    in.requested = BlenderRelease{4, 5, 1};
    auto plan = preflight(in);
    ASSERT_TRUE(plan) << plan.error().message;
    EXPECT_EQ(plan->blender.text(), "4.5.1");

    in.requested = BlenderRelease{4, 1, std::nullopt};
    std::string message = refusal(in);
    EXPECT_NE(message.find("saved by Blender 4.2"), std::string::npos) << message;
    EXPECT_NE(message.find("Blender 4.1 cannot open"), std::string::npos) << message;
    EXPECT_NE(message.find("nothing was launched"), std::string::npos) << message;
}

TEST(CloudPreflight, ABlenderTooOldForTheDriverIsRefused) {
    std::string message = refusal(scene_of(2, 79));
    EXPECT_NE(message.find("oldest the workers run (2.93)"), std::string::npos) << message;
}

TEST(CloudPreflight, MoviesAreRefusedImagesAreNot) {
    auto in = scene_of(4, 2);
    in.format = "FFMPEG";
    EXPECT_NE(refusal(in).find("--format PNG"), std::string::npos);
    in.format = "open_exr";
    EXPECT_TRUE(preflight(in));
}

TEST(CloudPreflight, GpuDevicesNeedAGpuInstanceOfTheRightMaker) {
    auto in = scene_of(4, 2);
    in.device = "OPTIX";
    EXPECT_NE(refusal(in).find("c7i.4xlarge has none"), std::string::npos);
    in.instance_type = "g5.xlarge";
    auto plan = preflight(in);
    ASSERT_TRUE(plan) << plan.error().message;
    EXPECT_EQ(plan->device, "OPTIX");
    in.device = "gpu";
    plan = preflight(in);
    ASSERT_TRUE(plan);
    EXPECT_EQ(plan->device, "OPTIX");
    in.device = "HIP";
    EXPECT_NE(refusal(in).find("NVIDIA"), std::string::npos);
    in.instance_type = "g4ad.xlarge";
    in.device = "gpu";
    EXPECT_NE(refusal(in).find("amd GPUs"), std::string::npos);
    in.device = "METAL";
    EXPECT_NE(refusal(in).find("Apple"), std::string::npos);
}

TEST(CloudPreflight, EeveeNeedsAGpuAndItsNameInThatBlender) {
    auto in = scene_of(4, 2);
    in.engine = "BLENDER_EEVEE_NEXT";
    std::string message = refusal(in);
    EXPECT_NE(message.find("Eevee draws with the GPU"), std::string::npos) << message;
    in.instance_type = "g6.xlarge";
    EXPECT_TRUE(preflight(in));
    in.requested = BlenderRelease{5, 0, std::nullopt};
    EXPECT_NE(refusal(in).find("give --engine BLENDER_EEVEE"), std::string::npos);
}

TEST(CloudPreflight, MissingFilesAreListedUnlessAllowed) {
    auto in = scene_of(4, 2);
    for (int i = 0; i < 7; ++i) {
        blender::Dependency dep;
        dep.path = "/home/artist/tex/t" + std::to_string(i) + ".png";
        dep.missing = i > 0;
        dep.user = "IM:t" + std::to_string(i);
        in.dependencies.push_back(dep);
    }
    std::string message = refusal(in);
    EXPECT_NE(message.find("6 file(s)"), std::string::npos) << message;
    EXPECT_NE(message.find("/home/artist/tex/t1.png (IM:t1)"), std::string::npos) << message;
    EXPECT_EQ(message.find("t0.png"), std::string::npos) << message;
    EXPECT_NE(message.find("and 1 more"), std::string::npos) << message;
    EXPECT_NE(message.find("--allow-missing"), std::string::npos) << message;
    in.allow_missing = true;
    EXPECT_TRUE(preflight(in));
}

TEST(CloudPreflight, EveryProblemIsSaidAtOnce) {
    auto in = scene_of(4, 2);
    in.format = "FFMPEG";
    in.device = "CUDA";
    std::string message = refusal(in);
    EXPECT_NE(message.find("2 problems"), std::string::npos) << message;
}

TEST(BlenderRelease, ParsesMajorMinorAndPatch) {
    auto v = parse_blender_release("4.2");
    ASSERT_TRUE(v);
    EXPECT_EQ(v->major, 4);
    EXPECT_EQ(v->minor, 2);
    EXPECT_FALSE(v->patch);
    auto p = parse_blender_release("3.6.12");
    ASSERT_TRUE(p);
    EXPECT_EQ(p->text(), "3.6.12");
    for (const char* bad : {"4", "4.x", "4.2.1.0", "", "v4.2", "1.0", "4.2."}) {
        EXPECT_FALSE(parse_blender_release(bad)) << bad;
    }
}

TEST(InstanceGpuVendor, ByFamily) {
    EXPECT_EQ(instance_gpu_vendor("g4dn.xlarge"), "nvidia");
    EXPECT_EQ(instance_gpu_vendor("p5.48xlarge"), "nvidia");
    EXPECT_EQ(instance_gpu_vendor("g4ad.2xlarge"), "amd");
    EXPECT_EQ(instance_gpu_vendor("c7i.4xlarge"), "");
    EXPECT_EQ(instance_gpu_vendor("g4dnx.large"), "");
}

}  // namespace
}  // namespace spotfarm::cli
