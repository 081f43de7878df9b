#pragma once
// Checks AWS requests and answers against botocore's service models, as Debian's python3-botocore
// installs them (botocore/data/<service>/<version>/service-2.json): every name must be one
// botocore would serialize, every value of its member's type and enum and not under its minimum,
// every required member present; every element or key of an answer a member of the output shape.
// Query and EC2 protocols (EC2, IAM) go through the query checks, JSON 1.1 and REST-JSON (SSM,
// EFS) through the JSON ones.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "providers/aws/uri.h"
#include "util/result.h"

namespace spotfarm::testing {

class AwsModelCheck {
public:
    // The newest model of `service` ("ec2", "iam", "ssm", "elasticfilesystem" or "efs") under
    // botocore's data folder (SPOTFARM_BOTOCORE_DATA, else Debian's), loaded once per process.
    // A model that cannot be loaded is not an exception: every check then answers one problem
    // that says why, so a test fails telling what to install.
    static const AwsModelCheck& load_service(std::string_view service);
    // One model file (a service-2.json).
    static util::Result<AwsModelCheck> load(const std::filesystem::path& file);
    // The folder holding botocore's models.
    static std::filesystem::path data_folder();

    // "ec2", "query", "json" or "rest-json"; empty when the model did not load.
    std::string protocol() const;
    std::string api_version() const;
    // Why the model did not load; empty when it did.
    const std::string& load_error() const { return m_error; }

    // What is wrong with a Query or EC2 request (Action names the operation, Version must be the
    // model's); empty when nothing is. EC2 numbers list items `Name.N`, IAM's query protocol
    // `Name.member.N`; names come from queryName / locationName as botocore serializes them.
    std::vector<std::string> check_query_request(const providers::aws::QueryParams& params) const;
    // What is wrong with the JSON body of a request to `operation` (JSON 1.1, or the body
    // members of a REST-JSON input: members bound to the URI, query string or headers are not
    // looked for in it).
    std::vector<std::string> check_json_request(std::string_view operation,
                                                std::string_view json) const;
    // What is wrong with a REST-JSON request's method and path (with its query string) for
    // `operation`: the method must be the model's and the path match its requestUri.
    std::vector<std::string> check_rest_target(std::string_view operation, std::string_view method,
                                               std::string_view path) const;
    // Elements of a Query or EC2 answer to `operation` that its output shape does not have.
    std::vector<std::string> check_query_response(std::string_view operation,
                                                  std::string_view xml) const;
    // What is wrong with the JSON answer to `operation` (keys the output shape lacks, values of
    // the wrong type).
    std::vector<std::string> check_json_response(std::string_view operation,
                                                 std::string_view json) const;

    // The shape named `name`, or nullptr.
    const nlohmann::json* shape(const std::string& name) const;
    // The operation's input or output shape ("input" / "output"), or nullptr.
    const nlohmann::json* operation_shape(const std::string& operation,
                                          const std::string& which) const;
    const nlohmann::json& model() const { return m_model; }

private:
    AwsModelCheck(nlohmann::json model, std::string error)
        : m_model(std::move(model)), m_error(std::move(error)) {}

    nlohmann::json m_model;
    std::string m_error;
};

}  // namespace spotfarm::testing
