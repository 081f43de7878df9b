#pragma once
// The server side of SigV4, for test stand-ins of AWS endpoints: recomputes the signature of a
// received request from known credentials and answers as AWS would when it does not match.

#include <chrono>
#include <optional>
#include <string>

#include "providers/aws/credentials.h"
#include "providers/aws/ec2_error.h"
#include "providers/aws/sigv4.h"
#include "support/loopback_http_server.h"

namespace spotfarm::testing {

struct SigV4Expectation {
    providers::aws::Credentials credentials;  // the only keys accepted
    std::string region;
    std::string service;
    // When set, X-Amz-Date must be within 5 minutes of it, as AWS demands.
    std::optional<std::chrono::system_clock::time_point> now;
};

// nullopt when the request is signed correctly; otherwise the error AWS would answer
// (MissingAuthenticationToken, IncompleteSignature, AuthFailure, SignatureDoesNotMatch,
// RequestExpired), with an HTTP status.
std::optional<providers::aws::Ec2Error> verify_sigv4(const ReceivedRequest& request,
                                                     const SigV4Expectation& expected);

}  // namespace spotfarm::testing
