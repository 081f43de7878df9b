#include "core/instance_identity.h"

#include <gtest/gtest.h>

namespace spotfarm::core {
namespace {

TEST(InstanceIdentity, TagRoundTrips) {
    EXPECT_EQ(instance_tag("i-0123456789abcdef0"), "instance=i-0123456789abcdef0");
    EXPECT_EQ(instance_from_tags({"gpu", instance_tag("local-3")}), "local-3");
}

TEST(InstanceIdentity, NoOrEmptyTagIsNoInstance) {
    EXPECT_EQ(instance_from_tags({}), std::nullopt);
    EXPECT_EQ(instance_from_tags({"instance=", "instances=x", "gpu"}), std::nullopt);
    EXPECT_EQ(instance_from_tags({"instance=", "instance=i-1"}), "i-1");
}

}  // namespace
}  // namespace spotfarm::core
