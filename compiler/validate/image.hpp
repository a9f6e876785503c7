#pragma once
// Container image references as `docker stack deploy` reads them, checked
// by the grammar of distribution/reference so a typo fails at compile time
// rather than as "invalid reference format" during a deploy.

#include <optional>
#include <string_view>

#include "validate/problem.hpp"

namespace dcomm::validate {

/// [REGISTRY[:PORT]/]PATH[:TAG][@ALGORITHM:HEX]: the registry a host name
/// (upper case allowed), an IPv4 address or a bracketed IPv6 address;
/// path components [a-z0-9]+ joined by '.', '_', '__' or dashes; a tag of
/// 1-128 characters [A-Za-z0-9_.-] not starting with '.' or '-'; a digest
/// sha256 (64), sha384 (96) or sha512 (128) lower-case hex digits. The
/// first component is the registry when it has a '.', a ':', upper case or
/// is "localhost", as Docker decides.
std::optional<Problem> check_image_reference(std::string_view ref);

enum class TagState {
  pinned,    ///< a tag other than "latest", or a digest
  latest,    ///< ":latest"
  untagged,  ///< neither tag nor digest: Docker pulls "latest"
};

/// How reproducible a pull of `ref` is; "registry:5000/img" has no tag.
TagState tag_state(std::string_view ref);

}  // namespace dcomm::validate
