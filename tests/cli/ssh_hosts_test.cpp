#include "cli/daemons/ssh_hosts.h"

#include <gtest/gtest.h>

namespace spotfarm::cli {
namespace {

TEST(SshHosts, ReadsEveryKey) {
    auto hosts = parse_ssh_hosts(R"(
[[host]]
name = "pc1"
address = "10.0.0.21"
user = "render"
port = 2222
key = "~/.ssh/farm"
cores = 8
gpu = true
tags = ["big", "linux"]
blender = "/opt/blender/blender"
spotfarm = "/opt/spotfarm"
reverse_tunnel = true
tunnel_port = 19000

[[host]]
name = "pc2"
)",
                                 "hosts.toml");
    ASSERT_TRUE(hosts) << hosts.error().message;
    ASSERT_EQ(hosts->size(), 2u);
    const auto& a = hosts->at(0);
    EXPECT_EQ(a.address, "10.0.0.21");
    EXPECT_EQ(a.user, "render");
    EXPECT_EQ(a.port, 2222);
    EXPECT_EQ(a.key, "~/.ssh/farm");
    EXPECT_EQ(a.cores, 8);
    EXPECT_TRUE(a.gpu);
    EXPECT_EQ(a.tags, (std::vector<std::string>{"big", "linux"}));
    EXPECT_EQ(a.blender, "/opt/blender/blender");
    EXPECT_EQ(a.spotfarm, "/opt/spotfarm");
    EXPECT_TRUE(a.reverse_tunnel);
    EXPECT_EQ(a.tunnel_port, 19000);
    EXPECT_EQ(hosts->at(1).address, "pc2") << "the name is the address by default";
    EXPECT_FALSE(hosts->at(1).reverse_tunnel);
}

TEST(SshHosts, SaysWhereAndWhatIsWrong) {
    auto bad = parse_ssh_hosts("[[host]]\nname = \"pc1\"\nport = \"22\"\n", "h.toml");
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().kind, util::ErrorKind::invalid);
    EXPECT_NE(bad.error().message.find("h.toml:1: port must be a whole number"), std::string::npos)
        << bad.error().message;
    EXPECT_FALSE(parse_ssh_hosts("[[host]]\nname = \"a\"\n[[host]]\nname = \"a\"\n", "h"));
    EXPECT_FALSE(parse_ssh_hosts("[[host]]\naddress = \"x\"\n", "h"));
    EXPECT_FALSE(parse_ssh_hosts("[[host]]\nname = \"a b\"\n", "h"));
    EXPECT_FALSE(parse_ssh_hosts("[[host]]\nname = \"a\"\npassword = \"x\"\n", "h"));
    EXPECT_FALSE(parse_ssh_hosts("", "h"));
    EXPECT_FALSE(parse_ssh_hosts("[[host]\n", "h"));
}

}  // namespace
}  // namespace spotfarm::cli
