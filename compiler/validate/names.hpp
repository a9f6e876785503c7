#pragma once
// Domain names and email addresses as a spec writes them: the site's
// domain (which becomes Synapse's server_name, Caddy's site addresses and
// the DNS records in dns.zone) and the ACME contact address.

#include <optional>
#include <string_view>

#include "validate/problem.hpp"

namespace dcomm::validate {

/// An RFC 1123 host name usable for DNS and TLS: lower-case labels of
/// 1-63 characters from [a-z0-9-], no hyphen at either end of a label, at
/// least two labels, 253 characters in all, no trailing dot, a top-level
/// label that is not all digits. Punycode ("xn--") labels are accepted;
/// other non-ASCII labels are not. Spans point at the offending label or
/// character.
std::optional<Problem> check_domain(std::string_view name);

/// An address for the ACME contact: LOCAL@DOMAIN, the local part 1-64
/// characters of RFC 5322's dot-atom (no quoted local parts), the domain
/// passing check_domain. Spans point into the address.
std::optional<Problem> check_email(std::string_view address);

}  // namespace dcomm::validate
