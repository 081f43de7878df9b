#pragma once
// EC2's error answers (<Response><Errors><Error><Code/><Message/></Error></Errors><RequestID/>)
// and what each kind means for the caller.

#include <optional>
#include <string>
#include <string_view>

namespace spotfarm::providers::aws {

struct Ec2Error {
    int http_status = 0;
    std::string code;  // "AuthFailure", "InsufficientInstanceCapacity", ...
    std::string message;
    std::string request_id;
};

enum class Ec2ErrorKind {
    credentials,  // the keys, token, signature or clock are wrong
    permission,   // the keys work but may not do this
    capacity,     // no Spot (or on-demand) capacity or quota for this launch: try something else
    throttled,    // too many requests: retry after a pause
    server,       // EC2's own failure: retry
    request,      // the request is wrong: retrying does not help
};

Ec2ErrorKind classify(const Ec2Error& error);
bool is_capacity_error_code(std::string_view code);
inline bool is_retryable(const Ec2Error& error) {
    const auto kind = classify(error);
    return kind == Ec2ErrorKind::throttled || kind == Ec2ErrorKind::server;
}

// nullopt when `body` is not EC2's error XML. Only the first error of several is kept.
std::optional<Ec2Error> parse_ec2_error(std::string_view body, int http_status);

// A message for people: what went wrong in `action`, what to do, and AWS's request id.
std::string describe(const Ec2Error& error, std::string_view action);

}  // namespace spotfarm::providers::aws
