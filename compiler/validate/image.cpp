#include "validate/image.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>

namespace dcomm::validate {

namespace {

constexpr std::size_t kMaxName = 255;  // registry + '/' + path
constexpr std::size_t kMaxTag = 128;
const std::string kShape =
    "write it as [REGISTRY/]NAME[:TAG][@sha256:DIGEST], like 'matrixdotorg/synapse:v1.126.0'";
const std::string kDigestHelp =
    "write '@sha256:' and 64 lower-case hex digits, as `docker buildx imagetools inspect IMAGE` "
    "prints them";

bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool is_word(char c) { return is_lower(c) || is_upper(c) || is_digit(c) || c == '_'; }

/// A piece of the reference and where it starts in it.
struct Part {
  std::string_view text;
  std::size_t begin = 0;
  std::size_t end() const { return begin + text.size(); }
};

/// The reference cut at its delimiters, before any piece is checked.
struct Parts {
  std::optional<Part> registry;
  Part path;
  std::optional<Part> tag;     // after ':'
  std::optional<Part> digest;  // after '@'
};

bool names_registry(std::string_view first) {
  return first.find_first_of(".:[") != std::string_view::npos || first == "localhost" ||
         std::any_of(first.begin(), first.end(), is_upper);
}

Parts split_reference(std::string_view ref) {
  Parts parts;
  const std::size_t at = ref.find('@');
  if (at != std::string_view::npos) {
    parts.digest = Part{ref.substr(at + 1), at + 1};
    ref = ref.substr(0, at);
  }
  // A ':' after the last '/' starts the tag; one before it is a port.
  const std::size_t colon = ref.rfind(':');
  const std::size_t slash = ref.rfind('/');
  if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash)) {
    parts.tag = Part{ref.substr(colon + 1), colon + 1};
    ref = ref.substr(0, colon);
  }
  const std::size_t first_slash = ref.find('/');
  if (first_slash != std::string_view::npos && names_registry(ref.substr(0, first_slash))) {
    parts.registry = Part{ref.substr(0, first_slash), 0};
    parts.path = Part{ref.substr(first_slash + 1), first_slash + 1};
  } else {
    parts.path = Part{ref, 0};
  }
  return parts;
}

Problem problem_at(std::string message, std::string help, std::size_t at) {
  return Problem{std::move(message), std::move(help), at, at + 1};
}

std::optional<Problem> check_port(const Part& port) {
  const std::string help = "a registry port is a number from 1 to 65535, like 'localhost:5000'";
  if (port.text.empty()) {
    return Problem{"registry port after ':' is empty", help, port.begin - 1, port.begin};
  }
  for (std::size_t i = 0; i < port.text.size(); ++i) {
    if (!is_digit(port.text[i])) {
      return problem_at(fmt::format("registry port contains '{}'", port.text[i]), help,
                        port.begin + i);
    }
  }
  // distribution's grammar takes any digits; none above 65535 can connect.
  unsigned value = 0;
  const auto parsed = std::from_chars(port.text.data(), port.text.data() + port.text.size(), value);
  if (parsed.ec != std::errc{} || value < 1 || value > 65535) {
    return Problem{fmt::format("registry port {} is out of range", port.text), help, port.begin,
                   port.end()};
  }
  return std::nullopt;
}

std::optional<Problem> check_host_label(const Part& label) {
  const std::string help =
      "a registry name is a host name (letters, digits, '-' and '.') or an IP address, then an "
      "optional ':PORT'";
  if (label.text.empty()) {
    // Underline the dot beside the missing label.
    const std::size_t dot = label.begin == 0 ? 0 : label.begin - 1;
    return Problem{"registry name has an empty label", help, dot, dot + 1};
  }
  for (std::size_t i = 0; i < label.text.size(); ++i) {
    const char c = label.text[i];
    if (!is_lower(c) && !is_upper(c) && !is_digit(c) && c != '-') {
      return problem_at(fmt::format("registry name contains '{}'", c), help, label.begin + i);
    }
  }
  if (label.text.front() == '-' || label.text.back() == '-') {
    const std::size_t at = label.text.front() == '-' ? label.begin : label.end() - 1;
    return problem_at(fmt::format("registry label '{}' {} with '-'", label.text,
                                  label.text.front() == '-' ? "starts" : "ends"),
                      help, at);
  }
  return std::nullopt;
}

