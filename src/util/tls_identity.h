#pragma once
// A server's TLS identity made on the spot: an EC P-256 key and a self-signed certificate, and
// the pin that lets a client trust exactly that certificate's key and nothing else. The laptop
// makes one before it launches a manager in the cloud, so it never has to trust whatever answers.

#include <filesystem>
#include <string>

#include "util/result.h"

namespace spotfarm::util {

struct TlsIdentity {
    std::string key_pem;   // PKCS#8 private key
    std::string cert_pem;  // X.509 certificate for `common_name`
    std::string pin;       // "sha256//BASE64" of the certificate's public key (see public_key_pin)
};

// A new key and a certificate valid from now for `days`, named `common_name`.
Result<TlsIdentity> make_tls_identity(const std::string& common_name, int days = 825);

// libcurl's pin of a PEM certificate's public key: "sha256//" and the base64 SHA-256 of its
// SubjectPublicKeyInfo. Fails on text that holds no certificate.
Result<std::string> public_key_pin(const std::string& cert_pem);

// Writes the identity's key (mode 0600) and certificate as `dir`/manager-key.pem and
// `dir`/manager-cert.pem, each atomically.
Status save_tls_identity(const TlsIdentity& identity, const std::filesystem::path& dir);

}  // namespace spotfarm::util
