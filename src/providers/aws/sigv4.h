#pragma once
// AWS Signature Version 4: canonical request, string to sign, signature, and the headers or
// query parameters that carry it. Checked against AWS's published test suite
// (tests/data/aws-sigv4/).

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "providers/aws/credentials.h"
#include "util/result.h"

namespace spotfarm::providers::aws {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// A request as it goes on the wire. path and query are as written on the request line (raw, not
// yet percent-encoded for signing); headers keep their order and spelling; one of them is Host.
struct SignableRequest {
    std::string method;
    std::string path = "/";
    std::string query;  // without '?'
    HeaderList headers;
    std::string body;
};

struct SigningParams {
    Credentials credentials;
    std::string region;
    std::string service;
    std::chrono::system_clock::time_point time;
    // Remove "." and ".." segments and repeated slashes from the path (every service but S3).
    bool normalize_path = true;
    // Also send and sign x-amz-content-sha256 with the payload hash.
    bool add_content_sha256_header = false;
    // Add the session token after signing, unsigned (a few services want it so).
    bool omit_session_token = false;
    // Validity of a query-signed (presigned) request.
    std::chrono::seconds expires{3600};
};

// The intermediate texts, for tests and for servers that verify a signature.
struct SignatureParts {
    std::string canonical_request;
    std::string string_to_sign;
    std::string signature;       // lower-case hex
    std::string signed_headers;  // "host;x-amz-date"
};

// Adds X-Amz-Security-Token (when there is a token), X-Amz-Date, x-amz-content-sha256 (when
// asked) and Authorization to request.headers. Fails when the request has no Host header.
util::Result<SignatureParts> sign_with_headers(SignableRequest& request,
                                               const SigningParams& params);

// Appends X-Amz-Algorithm, -Credential, -Date, -SignedHeaders, -Expires, -Security-Token and
// -Signature to request.query (a presigned URL).
util::Result<SignatureParts> sign_with_query(SignableRequest& request, const SigningParams& params);

// The building blocks, for verifying a signature made by someone else.
std::string amz_date(std::chrono::system_clock::time_point t);    // 20150830T123600Z
std::string date_stamp(std::chrono::system_clock::time_point t);  // 20150830
std::string credential_scope(std::string_view date_stamp, std::string_view region,
                             std::string_view service);
std::string canonical_uri(std::string_view raw_path, bool normalize);
std::string canonical_query(std::string_view raw_query);
// Lower-cased, sorted names; duplicates joined with ','; values trimmed with inner runs of
// white space made one space. Only the headers whose lower-cased names are in `names` count.
std::string canonical_headers(const HeaderList& headers, const std::vector<std::string>& names);
// METHOD, URI, query, headers, signed header names and payload hash, one per line.
std::string canonical_request(std::string_view method, std::string_view raw_path,
                              std::string_view raw_query, const HeaderList& headers,
                              const std::vector<std::string>& names, std::string_view payload_hash,
                              bool normalize);
std::string make_string_to_sign(std::string_view amz_date, std::string_view scope,
                                std::string_view canonical_request);
std::string make_signature(std::string_view secret_access_key, std::string_view date_stamp,
                           std::string_view region, std::string_view service,
                           std::string_view string_to_sign);

}  // namespace spotfarm::providers::aws