std::optional<Problem> check_registry(const Part& registry) {
  std::string_view host = registry.text;
  std::optional<Part> port;
  if (host.starts_with('[')) {
    const std::size_t close = host.find(']');
    const std::string help = "write an IPv6 registry as '[ADDRESS]:PORT', like '[::1]:5000'";
    if (close == std::string_view::npos) {
      return Problem{"registry's IPv6 address has no closing ']'", help, registry.begin,
                     registry.end()};
    }
    const std::string_view address = host.substr(1, close - 1);
    if (address.empty()) {
      return Problem{"registry's IPv6 address is empty", help, registry.begin, registry.begin + 2};
    }
    for (std::size_t i = 0; i < address.size(); ++i) {
      if (!is_hex(address[i]) && address[i] != ':') {
        return problem_at(fmt::format("registry's IPv6 address contains '{}'", address[i]), help,
                          registry.begin + 1 + i);
      }
    }
    if (close + 1 == host.size()) return std::nullopt;
    if (host[close + 1] != ':') {
      return problem_at(fmt::format("registry has '{}' after ']'", host[close + 1]), help,
                        registry.begin + close + 1);
    }
    return check_port({host.substr(close + 2), registry.begin + close + 2});
  }
  if (const std::size_t colon = host.find(':'); colon != std::string_view::npos) {
    if (colon == 0) {
      return problem_at("registry has no host name before ':'",
                        "write the registry's host name before the port, like 'localhost:5000'",
                        registry.begin);
    }
    port = Part{host.substr(colon + 1), registry.begin + colon + 1};
    host = host.substr(0, colon);
  }
  std::size_t begin = 0;
  while (true) {
    const std::size_t dot = std::min(host.find('.', begin), host.size());
    if (auto problem =
            check_host_label({host.substr(begin, dot - begin), registry.begin + begin})) {
      return problem;
    }
    if (dot == host.size()) break;
    begin = dot + 1;
  }
  if (port) return check_port(*port);
  return std::nullopt;
}

/// Separators between the alphanumeric runs of a path component.
bool is_separator(std::string_view run) {
  return run == "." || run == "_" || run == "__" ||
         std::all_of(run.begin(), run.end(), [](char c) { return c == '-'; });
}

std::optional<Problem> check_path_component(const Part& component, std::string_view path) {
  const std::string separators =
      "path components are lower-case letters and digits joined by '.', '_', '__' or dashes";
  if (component.text.empty()) {
    // Underline a '/' beside the missing component.
    const std::size_t slash = component.begin == 0 ? 0 : component.begin - 1;
    return problem_at("image name has an empty path component", "remove the extra '/'", slash);
  }
  for (std::size_t i = 0; i < component.text.size(); ++i) {
    const char c = component.text[i];
    if (is_upper(c)) {
      return problem_at(
          fmt::format("image name contains upper case '{}'", c),
          fmt::format("repository names are lower case: write '{}'", to_lower_ascii(path)),
          component.begin + i);
    }
    if (!is_lower(c) && !is_digit(c) && c != '.' && c != '_' && c != '-') {
      return problem_at(fmt::format("image name contains '{}'", c), separators,
                        component.begin + i);
    }
  }
  const std::string_view text = component.text;
  const auto alnum = [](char c) { return is_lower(c) || is_digit(c); };
  if (!alnum(text.front()) || !alnum(text.back())) {
    const bool front = !alnum(text.front());
    const std::size_t at = front ? component.begin : component.end() - 1;
    return problem_at(fmt::format("path component '{}' {} with '{}'", text,
                                  front ? "starts" : "ends", front ? text.front() : text.back()),
                      separators, at);
  }
  for (std::size_t i = 0; i < text.size();) {
    if (alnum(text[i])) {
      ++i;
      continue;
    }
    std::size_t run_end = i;
    while (!alnum(text[run_end])) ++run_end;  // the component ends alphanumeric
    if (!is_separator(text.substr(i, run_end - i))) {
      return Problem{
          fmt::format("path component '{}' joins with '{}'", text, text.substr(i, run_end - i)),
          separators, component.begin + i, component.begin + run_end};
    }
    i = run_end;
  }
  return std::nullopt;
}

std::optional<Problem> check_path(const Part& path) {
  std::size_t begin = 0;
  while (true) {
    const std::size_t slash = std::min(path.text.find('/', begin), path.text.size());
    const Part component{path.text.substr(begin, slash - begin), path.begin + begin};
    if (auto problem = check_path_component(component, path.text)) return problem;
    if (slash == path.text.size()) return std::nullopt;
    begin = slash + 1;
  }
}

