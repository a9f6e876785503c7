#pragma once
// What postfix's, dovecot's and mailadm's files for one DeltaChat service
// share: the mail domain, where the TLS certificate is, and how the three
// containers reach each other. emit_mail (mail.cpp) works these out from
// the model; postfix.cpp and dovecot.cpp only render them.

#include <optional>
#include <string>

namespace dcomm::emit::mail {

/// Caddy's certificate for the mail domain, as the mail containers see it.
struct Certificate {
  std::string cert;  ///< full chain, PEM
  std::string key;   ///< private key, PEM
};

struct MailSetup {
  std::string domain;  ///< the site domain: mail domain and MX host name
  /// Absent with tls = off: there is no certificate to offer.
  std::optional<Certificate> tls;
  /// Where postfix reaches dovecot's LMTP and SASL listeners: 127.0.0.1
  /// on the host network, the dovecot container's name on an overlay.
  std::string dovecot_host;
  /// Where dovecot binds those two listeners: 127.0.0.1 on the host
  /// network (they must not face the Internet), every address on an
  /// overlay (the stack publishes only the IMAP ports).
  std::string internal_address;
};

/// Mail is stored here, one folder per domain and user.
inline constexpr const char* kVmailBase = "/home/vmail";
/// mailadm's data, shared by the three containers as a volume.
inline constexpr const char* kMailadmDir = "/var/lib/mailadm";
inline constexpr int kLmtpPort = 24;
inline constexpr int kSaslPort = 12345;
/// How often dovecot's start script looks for a renewed certificate.
inline constexpr int kCertificateCheckSeconds = 30;
/// Dovecot's SQL settings file, named by dovecot.conf.
inline constexpr const char* kDovecotSqlPath = "/etc/dovecot/dovecot-sql.conf.ext";

std::string postfix_main_cf(const MailSetup& setup);
std::string postfix_master_cf(const MailSetup& setup);
std::string dovecot_conf(const MailSetup& setup);
std::string dovecot_sql_conf(const MailSetup& setup);
/// The dovecot container's start script: reloads dovecot when Caddy
/// renews the certificate, then runs it in the foreground.
std::string dovecot_start(const MailSetup& setup);

}  // namespace dcomm::emit::mail
