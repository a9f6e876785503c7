#include "validate/names.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "source/utf8.hpp"

namespace dcomm::validate {

namespace {

constexpr std::size_t kMaxLabel = 63;
constexpr std::size_t kMaxName = 253;
constexpr std::size_t kMaxLocalPart = 64;

bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_ascii(char c) { return static_cast<unsigned char>(c) < 0x80; }

bool all_digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), is_digit);
}

/// True when `text` can be quoted in a message as is: no control
/// characters (C0, DEL, C1), no malformed UTF-8.
bool quotable(std::string_view text) {
  return !find_control_character(text) && !find_invalid_utf8(text);
}

struct Label {
  std::string_view text;
  std::size_t begin = 0;  // offset in the whole name
  std::size_t end() const { return begin + text.size(); }
};

std::vector<Label> split_labels(std::string_view name) {
  std::vector<Label> labels;
  std::size_t begin = 0;
  while (true) {
    const std::size_t dot = name.find('.', begin);
    const std::size_t end = dot == std::string_view::npos ? name.size() : dot;
    labels.push_back({name.substr(begin, end - begin), begin});
    if (dot == std::string_view::npos) return labels;
    begin = dot + 1;
  }
}

/// The label that contains byte `at`, which is not a dot.
Label label_around(std::string_view name, std::size_t at) {
  const std::size_t dot_before = name.rfind('.', at);
  const std::size_t begin = dot_before == std::string_view::npos ? 0 : dot_before + 1;
  const std::size_t end = std::min(name.find('.', at), name.size());
  return {name.substr(begin, end - begin), begin};
}

/// Help for a character no host name may contain, aimed at the usual
/// slips: a URL or a host:port pasted whole, '_' for '-', a wildcard.
std::string domain_char_help(char c) {
  switch (c) {
    case '_':
      return "use '-' instead of '_': domain names allow only a-z, 0-9, '-' and '.'";
    case ':':
    case '/':
      return "write only the host name, without a scheme ('https://'), a port or a path";
    case '*':
      return "wildcards are not allowed; write each name in full";
    case '@':
      return "write only the domain, the part after '@'";
    default:
      return "domain names allow only a-z, 0-9, '-' and '.'";
  }
}

// Upper case is rejected although DNS ignores case: the domain is used
// verbatim in generated artifacts (Synapse's server_name, which is part of
// every Matrix ID; Caddy site addresses; dns.zone) and the checker compares
// names as strings (subdomain collisions, room directories), so one
// spelling per name keeps "Kyiv.org" and "kyiv.org" from being two sites.
std::optional<Problem> check_characters(std::string_view name) {
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    if (is_lower(c) || is_digit(c) || c == '-' || c == '.') continue;
    if (is_upper(c)) {
      return Problem{fmt::format("domain name contains upper case '{}'", c),
                     fmt::format("write it in lower case: '{}'", to_lower_ascii(name)), i, i + 1};
    }
    const Label label = label_around(name, i);
    if (!is_ascii(c)) {
      const std::string help =
          "write the label in its ASCII punycode form ('xn--...'); `idn2 NAME` prints it";
      if (!quotable(label.text)) {
        return Problem{fmt::format("domain name contains {}", describe_char(name, i)), help, i,
                       i + char_length(name, i)};
      }
      return Problem{fmt::format("label '{}' is not ASCII", label.text), help, label.begin,
                     label.end()};
    }
    // A URL, host:port or address pasted whole makes a confusing "label".
    const bool pasted = c == ':' || c == '/' || c == '@';
    const std::string what = quotable(label.text) && !pasted ? fmt::format("label '{}'", label.text)
                                                             : std::string("domain name");
    return Problem{fmt::format("{} contains {}", what, describe_char(name, i)), domain_char_help(c),
                   i, i + 1};
  }
  return std::nullopt;
}

/// One label of a name whose characters are already known to be [a-z0-9-].
std::optional<Problem> check_label(const Label& label) {
  const std::string_view text = label.text;
  if (text.empty()) {
    if (label.begin == 0) {
      return Problem{"domain name starts with '.'", "remove the leading dot", 0, 1};
    }
    return Problem{"domain name has an empty label ('..')", "remove the extra dot", label.begin - 1,
                   label.begin + 1};
  }
  if (text.size() > kMaxLabel) {
    return Problem{
        fmt::format("label is {} characters long; the limit is {}", text.size(), kMaxLabel),
        "shorten the label, or split it with '.'", label.begin, label.end()};
  }
  if (text.front() == '-' || text.back() == '-') {
    const std::size_t at = text.front() == '-' ? label.begin : label.end() - 1;
    return Problem{
        fmt::format("label '{}' {} with '-'", text, text.front() == '-' ? "starts" : "ends"),
        "labels start and end with a letter or digit; remove the '-'", at, at + 1};
  }
  // Labels with "--" in positions 3-4 are reserved for IDNA (RFC 5891
  // §4.2.3.1); certificate authorities refuse any but valid "xn--" ones.
  if (text.size() >= 4 && text.substr(2, 2) == "--" && !text.starts_with("xn--")) {
    return Problem{fmt::format("label '{}' has '--' in positions 3-4, which is reserved for "
                               "punycode ('xn--')",
                               text),
                   "use a single '-' there", label.begin + 2, label.begin + 4};
  }
  return std::nullopt;
}

}  // namespace

