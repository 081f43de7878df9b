#pragma once
// A stand-in for SSM's JSON 1.1 API on 127.0.0.1, reduced to GetParameter: it verifies SigV4
// (service ssm), the Content-Type and X-Amz-Target headers and the body's members, and answers
// from the parameters a test puts in (AWS's public image parameters, for instance).

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "providers/aws/credentials.h"
#include "support/loopback_http_server.h"

namespace spotfarm::testing {

class FakeSsm {
public:
    explicit FakeSsm(std::string region = "us-east-1",
                     providers::aws::Credentials credentials = {"AKIDFAKESSM", "fake/ssm/secret"});

    std::string endpoint() const;  // "http://127.0.0.1:PORT/"
    const providers::aws::Credentials& credentials() const { return m_credentials; }

    void put_parameter(std::string name, std::string value);
    // The next `times` calls answer with this error ({"__type": code, "message": message}).
    void fail_next(int http_status, std::string code, std::string message, int times = 1);
    std::vector<std::string> asked() const;  // names asked for, in order

private:
    util::HttpResponse handle(const ReceivedRequest& request);

    std::string m_region;
    providers::aws::Credentials m_credentials;
    mutable std::mutex m_mutex;
    std::map<std::string, std::string> m_parameters;
    struct Injected {
        int status;
        std::string code, message;
        int times;
    };
    std::vector<Injected> m_injected;
    std::vector<std::string> m_asked;
    std::unique_ptr<LoopbackHttpServer> m_server;  // last: stops before the state goes
};

}  // namespace spotfarm::testing
