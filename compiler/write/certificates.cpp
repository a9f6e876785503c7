#include "write/certificates.hpp"

#include <openssl/bio.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <stdexcept>

namespace dcomm::build {

namespace {

constexpr long kDay = 24L * 60 * 60;
constexpr long kRootDays = 20 * 365 + 5;
constexpr long kIntermediateDays = 10 * 365 + 2;
/// Certificates start an hour early: clocks across a federation differ.
constexpr long kClockSkew = 60 * 60;

struct Free {
  void operator()(BIO* p) const { BIO_free(p); }
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
  void operator()(X509* p) const { X509_free(p); }
  void operator()(NAME_CONSTRAINTS* p) const { NAME_CONSTRAINTS_free(p); }
  void operator()(BIGNUM* p) const { BN_free(p); }
};
template <typename T>
using Owned = std::unique_ptr<T, Free>;

[[noreturn]] void fail(const std::string& what) { throw std::runtime_error("OpenSSL could not " + what); }

Owned<BIO> reader(const std::string& pem) {
  Owned<BIO> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) fail("allocate a buffer");
  return bio;
}

Owned<EVP_PKEY> read_key(const std::string& pem) {
  auto bio = reader(pem);
  return Owned<EVP_PKEY>(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
}

Owned<X509> read_certificate(const std::string& pem) {
  auto bio = reader(pem);
  return Owned<X509>(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
}

std::string text_of(BIO* bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(size));
}

std::string certificate_pem(X509* cert) {
  Owned<BIO> bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509(bio.get(), cert) != 1) fail("write a certificate");
  return text_of(bio.get());
}

void add_extension(X509* cert, X509V3_CTX& ctx, int nid, const char* value) {
  X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (!extension) fail(std::string("make the extension ") + OBJ_nid2sn(nid) + " = " + value);
  const int added = X509_add_ext(cert, extension, -1);
  X509_EXTENSION_free(extension);
  if (added != 1) fail("add an extension");
}

/// A version 3 certificate for `key`, with a random serial number and a
/// validity of `days`, its subject's common name set; not yet signed.
Owned<X509> new_certificate(EVP_PKEY* key, std::string_view common_name, long days) {
  Owned<X509> cert(X509_new());
  if (!cert || X509_set_version(cert.get(), 2) != 1) fail("make a certificate");
  unsigned char serial[16];
  if (RAND_bytes(serial, sizeof serial) != 1) fail("draw a serial number");
  serial[0] &= 0x7f;  // positive, as RFC 5280 asks
  Owned<BIGNUM> number(BN_bin2bn(serial, sizeof serial, nullptr));
  if (!number || !BN_to_ASN1_INTEGER(number.get(), X509_get_serialNumber(cert.get()))) fail("set a serial number");
  if (!X509_gmtime_adj(X509_getm_notBefore(cert.get()), -kClockSkew) ||
      !X509_gmtime_adj(X509_getm_notAfter(cert.get()), days * kDay)) {
    fail("set a validity period");
  }
  X509_NAME* subject = X509_get_subject_name(cert.get());
  const std::string name(common_name);
  if (X509_NAME_add_entry_by_txt(subject, "O", MBSTRING_UTF8,
                                 reinterpret_cast<const unsigned char*>("dcomm federation"), -1, -1, 0) != 1 ||
      X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(name.c_str()),
                                 -1, -1, 0) != 1 ||
      X509_set_pubkey(cert.get(), key) != 1) {
    fail("name a certificate");
  }
  return cert;
}

void sign(X509* cert, EVP_PKEY* issuer_key) {
  if (X509_sign(cert, issuer_key, EVP_sha256()) <= 0) fail("sign a certificate");
}

}  // namespace

std::string new_private_key() {
  Owned<EVP_PKEY> key(EVP_EC_gen("P-256"));
  if (!key) fail("generate a P-256 key");
  Owned<BIO> bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    fail("write a private key");
  }
  return text_of(bio.get());
}

