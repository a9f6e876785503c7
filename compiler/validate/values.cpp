#include "validate/values.hpp"

#include <fmt/format.h>

#include "validate/names.hpp"

namespace dcomm::validate {

namespace {

bool is_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

/// The first byte of `text` not allowed by `allowed`, as a Problem.
template <typename Allowed>
std::optional<Problem> first_disallowed(std::string_view text, Allowed allowed, std::string_view what,
                                        std::string_view help) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (!allowed(text[i])) {
      return Problem{fmt::format("{} contains {}", what, describe_char(text, i)), std::string(help), i,
                     i + char_length(text, i)};
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<Problem> check_name(std::string_view name) {
  // Swarm names <stack>_<service> must stay within 63 characters.
  constexpr std::size_t kMaxName = 24;
  if (name.empty()) return Problem{"name is empty", "write a name such as \"worker\"", 0, 0};
  if (name.size() > kMaxName) {
    return Problem{fmt::format("name is longer than {} characters", kMaxName),
                   "use a shorter name; it becomes part of swarm service and volume names", kMaxName,
                   name.size()};
  }
  if (!is_alnum(name[0]) || (name[0] >= 'A' && name[0] <= 'Z')) {
    return Problem{fmt::format("name starts with {}", describe_char(name, 0)),
                   "start it with a lower-case letter or a digit", 0, char_length(name, 0)};
  }
  return first_disallowed(
      name, [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'; },
      "name", "use lower-case letters, digits, '-' and '_' only: names become swarm service and volume names");
}

std::optional<Problem> check_env_name(std::string_view name) {
  if (name.empty()) return Problem{"variable name is empty", "write a name such as TZ", 0, 0};
  if (name[0] >= '0' && name[0] <= '9') {
    return Problem{"variable name starts with a digit", "start it with a letter or '_'", 0, 1};
  }
  return first_disallowed(
      name, [](char c) { return is_alnum(c) || c == '_'; }, "variable name",
      "use letters, digits and '_' only, as a shell would");
}

std::optional<Problem> check_subdomain(std::string_view label) {
  if (label.find('.') != std::string_view::npos) {
    return Problem{"a subdomain here is one label, without dots",
                   "write only the first part: \"matrix\" serves matrix.<domain>", 0, label.size()};
  }
  // The domain validator knows every rule of a label; give it a full name.
  const std::string name = std::string(label) + ".example.org";
  if (auto problem = check_domain(name)) {
    problem->begin = std::min(problem->begin, label.size());
    problem->end = std::min(std::max(problem->end, problem->begin + 1), std::max<std::size_t>(label.size(), 1));
    return problem;
  }
  return std::nullopt;
}

std::optional<Problem> check_path(std::string_view path) {
  if (!path.starts_with('/')) {
    return Problem{"path is not absolute", "start it with '/', e.g. \"/var/www/dcomms\"", 0,
                   path.empty() ? std::size_t{0} : std::size_t{1}};
  }
  if (path.find("/../") != std::string_view::npos || path.ends_with("/..")) {
    return Problem{"path climbs out with '..'", "write the folder's own absolute path", 0, path.size()};
  }
  return first_disallowed(
      path, [](char c) { return is_alnum(c) || std::string_view("/._-~*+%@").find(c) != std::string_view::npos; },
      "path", "use letters, digits and / . _ - ~ * + % @ only; no spaces, quotes or braces");
}

std::optional<Problem> check_label_key(std::string_view key) {
  if (key.empty()) return Problem{"label key is empty", "write a key such as dwebstackrole", 0, 0};
  return first_disallowed(
      key, [](char c) { return is_alnum(c) || c == '.' || c == '-' || c == '_'; }, "label key",
      "use letters, digits and . - _ only, e.g. dwebstackrole or com.example.role");
}

std::optional<Problem> check_label_value(std::string_view value) {
  if (value.empty()) return Problem{"label value is empty", "write a value such as \"bridge\"", 0, 0};
  return first_disallowed(
      value, [](char c) { return is_alnum(c) || std::string_view(".-_:/@").find(c) != std::string_view::npos; },
      "label value", "use letters, digits and . - _ : / @ only; no spaces, quotes or '=' (swarm's "
                     "placement constraints cannot hold them)");
}

}  // namespace dcomm::validate
