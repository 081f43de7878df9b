#include "manager/http/json_reader.h"

#include <gtest/gtest.h>

namespace spotfarm::manager::http {
namespace {

nlohmann::json error_of(const JsonReader& in) {
    Response response = in.error();
    EXPECT_EQ(response.status, 400);
    return nlohmann::json::parse(response.body);
}

TEST(JsonReader, ReadsTypedFields) {
    JsonReader in(R"({"name":"w1","cores":16,"scale":0.5,"gpu":true,"tags":["a","b"],
                     "job":{"frames":"1-10"}})");
    EXPECT_EQ(in.string("name"), "w1");
    EXPECT_EQ(in.integer("cores", 1, 4096), 16);
    EXPECT_DOUBLE_EQ(in.number("scale", 0, 1), 0.5);
    EXPECT_TRUE(in.boolean("gpu"));
    EXPECT_EQ(in.string_list("tags"), (std::vector<std::string>{"a", "b"}));
    EXPECT_FALSE(in.optional_string("host"));
    EXPECT_TRUE(in.string_list("missing").empty());
    const nlohmann::json* job = in.optional_object("job");
    ASSERT_TRUE(job);
    JsonReader job_in(*job, "job");
    EXPECT_EQ(job_in.string("frames"), "1-10");
    EXPECT_TRUE(in.ok());
    EXPECT_TRUE(job_in.ok());
}

TEST(JsonReader, EmptyBodyReadsAsEmptyObject) {
    JsonReader in("  \n");
    EXPECT_TRUE(in.ok());
    EXPECT_FALSE(in.optional_integer("warm_job_id", 0, 10));
    EXPECT_TRUE(in.ok());
}

TEST(JsonReader, MalformedJsonSaysWhere) {
    JsonReader in(R"({"name": "w1",)");
    ASSERT_FALSE(in.ok());
    auto error = error_of(in);
    EXPECT_EQ(error["code"], "malformed_json");
    EXPECT_NE(error["error"].get<std::string>().find("line 1"), std::string::npos) << error;
    EXPECT_EQ(in.string("name"), "");  // reads after a failure give defaults
}

// Found by fuzz/json_bodies_fuzz: a number too large for a double is nlohmann's out_of_range,
// not a parse_error, and escaped the reader.
TEST(JsonReader, ANumberTooLargeIsMalformedNotAnException) {
    for (std::string_view body : {"88888e001066", R"({"cores": 1e999})", "[-1e400]"}) {
        JsonReader in(body);
        ASSERT_FALSE(in.ok()) << body;
        EXPECT_EQ(error_of(in)["code"], "malformed_json") << body;
    }
}

TEST(JsonReader, TopLevelMustBeAnObject) {
    for (std::string_view body : {"[1,2]", "42", "\"text\"", "null"}) {
        JsonReader in(body);
        ASSERT_FALSE(in.ok()) << body;
        EXPECT_EQ(error_of(in)["code"], "not_an_object") << body;
    }
}

TEST(JsonReader, MissingRequiredFieldIsNamed) {
    JsonReader in(R"({"name": null})");
    (void)in.string("name");
    auto error = error_of(in);
    EXPECT_EQ(error["code"], "missing_field");
    EXPECT_NE(error["error"].get<std::string>().find("'name'"), std::string::npos);
}

TEST(JsonReader, WrongTypesAreRejectedWithWhatWasWanted) {
    struct Case {
        const char* body;
        std::function<void(JsonReader&)> read;
    };
    std::vector<Case> cases = {
        {R"({"x": 5})", [](JsonReader& in) { (void)in.string("x"); }},
        {R"({"x": "5"})", [](JsonReader& in) { (void)in.integer("x", 0, 10); }},
        {R"({"x": 2.5})", [](JsonReader& in) { (void)in.integer("x", 0, 10); }},
        {R"({"x": "yes"})", [](JsonReader& in) { (void)in.boolean("x"); }},
        {R"({"x": "a"})", [](JsonReader& in) { (void)in.string_list("x"); }},
        {R"({"x": ["a", 1]})", [](JsonReader& in) { (void)in.string_list("x"); }},
        {R"({"x": []})", [](JsonReader& in) { (void)in.optional_object("x"); }},
        {R"({"x": {}})", [](JsonReader& in) { (void)in.number("x", 0, 1); }},
    };
    for (auto& c : cases) {
        JsonReader in(c.body);
        c.read(in);
        ASSERT_FALSE(in.ok()) << c.body;
        auto error = error_of(in);
        EXPECT_EQ(error["code"], "wrong_type") << c.body;
        EXPECT_NE(error["error"].get<std::string>().find("'x' must"), std::string::npos) << error;
    }
}

TEST(JsonReader, OutOfRangeNumbersAreRejected) {
    JsonReader small(R"({"frames": 0})");
    EXPECT_FALSE(small.optional_integer("frames", 1, 1000000));
    EXPECT_EQ(error_of(small)["code"], "out_of_range");
    JsonReader huge(R"({"frames": 18446744073709551615})");
    (void)huge.integer("frames", 1, 1000000);
    EXPECT_EQ(error_of(huge)["code"], "out_of_range");
    JsonReader ratio(R"({"share": 1.5})");
    (void)ratio.number("share", 0, 1);
    EXPECT_EQ(error_of(ratio)["code"], "out_of_range");
}

TEST(JsonReader, FirstProblemIsKept) {
    JsonReader in(R"({"a": 1})");
    (void)in.string("a");
    in.fail("bad_path", "output path must not contain '..'");
    EXPECT_EQ(error_of(in)["code"], "wrong_type");
    JsonReader custom("{}");
    custom.fail("bad_path", "output path must not contain '..'", 422);
    EXPECT_EQ(custom.error().status, 422);
}

TEST(JsonReader, NestedFieldsAreNamedWithTheirParent) {
    JsonReader in(nlohmann::json::parse(R"({"samples": "many"})"), "job");
    (void)in.integer("samples", 1, 100000);
    EXPECT_NE(error_of(in)["error"].get<std::string>().find("'job.samples'"), std::string::npos);
}

TEST(JsonReader, DeepNestingIsRefusedWithoutBlowingTheStack) {
    std::string deep(200000, '[');
    deep += std::string(200000, ']');
    JsonReader in("{\"x\":" + deep + "}");
    EXPECT_FALSE(in.ok());
    EXPECT_EQ(error_of(in)["code"], "nested_too_deeply");
    JsonReader shallow("{\"x\":[[[1]]]}");
    EXPECT_TRUE(shallow.ok());
    EXPECT_TRUE(shallow.has("x"));
}

}  // namespace
}  // namespace spotfarm::manager::http
