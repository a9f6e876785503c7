#pragma once
// Checks for values that land inside generated configs as names or paths:
// a subdomain label, a path, a swarm node label. Each allows only what
// cannot break the syntax of any file we write.

#include <optional>
#include <string_view>

#include "validate/problem.hpp"

namespace dcomm::validate {

/// The name of a site, node, service, kind, template or container: it
/// becomes part of swarm service, config and volume names and of paths.
std::optional<Problem> check_name(std::string_view name);

/// An environment variable name: [A-Za-z_][A-Za-z0-9_]*.
std::optional<Problem> check_env_name(std::string_view name);

/// One DNS label, as `host = "matrix"` (matrix.<domain>).
std::optional<Problem> check_subdomain(std::string_view label);

/// An absolute path: a folder on a node, or a URL path with * wildcards.
std::optional<Problem> check_path(std::string_view path);

/// A swarm node label key (`dwebstackdomain`, `com.example.role`).
std::optional<Problem> check_label_key(std::string_view key);

/// A swarm node label value, as it appears in a placement constraint.
std::optional<Problem> check_label_value(std::string_view value);

}  // namespace dcomm::validate
