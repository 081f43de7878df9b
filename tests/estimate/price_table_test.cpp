#include "estimate/price_table.h"

#include <filesystem>
#include <fstream>
#include <random>
#include <regex>

#include <gtest/gtest.h>

namespace spotfarm::estimate {
namespace {

TEST(PriceTable, BuiltInTableIsSane) {
    auto table = builtin_price_table();
    ASSERT_TRUE(table.ok()) << table.error().message;
    EXPECT_TRUE(std::regex_match(table->generated, std::regex(R"(\d{4}-\d{2}-\d{2})")));
    EXPECT_EQ(table->region, "us-east-1");
    EXPECT_EQ(table->currency, "USD");
    EXPECT_EQ(table->source, "built-in");
    EXPECT_NE(table->note.find("pprox"), std::string::npos);
    EXPECT_GE(table->instances.size(), 15u);
    for (const InstancePrice& p : table->instances) {
        EXPECT_GT(p.vcpus, 0) << p.type;
        EXPECT_GT(p.memory_gib, 0) << p.type;
        EXPECT_LT(p.spot_usd_per_hour(), p.on_demand_usd_per_hour) << p.type;
        if (p.gpus == 0) {
            // CPU instances cost a few cents per vCPU-hour.
            const double per_vcpu = p.on_demand_usd_per_hour / p.vcpus;
            EXPECT_GT(per_vcpu, 0.02) << p.type;
            EXPECT_LT(per_vcpu, 0.1) << p.type;
        }
    }
    for (const char* family : {"c5.", "c6i.", "c7i.", "c7a.", "m7i."}) {
        EXPECT_TRUE(std::any_of(table->instances.begin(), table->instances.end(),
                                [&](const InstancePrice& p) { return p.type.starts_with(family); }))
            << family;
    }
    const InstancePrice* c7i = table->find("c7i.4xlarge");
    ASSERT_NE(c7i, nullptr);
    EXPECT_EQ(c7i->vcpus, 16);
    EXPECT_NEAR(c7i->spot_usd_per_hour(), c7i->on_demand_usd_per_hour * 0.45, 1e-12);
    // Bigger sizes of one family cost more.
    EXPECT_LT(table->find("c7i.2xlarge")->on_demand_usd_per_hour, c7i->on_demand_usd_per_hour);
    EXPECT_EQ(table->find("no.such"), nullptr);
}

std::string parse_error(std::string_view json) {
    auto table = parse_price_table(json, "test.json");
    EXPECT_FALSE(table.ok()) << json;
    return table.ok() ? "" : table.error().message;
}

TEST(PriceTable, ParseErrorsSayWhatIsWrong) {
    EXPECT_NE(parse_error("{").find("not valid JSON"), std::string::npos);
    EXPECT_NE(parse_error("[]").find("lists no instances"), std::string::npos);
    EXPECT_NE(parse_error(R"({"generated":"2026-01-01","instances":[]})").find("no instances"),
              std::string::npos);
    const std::string good =
        R"({"type":"c7i.large","vcpus":2,"memory_gib":4,"on_demand_usd_per_hour":0.09})";
    EXPECT_NE(parse_error(R"({"instances":[)" + good + "]}").find("\"generated\""),
              std::string::npos);
    EXPECT_NE(parse_error(R"({"generated":"x","instances":[)" + good + "," + good + "]}")
                  .find("listed twice"),
              std::string::npos);
    EXPECT_NE(parse_error(R"({"generated":"x","instances":[{"type":"a","vcpus":2,"memory_gib":4,)"
                          R"("on_demand_usd_per_hour":-1}]})")
                  .find("on_demand_usd_per_hour"),
              std::string::npos);
    EXPECT_NE(parse_error(R"({"generated":"x","instances":[{"vcpus":2}]})").find("instance #1"),
              std::string::npos);
    EXPECT_NE(parse_error(R"({"generated":"x","instances":[{"type":"a","vcpus":2,"memory_gib":4,)"
                          R"("on_demand_usd_per_hour":1,"typical_spot_discount":1.5}]})")
                  .find("typical_spot_discount"),
              std::string::npos);
    EXPECT_NE(parse_error("{").find("test.json"), std::string::npos);
}

TEST(PriceTable, LoadsOverrideFile) {
    const auto path = std::filesystem::temp_directory_path() /
                      ("spotfarm-prices-" + std::to_string(std::random_device{}()) + ".json");
    {
        std::ofstream out(path);
        out << R"({"generated":"2030-01-02","region":"eu-west-1","instances":[)"
               R"({"type":"c9.huge","vcpus":128,"memory_gib":256,"gpus":0,)"
               R"("on_demand_usd_per_hour":4.0,"typical_spot_discount":0.5}]})";
    }
    auto table = load_price_table(path);
    std::filesystem::remove(path);
    ASSERT_TRUE(table.ok()) << table.error().message;
    EXPECT_EQ(table->generated, "2030-01-02");
    EXPECT_EQ(table->region, "eu-west-1");
    EXPECT_EQ(table->source, path.string());
    ASSERT_EQ(table->instances.size(), 1u);
    EXPECT_DOUBLE_EQ(table->instances[0].spot_usd_per_hour(), 2.0);

    auto missing = load_price_table(path);
    ASSERT_FALSE(missing.ok());
    EXPECT_NE(missing.error().message.find(path.string()), std::string::npos);

    auto builtin = load_price_table(std::nullopt);
    ASSERT_TRUE(builtin.ok());
    EXPECT_EQ(builtin->source, "built-in");
}

}  // namespace
}  // namespace spotfarm::estimate
