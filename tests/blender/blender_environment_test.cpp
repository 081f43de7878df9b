#include "blender/blender_environment.h"

#include <algorithm>

#include <gtest/gtest.h>

namespace spotfarm::blender {
namespace {

bool has(const Environment& env, const std::string& name) {
    return std::any_of(env.begin(), env.end(), [&](const auto& kv) { return kv.first == name; });
}

TEST(BlenderEnvironment, KeepsWhatBlenderNeedsAndDropsSecrets) {
    const std::vector<std::string> parent = {
        "PATH=/usr/bin:/bin",
        "HOME=/home/render",
        "LANG=C.UTF-8",
        "LC_ALL=C.UTF-8",
        "XDG_RUNTIME_DIR=/run/user/1000",
        "CUDA_VISIBLE_DEVICES=0,1",
        "NVIDIA_DRIVER_CAPABILITIES=all",
        "HIP_VISIBLE_DEVICES=0",
        "OCIO=/etc/ocio/config.ocio",
        "BLENDER_USER_CONFIG=/tmp/cfg",
        "TMPDIR=/scratch",
        "SPOTFARM_TOKEN=people-secret",
        "SPOTFARM_JOIN_TOKEN=join-secret",
        "AWS_SECRET_ACCESS_KEY=aws-secret",
        "AWS_ACCESS_KEY_ID=AKIA",
        "AWS_SESSION_TOKEN=session",
        "GITHUB_TOKEN=ghp",
        "SSH_AUTH_SOCK=/tmp/agent",
        "PATHOLOGICAL=1",
        "=broken",
        "no-equals-sign",
    };

    const Environment env = blender_environment(parent);

    for (const char* name : {"PATH", "HOME", "LANG", "LC_ALL", "XDG_RUNTIME_DIR",
                             "CUDA_VISIBLE_DEVICES", "NVIDIA_DRIVER_CAPABILITIES",
                             "HIP_VISIBLE_DEVICES", "OCIO", "BLENDER_USER_CONFIG", "TMPDIR"}) {
        EXPECT_TRUE(has(env, name)) << name;
    }
    for (const char* name :
         {"SPOTFARM_TOKEN", "SPOTFARM_JOIN_TOKEN", "AWS_SECRET_ACCESS_KEY", "AWS_ACCESS_KEY_ID",
          "AWS_SESSION_TOKEN", "GITHUB_TOKEN", "SSH_AUTH_SOCK", "PATHOLOGICAL", ""}) {
        EXPECT_FALSE(has(env, name)) << name;
    }
    EXPECT_EQ(env.size(), 11u);
    EXPECT_EQ(env.front(), (std::pair<std::string, std::string>{"PATH", "/usr/bin:/bin"}));
}

TEST(BlenderEnvironment, ValuesWithEqualsSignsStayWhole) {
    const Environment env = blender_environment({"OCIO_ACTIVE_VIEWS=a=b;c"});
    ASSERT_EQ(env.size(), 1u);
    EXPECT_EQ(env[0].second, "a=b;c");
}

}  // namespace
}  // namespace spotfarm::blender
