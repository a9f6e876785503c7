#pragma once
// Runs a check (checks.hpp) against the live site with libcurl, as a user
// reaches it: the system's resolver (or --resolve), TLS verified against
// the system's roots (or --cacert), onion names through a Tor SOCKS port.

#include <optional>
#include <string>
#include <vector>

#include "verify/checks.hpp"

namespace dcomm::verify {

struct ProbeOptions {
  std::string cacert;                ///< PEM file of trusted roots; empty: the system's
  std::vector<std::string> resolve;  ///< curl's HOST:PORT:ADDRESS, like --resolve
  std::string tor_socks;             ///< HOST:PORT of a Tor SOCKS port; empty: none
  long timeout_seconds = 10;
};

struct Outcome {
  enum class Status { ok, failed, skipped } status = Status::ok;
  std::string detail;  ///< what was seen: "200", "502 Bad Gateway", the TLS error
  std::string hint;    ///< for a failure: what to look at
};

/// Whether `check` can run with `options`: an onion needs a Tor SOCKS
/// port, or a --resolve entry for its name.
bool reachable(const Check& check, const ProbeOptions& options);

/// Runs `check` of site `site` (named in hints: its stack, its files).
Outcome probe(const Check& check, const ProbeOptions& options, const std::string& site);

}  // namespace dcomm::verify
