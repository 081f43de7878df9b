#include "util/tls_identity.h"

#include <memory>

#include <openssl/bio.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "util/atomic_file.h"
#include "util/base64.h"
#include "util/digest.h"

namespace spotfarm::util {
namespace {

struct Free {
    void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
    void operator()(EVP_PKEY_CTX* ctx) const { EVP_PKEY_CTX_free(ctx); }
    void operator()(X509* cert) const { X509_free(cert); }
    void operator()(BIO* bio) const { BIO_free(bio); }
    void operator()(X509_EXTENSION* ext) const { X509_EXTENSION_free(ext); }
};
template <class T>
using Owned = std::unique_ptr<T, Free>;

Error openssl_error(const std::string& doing) {
    unsigned long code = ERR_get_error();
    char text[256] = "unknown error";
    if (code != 0) ERR_error_string_n(code, text, sizeof text);
    ERR_clear_error();
    return make_error("cannot " + doing + " (OpenSSL: " + text + ")");
}

std::string bio_text(BIO* bio) {
    char* data = nullptr;
    long size = BIO_get_mem_data(bio, &data);
    return std::string(data, static_cast<std::size_t>(size));
}

Result<Owned<EVP_PKEY>> make_key() {
    Owned<EVP_PKEY_CTX> ctx(EVP_PKEY_CTX_new_id(EVP_PKEY_EC, nullptr));
    EVP_PKEY* key = nullptr;
    if (!ctx || EVP_PKEY_keygen_init(ctx.get()) <= 0 ||
        EVP_PKEY_CTX_set_ec_paramgen_curve_nid(ctx.get(), NID_X9_62_prime256v1) <= 0 ||
        EVP_PKEY_keygen(ctx.get(), &key) <= 0) {
        return openssl_error("make a TLS key");
    }
    return Owned<EVP_PKEY>(key);
}

bool add_extension(X509* cert, int nid, const char* value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
    Owned<X509_EXTENSION> ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
    return ext && X509_add_ext(cert, ext.get(), -1) == 1;
}

}  // namespace

Result<TlsIdentity> make_tls_identity(const std::string& common_name, int days) {
    auto key = make_key();
    if (!key) return key.error();
    Owned<X509> cert(X509_new());
    if (!cert) return openssl_error("make a certificate");
    unsigned char serial[16];
    if (RAND_bytes(serial, sizeof serial) != 1) return openssl_error("make a certificate serial");
    serial[0] &= 0x7f;  // a positive number
    auto* serial_bn = BN_bin2bn(serial, sizeof serial, nullptr);
    bool ok = serial_bn && BN_to_ASN1_INTEGER(serial_bn, X509_get_serialNumber(cert.get()));
    BN_free(serial_bn);
    X509_NAME* name = X509_get_subject_name(cert.get());
    ok = ok && X509_set_version(cert.get(), 2) == 1 &&
         X509_gmtime_adj(X509_getm_notBefore(cert.get()), -300) &&
         X509_gmtime_adj(X509_getm_notAfter(cert.get()), 86400L * days) &&
         X509_set_pubkey(cert.get(), key->get()) == 1 &&
         X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                    reinterpret_cast<const unsigned char*>(common_name.c_str()), -1,
                                    -1, 0) == 1 &&
         X509_set_issuer_name(cert.get(), name) == 1 &&
         add_extension(cert.get(), NID_basic_constraints, "critical,CA:FALSE") &&
         add_extension(cert.get(), NID_ext_key_usage, "serverAuth") &&
         X509_sign(cert.get(), key->get(), EVP_sha256()) > 0;
    if (!ok) return openssl_error("make a self-signed certificate");

    Owned<BIO> key_bio(BIO_new(BIO_s_mem()));
    Owned<BIO> cert_bio(BIO_new(BIO_s_mem()));
    if (!key_bio || !cert_bio ||
        PEM_write_bio_PrivateKey(key_bio.get(), key->get(), nullptr, nullptr, 0, nullptr,
                                 nullptr) != 1 ||
        PEM_write_bio_X509(cert_bio.get(), cert.get()) != 1) {
        return openssl_error("write the TLS key and certificate as PEM");
    }
    TlsIdentity identity{bio_text(key_bio.get()), bio_text(cert_bio.get()), {}};
    auto pin = public_key_pin(identity.cert_pem);
    if (!pin) return pin.error();
    identity.pin = std::move(pin).value();
    return identity;
}

Result<std::string> public_key_pin(const std::string& cert_pem) {
    Owned<BIO> bio(BIO_new_mem_buf(cert_pem.data(), static_cast<int>(cert_pem.size())));
    Owned<X509> cert(bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr);
    if (!cert) {
        ERR_clear_error();
        return make_error(
            "the text is not a PEM certificate (it should begin with -----BEGIN "
            "CERTIFICATE-----)",
            ErrorKind::invalid);
    }
    unsigned char* der = nullptr;
    int size = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(cert.get()), &der);
    if (size <= 0) return openssl_error("read the certificate's public key");
    std::string spki(reinterpret_cast<char*>(der), static_cast<std::size_t>(size));
    OPENSSL_free(der);
    return "sha256//" + base64_encode(sha256(spki));
}

Status save_tls_identity(const TlsIdentity& identity, const std::filesystem::path& dir) {
    if (auto key = write_file_atomic(dir / "manager-key.pem", identity.key_pem, 0600); !key) {
        return key;
    }
    return write_file_atomic(dir / "manager-cert.pem", identity.cert_pem, 0644);
}

}  // namespace spotfarm::util
