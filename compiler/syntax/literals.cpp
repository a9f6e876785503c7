#include "syntax/literals.hpp"

#include <array>
#include <charconv>
#include <limits>

#include "source/utf8.hpp"

namespace dcomm::syntax {

namespace {

constexpr std::string_view kUnitHelp =
    "sizes use K, M, G or T (powers of 1024, as Docker does): 512M; durations use ms, s, m, "
    "h, d or w: 999d; ports take /tcp or /udp: 28729/udp";

struct Unit {
  std::string_view suffix;
  Value::Kind kind;
  std::int64_t factor;
};

// Sizes are upper case and durations lower case, so 5M is 5 MiB and 5m
// five minutes, as in Docker's --memory and Go's durations.
constexpr std::array<Unit, 10> kUnits = {{
    {"K", Value::Kind::size, std::int64_t{1} << 10},
    {"M", Value::Kind::size, std::int64_t{1} << 20},
    {"G", Value::Kind::size, std::int64_t{1} << 30},
    {"T", Value::Kind::size, std::int64_t{1} << 40},
    {"ms", Value::Kind::duration, 1},
    {"s", Value::Kind::duration, 1'000},
    {"m", Value::Kind::duration, 60'000},
    {"h", Value::Kind::duration, 3'600'000},
    {"d", Value::Kind::duration, 86'400'000},
    {"w", Value::Kind::duration, 604'800'000},
}};

LiteralError error(Code code, std::string message, std::string label, std::string help,
                   std::size_t begin, std::size_t end) {
  return {code, std::move(message), std::move(label), std::move(help),
          static_cast<std::uint32_t>(begin), static_cast<std::uint32_t>(end)};
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::optional<LiteralError> decode_string(std::string_view token, std::string& out) {
  out.clear();
  std::string_view body = token.substr(1, token.size() - 2);
  for (std::size_t i = 0; i < body.size(); ++i) {
    if (body[i] != '\\') {
      out += body[i];
      continue;
    }
    const char code = body[++i];
    switch (code) {
      case 'n': out += '\n'; break;
      case 't': out += '\t'; break;
      case 'r': out += '\r'; break;
      case 'u': {
        const std::size_t open = i + 1;  // the '{'
        const std::size_t close = body.find('}', open);
        std::uint32_t cp = 0;
        std::from_chars(body.data() + open + 1, body.data() + close, cp, 16);
        if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
          return error("E0204", "\\u{...} does not name a Unicode character", "not a scalar value",
                       "use a code point from 0 to 10FFFF outside the surrogates D800-DFFF",
                       i, close + 2);
        }
        append_utf8(out, cp);
        i = close;
        break;
      }
      default: out += code; break;  // \" and \\ .
    }
  }
  return std::nullopt;
}

std::optional<LiteralError> decode_number(std::string_view token, Value& out) {
  const bool negative = token.front() == '-';
  const std::size_t digits_begin = negative ? 1 : 0;
  std::size_t digits_end = digits_begin;
  while (digits_end < token.size() && is_digit(token[digits_end])) ++digits_end;
  std::string_view digits = token.substr(digits_begin, digits_end - digits_begin);
  std::string_view suffix = token.substr(digits_end);

  if (suffix.starts_with('.') || suffix.find('.') != std::string_view::npos) {
    return error("E0225", "decimal numbers are not supported", "not a whole number",
                 "write a whole number in a smaller unit, for example 90m instead of 1.5h "
                 "or 1536M instead of 1.5G",
                 0, token.size());
  }
  if (digits.size() > 1 && digits.front() == '0') {
    return error("E0230", "a number cannot start with 0", "leading zero",
                 "numbers are always decimal, so write 7, not 007 (there are no octal numbers)", 0, token.size());
  }
  std::int64_t amount = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), amount);
  if (ec != std::errc{} || end != digits.data() + digits.size()) {
    return error("E0227", "number is too large", "does not fit in 64 bits",
                 "numbers range from -9223372036854775808 to 9223372036854775807", 0,
                 token.size());
  }

  if (suffix.empty()) {
    out.kind = Value::Kind::integer;
    out.number = negative ? -amount : amount;
    out.amount = out.number;
    return std::nullopt;
  }

  const std::size_t suffix_begin = digits_end;
  if (negative) {
    return error("E0231", "a size, duration or port cannot be negative", "negative quantity",
                 "remove the '-'", 0, 1);
  }

  if (suffix.front() == '/') {
    std::string_view protocol = suffix.substr(1);
    if (protocol != "tcp" && protocol != "udp") {
      return error("E0229", "unknown port protocol", "expected tcp or udp",
                   "write a port as NUMBER/tcp or NUMBER/udp, for example 28729/udp",
                   suffix_begin + 1, token.size());
    }
    if (amount < 1 || amount > 65535) {
      return error("E0228", "port number out of range", "ports are 1 to 65535",
                   "use a port from 1 to 65535", 0, digits_end);
    }
    out.kind = Value::Kind::port;
    out.number = amount;
    out.amount = amount;
    out.unit = std::string(protocol);
    return std::nullopt;
  }

  for (const Unit& unit : kUnits) {
    if (suffix != unit.suffix) continue;
    if (amount > std::numeric_limits<std::int64_t>::max() / unit.factor) {
      return error("E0227", "quantity is too large", "does not fit in 64 bits",
                   "use a smaller amount", 0, token.size());
    }
    out.kind = unit.kind;
    out.amount = amount;
    out.number = amount * unit.factor;
    out.unit = std::string(unit.suffix);
    return std::nullopt;
  }
  return error("E0226", "unknown unit '" + std::string(suffix) + "'", "unknown unit",
               std::string(kUnitHelp), suffix_begin, token.size());
}

}  // namespace dcomm::syntax