std::optional<Problem> check_tag(const Part& tag) {
  const std::string help =
      "tags are letters, digits, '_', '.' and '-', and start with a letter, digit or '_'";
  if (tag.text.empty()) {
    return Problem{"tag after ':' is empty",
                   "write a tag after ':', like ':v1.126.0', or remove the ':'", tag.begin - 1,
                   tag.begin};
  }
  if (!is_word(tag.text.front())) {
    return problem_at(fmt::format("tag '{}' starts with '{}'", tag.text, tag.text.front()), help,
                      tag.begin);
  }
  for (std::size_t i = 0; i < tag.text.size(); ++i) {
    const char c = tag.text[i];
    if (!is_word(c) && c != '.' && c != '-') {
      return problem_at(fmt::format("tag contains '{}'", c), help, tag.begin + i);
    }
  }
  if (tag.text.size() > kMaxTag) {
    return Problem{
        fmt::format("tag is {} characters long; the limit is {}", tag.text.size(), kMaxTag),
        "use a shorter tag", tag.begin, tag.end()};
  }
  return std::nullopt;
}

struct Algorithm {
  std::string_view name;
  std::size_t hex_digits;
};
// The algorithms Docker's go-digest accepts.
constexpr std::array<Algorithm, 3> kAlgorithms{{{"sha256", 64}, {"sha384", 96}, {"sha512", 128}}};

std::optional<Problem> check_digest(const Part& digest) {
  if (digest.text.empty()) {
    return problem_at("digest after '@' is empty", kDigestHelp, digest.begin - 1);
  }
  const std::size_t colon = digest.text.find(':');
  if (colon == 0) {
    return problem_at("digest has no algorithm before ':'", kDigestHelp, digest.begin);
  }
  if (colon == std::string_view::npos) {
    return Problem{"digest after '@' has no algorithm", kDigestHelp, digest.begin, digest.end()};
  }
  const std::string_view name = digest.text.substr(0, colon);
  const auto* algorithm = std::find_if(kAlgorithms.begin(), kAlgorithms.end(),
                                       [&](const Algorithm& a) { return a.name == name; });
  if (algorithm == kAlgorithms.end()) {
    return Problem{fmt::format("digest algorithm '{}' is not supported", name), kDigestHelp,
                   digest.begin, digest.begin + colon};
  }
  const std::string_view hex = digest.text.substr(colon + 1);
  const std::size_t hex_begin = digest.begin + colon + 1;
  for (std::size_t i = 0; i < hex.size(); ++i) {
    if (!is_hex(hex[i])) {
      return problem_at(fmt::format("digest contains '{}', which is not a hex digit", hex[i]),
                        kDigestHelp, hex_begin + i);
    }
    if (is_upper(hex[i])) {
      return problem_at(fmt::format("digest contains upper case '{}'", hex[i]),
                        fmt::format("write it in lower case: '{}'", to_lower_ascii(digest.text)),
                        hex_begin + i);
    }
  }
  if (hex.size() != algorithm->hex_digits) {
    return Problem{fmt::format("{} digest has {} hex digits; it needs {}", name, hex.size(),
                               algorithm->hex_digits),
                   kDigestHelp, hex_begin, hex_begin + hex.size()};
  }
  return std::nullopt;
}

}  // namespace

std::optional<Problem> check_image_reference(std::string_view ref) {
  if (ref.empty()) return Problem{"image reference is empty", kShape, 0, 0};
  for (std::size_t i = 0; i < ref.size(); ++i) {
    const auto c = static_cast<unsigned char>(ref[i]);
    if (c <= ' ' || c >= 0x7F) {
      return Problem{fmt::format("image reference contains {}", describe_char(ref, i)), kShape, i,
                     i + char_length(ref, i)};
    }
  }
  const Parts parts = split_reference(ref);
  if (parts.digest) {
    if (const std::size_t at = parts.digest->text.find('@'); at != std::string_view::npos) {
      return problem_at("image reference has more than one '@'", kShape, parts.digest->begin + at);
    }
  }
  if (!parts.registry && parts.path.text.empty()) {
    return Problem{"image reference has no name", kShape, 0, std::min<std::size_t>(1, ref.size())};
  }
  if (parts.registry) {
    if (auto problem = check_registry(*parts.registry)) return problem;
  }
  if (auto problem = check_path(parts.path)) return problem;
  if (parts.path.end() > kMaxName) {
    return Problem{fmt::format("image name is {} characters long; the limit is {}",
                               parts.path.end(), kMaxName),
                   "use a shorter name", 0, parts.path.end()};
  }
  if (parts.tag) {
    if (auto problem = check_tag(*parts.tag)) return problem;
  }
  if (parts.digest) return check_digest(*parts.digest);
  return std::nullopt;
}

TagState tag_state(std::string_view ref) {
  const Parts parts = split_reference(ref);
  if (parts.digest) return TagState::pinned;
  if (!parts.tag) return TagState::untagged;
  return parts.tag->text == "latest" ? TagState::latest : TagState::pinned;
}

}  // namespace dcomm::validate