std::optional<Problem> check_domain(std::string_view name) {
  if (name.empty()) {
    return Problem{"domain name is empty", "write a name like 'kyiv.example.org'", 0, 0};
  }
  if (auto problem = check_characters(name)) return problem;
  if (name.size() > 1 && name.back() == '.' && name[name.size() - 2] != '.') {
    // An absolute name ("example.org.") is valid DNS, but Caddy, ACME and
    // Synapse's server_name all expect the name without the root dot.
    return Problem{"domain name ends with '.'",
                   fmt::format("remove the trailing dot: '{}'", name.substr(0, name.size() - 1)),
                   name.size() - 1, name.size()};
  }
  const std::vector<Label> labels = split_labels(name);
  for (const Label& label : labels) {
    if (auto problem = check_label(label)) return problem;
  }
  if (name.size() > kMaxName) {
    return Problem{
        fmt::format("domain name is {} characters long; the limit is {}", name.size(), kMaxName),
        "use a shorter name", 0, name.size()};
  }
  if (labels.size() == 4 && std::all_of(labels.begin(), labels.end(),
                                        [](const Label& l) { return all_digits(l.text); })) {
    return Problem{fmt::format("'{}' is an IP address, not a domain name", name),
                   "use a domain name whose A record points at this address", 0, name.size()};
  }
  // Single labels are rejected: no CA issues certificates for them and
  // neither federation nor mail can find them. Offline and test sites lose
  // nothing: ".internal" is reserved for private use and "*.localhost"
  // resolves to the loopback address.
  if (labels.size() == 1) {
    const std::string help =
        name == "localhost"
            ? "for a test site on this machine, write a name under it, like 'kyiv.localhost'"
            : fmt::format(
                  "use a name under a domain you control, like '{0}.example.org'; "
                  "offline and test sites can use '{0}.internal' or '{0}.localhost'",
                  name);
    return Problem{fmt::format("'{}' is a single label; a domain name needs at least two", name),
                   help, 0, name.size()};
  }
  const Label& top = labels.back();
  if (all_digits(top.text)) {
    return Problem{fmt::format("top-level label '{}' is all digits", top.text),
                   "a top-level domain is never numeric; check the end of the name", top.begin,
                   top.end()};
  }
  return std::nullopt;
}

namespace {

/// What a local part may hold besides dots: RFC 5322's atext without the
/// characters that mean something in a Caddyfile, a shell or YAML
/// (braces, quotes, '$', '`', '|', '#'). Real contact addresses never
/// need them.
bool is_atext(char c) {
  static constexpr std::string_view kSpecials = "%+-_=";
  return is_lower(c) || is_upper(c) || is_digit(c) || kSpecials.find(c) != std::string_view::npos;
}

std::string local_char_help(char c) {
  switch (c) {
    case '"':
      return "quoted local parts are not supported; write a plain address like 'ops@example.org'";
    case ' ':
    case '<':
    case '>':
      return "write only the address, without a display name or '<>'";
    case ':':
      return "write only the address, without 'mailto:'";
    default:
      return "the part before '@' allows letters, digits, '.' and !#$%&'*+-/=?^_`{|}~";
  }
}

std::optional<Problem> check_local_part(std::string_view local) {
  for (std::size_t i = 0; i < local.size(); ++i) {
    if (local[i] == '.' || is_atext(local[i])) continue;
    return Problem{fmt::format("the part before '@' contains {}", describe_char(local, i)),
                   local_char_help(local[i]), i, i + char_length(local, i)};
  }
  if (local.size() > kMaxLocalPart) {
    return Problem{fmt::format("the part before '@' is {} characters long; the limit is {}",
                               local.size(), kMaxLocalPart),
                   "use a shorter mailbox name", 0, local.size()};
  }
  const std::string dot_help =
      "remove the dot: the part before '@' cannot start or end with '.' or contain '..'";
  if (local.front() == '.') return Problem{"email address starts with '.'", dot_help, 0, 1};
  if (local.back() == '.') {
    return Problem{"the part before '@' ends with '.'", dot_help, local.size() - 1, local.size()};
  }
  if (const std::size_t at = local.find(".."); at != std::string_view::npos) {
    return Problem{"the part before '@' contains '..'", dot_help, at, at + 2};
  }
  return std::nullopt;
}

}  // namespace

std::optional<Problem> check_email(std::string_view address) {
  const std::string example = "write an address like 'ops@example.org'";
  if (address.empty()) return Problem{"email address is empty", example, 0, 0};
  const std::size_t at = address.find('@');
  if (at == std::string_view::npos) {
    return Problem{"email address has no '@'", example, 0, address.size()};
  }
  if (const std::size_t second = address.find('@', at + 1); second != std::string_view::npos) {
    return Problem{"email address has more than one '@'",
                   "write a plain address like 'ops@example.org'; quoted local parts are not "
                   "supported",
                   second, second + 1};
  }
  if (at == 0) return Problem{"email address has nothing before '@'", example, 0, 1};
  if (at + 1 == address.size()) {
    return Problem{"email address has nothing after '@'", example, at, at + 1};
  }
  if (auto problem = check_local_part(address.substr(0, at))) return problem;
  if (auto problem = check_domain(address.substr(at + 1))) {
    problem->begin += at + 1;
    problem->end += at + 1;
    return problem;
  }
  return std::nullopt;
}

}  // namespace dcomm::validate
