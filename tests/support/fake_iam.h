#pragma once
// A stand-in for IAM's Query API on 127.0.0.1: it verifies SigV4 (service iam, region
// us-east-1), checks Action, Version and parameters, keeps roles, inline policies and instance
// profiles in memory, and answers in IAM's XML. Tests inject errors (AccessDenied, LimitExceeded).

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "providers/aws/credentials.h"
#include "providers/aws/ec2_types.h"
#include "support/loopback_http_server.h"

namespace spotfarm::testing {

struct FakeIamRole {
    std::string name, path, trust_policy;
    std::map<std::string, std::string> policies;  // inline: name -> document
    std::vector<providers::aws::Tag> tags;
};

struct FakeIamProfile {
    std::string name, path;
    std::vector<std::string> roles;
    std::vector<providers::aws::Tag> tags;
};

class FakeIam {
public:
    explicit FakeIam(providers::aws::Credentials credentials = {"AKIDFAKEIAM", "fake/iam/secret"});

    std::string endpoint() const;  // "http://127.0.0.1:PORT/"
    const providers::aws::Credentials& credentials() const { return m_credentials; }

    // The next `times` calls of `action` (any when empty) answer with this error.
    void fail_next(std::string action, int http_status, std::string code, std::string message,
                   int times = 1);

    std::map<std::string, FakeIamRole> roles() const;
    std::map<std::string, FakeIamProfile> profiles() const;
    // Every request that passed the signature check, as its parameters.
    std::vector<std::vector<std::pair<std::string, std::string>>> calls() const;
    int changes() const;  // calls that changed something

private:
    using Params = std::map<std::string, std::string>;
    struct Answer {
        int status;
        std::string body;
    };
    struct Injected {
        std::string action;
        int status;
        std::string code, message;
        int times;
    };
    util::HttpResponse handle(const ReceivedRequest& request);
    Answer dispatch(const std::string& action, const Params& params);

    providers::aws::Credentials m_credentials;
    mutable std::mutex m_mutex;
    std::map<std::string, FakeIamRole> m_roles;
    std::map<std::string, FakeIamProfile> m_profiles;
    std::vector<Injected> m_injected;
    std::vector<std::vector<std::pair<std::string, std::string>>> m_calls;
    int m_changes = 0;
    std::unique_ptr<LoopbackHttpServer> m_server;  // last: stops before the state goes
};

}  // namespace spotfarm::testing
