// Every request `cloud setup` and `teardown` send, and every answer the stand-ins give, checked
// against AWS's own service models (botocore's, as Debian installs them): parameter names, types
// and enum values the service defines, and answers in the output shapes it defines.
#include <mutex>

#include "cloud_setup_fixture.h"
#include "providers/aws/ssm_ami.h"
#include "support/aws_model_check.h"
#include "util/percent_encoding.h"

namespace spotfarm::testing {
namespace {

namespace aws = providers::aws;

// Forwards to a real client and keeps each request with its answer.
class RecordingHttpClient final : public util::HttpClient {
public:
    struct Exchange {
        util::HttpRequest request;
        util::HttpResponse response;
    };
    util::Result<util::HttpResponse> send(const util::HttpRequest& request) override {
        auto response = m_real.send(request);
        if (response.ok()) {
            std::lock_guard lock(m_mutex);
            m_exchanges.push_back({request, *response});
        }
        return response;
    }
    std::vector<Exchange> exchanges() const {
        std::lock_guard lock(m_mutex);
        return m_exchanges;
    }

private:
    util::CurlHttpClient m_real;
    mutable std::mutex m_mutex;
    std::vector<Exchange> m_exchanges;
};

// "/2015-02-01/file-systems/fs-1?x=y" from "http://127.0.0.1:PORT/2015-02-01/...".
std::string path_of(const std::string& url) {
    const auto start = url.find('/', url.find("//") + 2);
    return start == std::string::npos ? "/" : url.substr(start);
}

// The EFS operation a REST request is, by AWS's routes.
std::string efs_operation(const std::string& method, const std::string& path) {
    const bool fs = path.starts_with("/2015-02-01/file-systems");
    const bool item =
        path.find('/', std::string("/2015-02-01/file-systems").size()) != std::string::npos &&
        path.find('?') == std::string::npos;
    if (fs && method == "POST") return "CreateFileSystem";
    if (fs && method == "GET") return "DescribeFileSystems";
    if (fs && method == "DELETE") return "DeleteFileSystem";
    if (method == "POST") return "CreateMountTarget";
    if (method == "GET") return "DescribeMountTargets";
    (void)item;
    return "DeleteMountTarget";
}

class SetupWireModel : public CloudSetupFixture {
protected:
    SetupWireModel() {
        std::map<std::string, std::string> env;
        for (const auto& entry : account.endpoint_environment())
            env[entry.substr(0, entry.find('='))] = entry.substr(entry.find('=') + 1);
        auto opened = aws::open_aws_services(
            {recorder, credentials, util::steady_clock(), sleeper, [] { return 0.5; }},
            account.region(), [env](const std::string& name) -> std::optional<std::string> {
                auto it = env.find(name);
                if (it == env.end()) return std::nullopt;
                return it->second;
            });
        if (!opened.ok()) ADD_FAILURE() << opened.error().message;
        aws = std::make_unique<aws::AwsServices>(std::move(opened.value()));
    }

    // Problems with one exchange, each prefixed with what it was.
    std::vector<std::string> check(const RecordingHttpClient::Exchange& e) const {
        std::vector<std::string> problems;
        const auto add = [&](const std::string& what, std::vector<std::string> found) {
            for (auto& problem : found) problems.push_back(what + ": " + problem);
        };
        const std::string url = e.request.url;
        const bool ok = e.response.status >= 200 && e.response.status < 300;
        if (url.starts_with(account.ec2.endpoint()) || url.starts_with(account.iam.endpoint())) {
            const bool iam = url.starts_with(account.iam.endpoint());
            const auto& model = AwsModelCheck::load_service(iam ? "iam" : "ec2");
            const auto params = util::parse_query(e.request.body);
            std::string action;
            for (const auto& [key, value] : params)
                if (key == "Action") action = value;
            add(action, model.check_query_request(params));
            if (ok) add(action + " answer", model.check_query_response(action, e.response.body));
        } else if (url.starts_with(account.ssm.endpoint())) {
            const auto& model = AwsModelCheck::load_service("ssm");
            auto target = util::find_header(e.request.headers, "X-Amz-Target").value_or("");
            const std::string operation = target.substr(target.find('.') + 1);
            add(operation, model.check_json_request(operation, e.request.body));
            if (ok)
                add(operation + " answer", model.check_json_response(operation, e.response.body));
        } else if (url.starts_with(account.efs.endpoint())) {
            const auto& model = AwsModelCheck::load_service("efs");
            const std::string path = path_of(url);
            const std::string operation = efs_operation(e.request.method, path);
            add(operation, model.check_rest_target(operation, e.request.method, path));
            if (!e.request.body.empty())
                add(operation, model.check_json_request(operation, e.request.body));
            if (ok && !e.response.body.empty())
                add(operation + " answer", model.check_json_response(operation, e.response.body));
        } else if (!url.starts_with(account.checkip_url())) {
            problems.push_back("a request to an unexpected place: " + url);
        }
        return problems;
    }

    RecordingHttpClient recorder;
};

TEST_F(SetupWireModel, SetupAndTeardownSpeakEachServicesOwnModel) {
    account.ssm.put_parameter("/aws/service/debian/release/bookworm/latest/amd64", "ami-0d");
    auto record = setup();
    ASSERT_TRUE(record.ok()) << record.error().message;
    ASSERT_TRUE(setup().ok());
    auto ssm_ami = aws::resolve_ami(*aws->ssm, aws::CpuArch::x86_64, false);
    ASSERT_TRUE(ssm_ami.ok()) << ssm_ami.error().message;
    auto report = tear_down();
    ASSERT_TRUE(report.ok()) << report.error().message;

    std::set<std::string> services;
    std::vector<std::string> problems;
    for (const auto& exchange : recorder.exchanges()) {
        for (auto& problem : check(exchange)) problems.push_back(problem);
        services.insert(exchange.request.url.substr(0, exchange.request.url.find('/', 8)));
    }
    EXPECT_EQ(services.size(), 5u);  // EC2, IAM, SSM, EFS and the checkip page
    EXPECT_TRUE(problems.empty()) << ::testing::PrintToString(problems);
}

}  // namespace
}  // namespace spotfarm::testing
