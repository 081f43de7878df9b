// Runs every case of AWS's SigV4 test suite (tests/data/aws-sigv4/) in header and query mode and
// compares the canonical request, string to sign, signature and signed request byte for byte.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "providers/aws/sigv4.h"
#include "util/utc_time.h"

namespace spotfarm::providers::aws {
namespace {

namespace fs = std::filesystem;

const fs::path k_suite = fs::path(SPOTFARM_TEST_DATA) / "aws-sigv4";

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

std::vector<std::string> case_names() {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(k_suite))
        if (entry.is_directory()) names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

// request.txt: "METHOD target HTTP/1.1", "Name:value" lines (a line that starts with white space
// continues the previous value), a blank line, the body. Values are kept as written.
SignableRequest parse_request(const std::string& text) {
    SignableRequest request;
    size_t pos = text.find('\n');
    const std::string first = text.substr(0, pos);
    const size_t method_end = first.find(' ');
    const size_t version_start = first.rfind(' ');
    request.method = first.substr(0, method_end);
    const std::string target = first.substr(method_end + 1, version_start - method_end - 1);
    const size_t question = target.find('?');
    request.path = target.substr(0, question);
    if (question != std::string::npos) request.query = target.substr(question + 1);
    while (pos != std::string::npos && pos + 1 <= text.size()) {
        const size_t start = pos + 1;
        pos = text.find('\n', start);
        const std::string line = text.substr(start, pos == std::string::npos ? pos : pos - start);
        if (line.empty()) {
            if (pos != std::string::npos) request.body = text.substr(pos + 1);
            break;
        }
        if (line[0] == ' ' || line[0] == '\t') {
            request.headers.back().second += "\n" + line;
        } else {
            const size_t colon = line.find(':');
            request.headers.emplace_back(line.substr(0, colon), line.substr(colon + 1));
        }
    }
    return request;
}

std::string render(const SignableRequest& request) {
    std::string out = request.method + " " + request.path;
    if (!request.query.empty()) out += "?" + request.query;
    out += " HTTP/1.1\n";
    for (const auto& [name, value] : request.headers) out += name + ":" + value + "\n";
    return out + "\n" + request.body;
}

SigningParams parse_context(const std::string& text) {
    const auto json = nlohmann::json::parse(text);
    SigningParams params;
    params.credentials.access_key_id = json["credentials"]["access_key_id"];
    params.credentials.secret_access_key = json["credentials"]["secret_access_key"];
    params.credentials.session_token = json["credentials"].value("token", "");
    params.region = json["region"];
    params.service = json["service"];
    params.time = util::parse_iso8601_utc(json["timestamp"].get<std::string>()).value();
    params.normalize_path = json.value("normalize", true);
    params.add_content_sha256_header = json.value("sign_body", false);
    params.omit_session_token = json.value("omit_session_token", false);
    params.expires = std::chrono::seconds(json.value("expiration_in_seconds", 3600));
    return params;
}

class SigV4Vectors : public ::testing::TestWithParam<std::string> {
protected:
    void check(const std::string& mode) {
        const fs::path dir = k_suite / GetParam();
        SignableRequest request = parse_request(read_file(dir / "request.txt"));
        const SigningParams params = parse_context(read_file(dir / "context.json"));
        auto parts = mode == "header" ? sign_with_headers(request, params)
                                      : sign_with_query(request, params);
        ASSERT_TRUE(parts.ok()) << parts.error().message;
        EXPECT_EQ(parts->canonical_request, read_file(dir / (mode + "-canonical-request.txt")));
        EXPECT_EQ(parts->string_to_sign, read_file(dir / (mode + "-string-to-sign.txt")));
        EXPECT_EQ(parts->signature, read_file(dir / (mode + "-signature.txt")));
        EXPECT_EQ(render(request), read_file(dir / (mode + "-signed-request.txt")));
    }
};

TEST_P(SigV4Vectors, HeaderSigning) {
    check("header");
}
TEST_P(SigV4Vectors, QuerySigning) {
    check("query");
}

INSTANTIATE_TEST_SUITE_P(Suite, SigV4Vectors, ::testing::ValuesIn(case_names()),
                         [](const auto& info) {
                             std::string name = info.param;
                             std::replace(name.begin(), name.end(), '-', '_');
                             return name;
                         });

TEST(SigV4VectorsSuite, EveryCaseIsPresent) {
    // The copied suite has 38 cases; losing some would silently shrink the parameterized tests.
    EXPECT_EQ(case_names().size(), 38u);
    for (const auto& name : case_names())
        for (const auto* file : {"request.txt", "context.json", "header-signature.txt",
                                 "query-signature.txt", "header-signed-request.txt"})
            EXPECT_TRUE(fs::exists(k_suite / name / file)) << name << "/" << file;
}

TEST(SigV4, HeaderSigningFailsWithoutHost) {
    SignableRequest request{.method = "GET", .path = "/"};
    SigningParams params;
    params.credentials = {"AKID", "secret"};
    params.region = "us-east-1";
    params.service = "ec2";
    auto parts = sign_with_headers(request, params);
    ASSERT_FALSE(parts.ok());
    EXPECT_NE(parts.error().message.find("Host"), std::string::npos);
}

}  // namespace
}  // namespace spotfarm::providers::aws
