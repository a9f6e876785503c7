#pragma once
// What `dcommc verify` checks of a deployed site, worked out from the spec
// alone: each name the site answers to over HTTPS, the Matrix client and
// federation endpoints and the delegation files, Element's config.json,
// the mail ports with TLS, and the onion address. Planning needs no
// network (probe.hpp runs the checks), so it is tested on its own.

#include <string>
#include <vector>

#include "model/model.hpp"

namespace dcomm::verify {

struct Check {
  enum class Kind {
    page,        ///< GET url: any answer below 500
    json_field,  ///< GET url: JSON whose `field` ("a/b", keys may hold dots) is `expect`
    contains,    ///< GET url: 200 and the body holds `expect`
    starttls,    ///< smtp:// or imap:// url: the server upgrades to TLS
    tls,         ///< smtps:// or imaps:// url: TLS from the first byte
    greeting,    ///< smtp:// or imap:// url of a site without TLS: the server greets
  };
  Kind kind;
  std::string what;  ///< for people: "Matrix client API"
  std::string url;
  std::string field;   ///< json_field only
  std::string expect;  ///< json_field and contains
  std::string service;  ///< the stack's service behind it, for hints ("caddy", "synapse")
  bool onion = false;   ///< reached through Tor
};

/// Every check of `site`, in the order a user's client meets them.
std::vector<Check> plan_checks(const model::Federation& federation, const model::Site& site);

}  // namespace dcomm::verify
