#pragma once
// Checks EC2 Query API requests and answers against botocore's EC2 model (the subset in
// tests/data/ec2/botocore_ec2_model.json, made by scripts/extract_ec2_model.py): every parameter
// name must be one botocore would serialize, every value of its member's type and enum, every
// required member present; every element of an answer must be a member of the output shape.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "providers/aws/uri.h"
#include "util/result.h"

namespace spotfarm::testing {

class Ec2ModelCheck {
public:
    static util::Result<Ec2ModelCheck> load(const std::filesystem::path& file);
    // The default subset in the test data.
    static Ec2ModelCheck standard();

    // What is wrong with a request's parameters (Action names the operation); empty when
    // nothing is.
    std::vector<std::string> check_request(const providers::aws::QueryParams& params) const;
    // Elements of an answer to `operation` that its output shape does not have.
    std::vector<std::string> check_response(std::string_view operation, std::string_view xml) const;

private:
    explicit Ec2ModelCheck(nlohmann::json model) : m_model(std::move(model)) {}
    const nlohmann::json* shape(const std::string& name) const;

    nlohmann::json m_model;
};

}  // namespace spotfarm::testing
