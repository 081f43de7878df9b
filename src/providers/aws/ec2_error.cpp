#include "providers/aws/ec2_error.h"

#include <algorithm>

#include <pugixml.hpp>

namespace spotfarm::providers::aws {
namespace {

bool one_of(std::string_view code, std::initializer_list<std::string_view> codes) {
    return std::find(codes.begin(), codes.end(), code) != codes.end();
}

}  // namespace

bool is_capacity_error_code(std::string_view code) {
    return one_of(code,
                  {"InsufficientInstanceCapacity", "InsufficientCapacity",
                   "MaxSpotInstanceCountExceeded", "SpotMaxPriceTooLow", "InstanceLimitExceeded",
                   "VcpuLimitExceeded", "InsufficientFreeAddressesInSubnet"});
}

Ec2ErrorKind classify(const Ec2Error& error) {
    const std::string_view code = error.code;
    // Capacity codes come with HTTP 500 too; they must not be retried like server errors.
    if (is_capacity_error_code(code)) return Ec2ErrorKind::capacity;
    if (one_of(code, {"AuthFailure", "SignatureDoesNotMatch", "InvalidClientTokenId",
                      "UnrecognizedClientException", "IncompleteSignature",
                      "MissingAuthenticationToken", "ExpiredToken", "RequestExpired",
                      "OptInRequired", "Blocked", "PendingVerification"}))
        return Ec2ErrorKind::credentials;
    if (one_of(code, {"UnauthorizedOperation", "AccessDenied", "AccessDeniedException"}))
        return Ec2ErrorKind::permission;
    if (one_of(code, {"RequestLimitExceeded", "Throttling", "ThrottlingException",
                      "TooManyRequestsException", "SlowDown"}))
        return Ec2ErrorKind::throttled;
    if (one_of(code, {"InternalError", "InternalFailure", "ServiceUnavailable", "Unavailable"}) ||
        error.http_status >= 500)
        return Ec2ErrorKind::server;
    return Ec2ErrorKind::request;
}

std::optional<Ec2Error> parse_ec2_error(std::string_view body, int http_status) {
    pugi::xml_document doc;
    if (!doc.load_buffer(body.data(), body.size())) return std::nullopt;
    // EC2 writes <Response>; other AWS query services write <ErrorResponse><Error>.
    const pugi::xml_node root = doc.document_element();
    pugi::xml_node error = root.child("Errors").child("Error");
    if (!error) error = root.child("Error");
    if (!error) return std::nullopt;
    Ec2Error out;
    out.http_status = http_status;
    out.code = error.child_value("Code");
    out.message = error.child_value("Message");
    out.request_id = root.child_value("RequestID");
    if (out.request_id.empty()) out.request_id = root.child_value("RequestId");
    if (out.code.empty()) return std::nullopt;
    return out;
}

std::string describe(const Ec2Error& error, std::string_view action) {
    const std::string what = error.message.empty() ? error.code : error.code + ": " + error.message;
    std::string text;
    switch (classify(error)) {
        case Ec2ErrorKind::credentials:
            text = "AWS rejected the credentials: " + what +
                   ". Check the access key and secret (or the profile), that a session token is "
                   "current, and that this machine's clock is right";
            break;
        case Ec2ErrorKind::permission:
            text = "the AWS credentials may not call " + std::string(action) + ": " + what +
                   ". Grant ec2:" + std::string(action) +
                   " to the user or role (an encoded "
                   "message can be read with `aws sts decode-authorization-message`)";
            break;
        case Ec2ErrorKind::capacity:
            text = "EC2 has no capacity for this launch: " + what +
                   ". Try on-demand, another instance type or another availability zone";
            break;
        case Ec2ErrorKind::throttled:
            text = "EC2 is throttling requests (" + what + "); wait a minute and try again";
            break;
        case Ec2ErrorKind::server:
            text = "EC2 failed on its side (" + what + "); try again later";
            break;
        case Ec2ErrorKind::request:
            text = "EC2 refused " + std::string(action) + ": " + what;
            break;
    }
    if (!error.request_id.empty()) text += " [request " + error.request_id + "]";
    return text;
}

}  // namespace spotfarm::providers::aws
