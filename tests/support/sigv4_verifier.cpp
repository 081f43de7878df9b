#include "support/sigv4_verifier.h"

#include <algorithm>

#include "util/ascii.h"
#include "util/digest.h"
#include "util/http_client.h"
#include "util/utc_time.h"

namespace spotfarm::testing {
namespace {

using providers::aws::Ec2Error;

std::vector<std::string> split(const std::string& text, char separator) {
    std::vector<std::string> parts;
    size_t start = 0;
    while (true) {
        const size_t end = text.find(separator, start);
        parts.push_back(text.substr(start, end == std::string::npos ? end : end - start));
        if (end == std::string::npos) return parts;
        start = end + 1;
    }
}

Ec2Error error(int status, std::string code, std::string message) {
    return Ec2Error{status, std::move(code), std::move(message), "fake-request-id"};
}

}  // namespace

std::optional<Ec2Error> verify_sigv4(const ReceivedRequest& request,
                                     const SigV4Expectation& expected) {
    namespace aws = providers::aws;
    const auto authorization = util::find_header(request.headers, "authorization");
    if (!authorization)
        return error(401, "MissingAuthenticationToken", "Request is missing Authentication Token");
    const std::string prefix = "AWS4-HMAC-SHA256 ";
    if (!authorization->starts_with(prefix))
        return error(400, "IncompleteSignature", "Unsupported signature algorithm");
    std::string credential, signed_headers, signature;
    for (const auto& part : split(authorization->substr(prefix.size()), ',')) {
        const std::string item(util::trim(part));
        if (item.starts_with("Credential=")) credential = item.substr(11);
        if (item.starts_with("SignedHeaders=")) signed_headers = item.substr(14);
        if (item.starts_with("Signature=")) signature = item.substr(10);
    }
    const auto scope = split(credential, '/');
    if (scope.size() != 5 || signed_headers.empty() || signature.empty() ||
        scope[4] != "aws4_request")
        return error(400, "IncompleteSignature", "Authorization header is incomplete");
    if (scope[0] != expected.credentials.access_key_id)
        return error(401, "AuthFailure",
                     "AWS was not able to validate the provided access credentials");
    if (scope[2] != expected.region || scope[3] != expected.service)
        return error(403, "SignatureDoesNotMatch",
                     "Credential should be scoped to region " + expected.region + " and service " +
                         expected.service);

    const auto amz_date = util::find_header(request.headers, "x-amz-date");
    if (!amz_date || amz_date->size() != 16 || amz_date->substr(0, 8) != scope[1])
        return error(400, "IncompleteSignature", "X-Amz-Date is missing or not the scope's date");
    if (expected.now) {
        const std::string iso = amz_date->substr(0, 4) + "-" + amz_date->substr(4, 2) + "-" +
                                amz_date->substr(6, 5) + ":" + amz_date->substr(11, 2) + ":" +
                                amz_date->substr(13);
        const auto when = util::parse_iso8601_utc(iso);
        if (!when.ok() || *when > *expected.now + std::chrono::minutes(5) ||
            *when < *expected.now - std::chrono::minutes(5))
            return error(400, "RequestExpired", "Request has expired");
    }

    const auto names = split(signed_headers, ';');
    if (!std::is_sorted(names.begin(), names.end()) ||
        std::find(names.begin(), names.end(), "host") == names.end() ||
        std::find(names.begin(), names.end(), "x-amz-date") == names.end())
        return error(400, "IncompleteSignature", "host and x-amz-date must be signed");
    for (const auto& name : names)
        if (!util::find_header(request.headers, name))
            return error(400, "IncompleteSignature", "signed header " + name + " is missing");
    if (!expected.credentials.session_token.empty()) {
        const auto token = util::find_header(request.headers, "x-amz-security-token");
        if (!token || *token != expected.credentials.session_token ||
            std::find(names.begin(), names.end(), "x-amz-security-token") == names.end())
            return error(401, "AuthFailure",
                         "The security token included in the request is "
                         "invalid or not signed");
    }

    const std::string payload_hash = util::sha256_hex(request.body);
    if (auto declared = util::find_header(request.headers, "x-amz-content-sha256");
        declared && *declared != payload_hash)
        return error(400, "XAmzContentSHA256Mismatch", "The body does not match its hash");
    const size_t question = request.target.find('?');
    const std::string path = request.target.substr(0, question);
    const std::string query =
        question == std::string::npos ? std::string() : request.target.substr(question + 1);
    const std::string canonical = aws::canonical_request(
        request.method, path, query, request.headers, names, payload_hash, true);
    const std::string expected_signature =
        aws::make_signature(expected.credentials.secret_access_key, scope[1], scope[2], scope[3],
                            aws::make_string_to_sign(
                                *amz_date, credential.substr(credential.find('/') + 1), canonical));
    if (signature != expected_signature)
        return error(403, "SignatureDoesNotMatch",
                     "The request signature we calculated does not match the signature you "
                     "provided. Check your AWS Secret Access Key and signing method.");
    return std::nullopt;
}

}  // namespace spotfarm::testing
