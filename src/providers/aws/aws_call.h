#pragma once
// One signed call to an AWS service, whatever its protocol (Query, JSON 1.1, REST-JSON): SigV4
// over the method, path, query, headers and body, retried with back-off while the service
// throttles or fails on its side. The protocol's clients (iam_client, ssm_client, efs_client)
// build the request and read the answer.

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "providers/aws/ec2_client.h"
#include "providers/aws/ec2_error.h"
#include "providers/aws/retry.h"
#include "providers/aws/uri.h"
#include "util/http_client.h"
#include "util/result.h"

namespace spotfarm::providers::aws {

// What every AWS client needs from outside; all must outlive the client.
using AwsClientServices = Ec2ClientServices;

// An AWS error answer, whatever the protocol wrote it in.
using AwsError = Ec2Error;

struct AwsCallOptions {
    std::string service_label;  // for messages: "IAM", "SSM", "EFS"
    std::string signing_service;
    std::string signing_region;
    std::string endpoint;
    RetryPolicy retry;
    std::chrono::milliseconds timeout{30000};
};

struct AwsRequest {
    std::string method = "POST";
    std::string path;   // below the endpoint's own path; "" for the endpoint itself
    std::string query;  // already encoded, without "?"
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
};

// The answer: a success (2xx) body, or the service's error after any retries.
struct AwsReply {
    int status = 0;
    std::string body;
    std::optional<AwsError> error;
    int attempts = 0;
};

// Reads a protocol's error answer; nullopt when the body is not one.
using AwsErrorParser = std::function<std::optional<AwsError>(const util::HttpResponse&)>;

// The error answer of the JSON protocols (SSM's JSON 1.1, EFS's REST-JSON): the code from the
// body ("__type": "com.amazonaws.ssm#ParameterNotFound", "ErrorCode", "code") or the
// X-Amzn-ErrorType header, cut at '#' and ':'; nullopt when neither names one.
std::optional<AwsError> parse_json_error(const util::HttpResponse& response);

// Thread-safe.
class AwsCaller {
public:
    static util::Result<AwsCaller> create(AwsClientServices services, AwsCallOptions options,
                                          AwsErrorParser parse_error);

    // An Error only when no answer came (after retries); a service's refusal is in the reply.
    util::Result<AwsReply> call(const AwsRequest& request) const;

    const std::string& endpoint() const { return m_options.endpoint; }
    const std::string& label() const { return m_options.service_label; }

private:
    AwsCaller(AwsClientServices services, AwsCallOptions options, AwsErrorParser parse_error,
              Url url);
    util::Result<util::HttpResponse> send_once(const AwsRequest& request) const;

    AwsClientServices m_services;
    AwsCallOptions m_options;
    AwsErrorParser m_parse_error;
    Url m_url;
};

// What kind of refusal an AWS error is, beyond EC2's kinds: a quota of the account.
bool is_quota_error_code(std::string_view code);

// A message for people: what `action` of `service` ("iam", "ssm", "elasticfilesystem", "ec2")
// could not do and what to do: the permission to grant, the quota to raise, and AWS's request id.
util::Error describe_aws_error(const AwsError& error, std::string_view iam_prefix,
                               std::string_view action, int attempts = 1);

}  // namespace spotfarm::providers::aws