std::string new_root_certificate(const std::string& key_pem, std::string_view common_name) {
  auto key = read_key(key_pem);
  if (!key) fail("read the root's private key");
  auto cert = new_certificate(key.get(), common_name, kRootDays);
  if (X509_set_issuer_name(cert.get(), X509_get_subject_name(cert.get())) != 1) fail("name the issuer");
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, cert.get(), cert.get(), nullptr, nullptr, 0);
  add_extension(cert.get(), ctx, NID_basic_constraints, "critical,CA:TRUE");
  add_extension(cert.get(), ctx, NID_key_usage, "critical,keyCertSign,cRLSign");
  add_extension(cert.get(), ctx, NID_subject_key_identifier, "hash");
  sign(cert.get(), key.get());
  return certificate_pem(cert.get());
}

std::string issue_intermediate(const std::string& root_key_pem, const std::string& root_cert_pem,
                               const std::string& key_pem, std::string_view domain) {
  auto root_key = read_key(root_key_pem);
  auto root = read_certificate(root_cert_pem);
  auto key = read_key(key_pem);
  if (!root_key || !root || !key) fail("read the federation's root or the site's intermediate key");
  auto cert = new_certificate(key.get(), std::string(domain) + " (intermediate)", kIntermediateDays);
  if (X509_set_issuer_name(cert.get(), X509_get_subject_name(root.get())) != 1) fail("name the issuer");
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, root.get(), cert.get(), nullptr, nullptr, 0);
  add_extension(cert.get(), ctx, NID_basic_constraints, "critical,CA:TRUE,pathlen:0");
  add_extension(cert.get(), ctx, NID_key_usage, "critical,digitalSignature,keyCertSign,cRLSign");
  add_extension(cert.get(), ctx, NID_subject_key_identifier, "hash");
  add_extension(cert.get(), ctx, NID_authority_key_identifier, "keyid:always");
  // RFC 5280: a DNS constraint admits the name and every name under it.
  const std::string constraint = "critical,permitted;DNS:" + std::string(domain);
  add_extension(cert.get(), ctx, NID_name_constraints, constraint.c_str());
  sign(cert.get(), root_key.get());
  return certificate_pem(cert.get());
}

std::string certificate_in(const std::string& pem) {
  auto cert = read_certificate(pem);  // PEM_read skips blocks of other types
  return cert ? certificate_pem(cert.get()) : "";
}

bool key_matches(const std::string& key_pem, const std::string& cert_pem) {
  auto key = read_key(key_pem);
  auto cert = read_certificate(cert_pem);
  return key && cert && X509_check_private_key(cert.get(), key.get()) == 1;
}

bool is_intermediate_for(const std::string& cert_pem, const std::string& key_pem, const std::string& root_cert_pem,
                         std::string_view domain) {
  auto cert = read_certificate(cert_pem);
  auto root = read_certificate(root_cert_pem);
  auto key = read_key(key_pem);
  if (!cert || !root || !key) return false;
  EVP_PKEY* root_public = X509_get0_pubkey(root.get());
  if (!root_public || X509_verify(cert.get(), root_public) != 1) return false;
  if (X509_check_private_key(cert.get(), key.get()) != 1) return false;
  Owned<NAME_CONSTRAINTS> constraints(
      static_cast<NAME_CONSTRAINTS*>(X509_get_ext_d2i(cert.get(), NID_name_constraints, nullptr, nullptr)));
  if (!constraints || sk_GENERAL_SUBTREE_num(constraints->permittedSubtrees) != 1) return false;
  const GENERAL_SUBTREE* subtree = sk_GENERAL_SUBTREE_value(constraints->permittedSubtrees, 0);
  if (subtree->base->type != GEN_DNS) return false;
  const ASN1_IA5STRING* name = subtree->base->d.dNSName;
  return std::string_view(reinterpret_cast<const char*>(name->data), static_cast<std::size_t>(name->length)) ==
         domain;
}

}  // namespace dcomm::build
