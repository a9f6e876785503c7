#include "emit/yaml_writer.hpp"

#include <array>
#include <fmt/format.h>

namespace dcomm::emit::yaml {

namespace {

constexpr bool ascii_alnum(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/// Bytes a plain scalar may hold here: a deliberately small set (no
/// indicator, quote, comment or flow character, nothing beyond ASCII), so
/// a plain scalar never needs YAML's context rules to read back.
constexpr std::array<bool, 256> kPlainByte = [] {
  std::array<bool, 256> table{};
  for (int c = 0; c < 256; ++c) table[c] = ascii_alnum(static_cast<unsigned char>(c));
  for (unsigned char c : std::string_view("._/:-+=@~ ")) table[c] = true;
  return table;
}();

constexpr bool plain_start(unsigned char c) { return ascii_alnum(c) || c == '.' || c == '/' || c == '_'; }

bool equals_lower(std::string_view text, std::string_view lower_word) {
  if (text.size() != lower_word.size()) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 'A' && c <= 'Z') c = static_cast<unsigned char>(c - 'A' + 'a');
    if (c != static_cast<unsigned char>(lower_word[i])) return false;
  }
  return true;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

/// The escape for the character starting at text[i] (its length in `size`),
/// or empty when it prints as itself.
std::string escape_at(std::string_view text, std::size_t i, std::size_t& size) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[i + k]); };
  const unsigned char c = byte(0);
  size = 1;
  switch (c) {
    case '"': return "\\\"";
    case '\\': return "\\\\";
    case '\n': return "\\n";
    case '\t': return "\\t";
    case '\r': return "\\r";
    default: break;
  }
  if (c < 0x20 || c == 0x7f) return fmt::format("\\x{:02x}", c);
  if (c == 0xc2 && i + 1 < text.size() && byte(1) >= 0x80 && byte(1) <= 0x9f) {  // C1 controls, NEL
    size = 2;
    return fmt::format("\\u{:04x}", byte(1));
  }
  if (i + 2 < text.size()) {
    const unsigned code = ((c & 0x0fu) << 12) | ((byte(1) & 0x3fu) << 6) | (byte(2) & 0x3fu);
    const bool line_break = c == 0xe2 && byte(1) == 0x80 && (byte(2) == 0xa8 || byte(2) == 0xa9);
    const bool special = c == 0xef && ((byte(1) == 0xbb && byte(2) == 0xbf) || (byte(1) == 0xbf && byte(2) >= 0xbe));
    if (line_break || special) {
      size = 3;
      return fmt::format("\\u{:04x}", code);
    }
  }
  return {};
}

}  // namespace

bool looks_typed(std::string_view text) {
  static constexpr std::string_view kWords[] = {"y",    "n",     "yes",  "no", "on",   "off",
                                                "true", "false", "null", "~",  ".inf", ".nan"};
  if (!text.empty() && (text[0] == '+' || text[0] == '-')) text.remove_prefix(1);  // -1, +.5, -.inf
  if (text.empty() || is_digit(text[0])) return true;
  if (text.size() > 1 && text[0] == '.' && is_digit(text[1])) return true;
  for (std::string_view word : kWords) {
    if (equals_lower(text, word)) return true;
  }
  return false;
}

std::string quoted(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out += '"';
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t size = 1;
    const std::string escape = escape_at(text, i, size);
    if (escape.empty()) {
      out += text[i];
    } else {
      out += escape;
    }
    i += size;
  }
  out += '"';
  return out;
}

std::string plain_or_quoted(std::string_view text) {
  bool plain = !text.empty() && plain_start(static_cast<unsigned char>(text.front())) && text.back() != ' ' &&
               text.back() != ':' && text.find(": ") == std::string_view::npos && !looks_typed(text);
  for (std::size_t i = 0; plain && i < text.size(); ++i) plain = kPlainByte[static_cast<unsigned char>(text[i])];
  return plain ? std::string(text) : quoted(text);
}

void Writer::start_line() {
  if (item_pending_) {
    text_.append(indent_ - 2, ' ');
    text_ += "- ";
    item_pending_ = false;
  } else {
    text_.append(indent_, ' ');
  }
}

void Writer::key_colon(std::string_view key, bool quote_key) {
  // YAML limits an implicit key to 1024 characters; a longer one must be
  // an explicit "? key" with its ":" on the next line.
  constexpr std::size_t kImplicitKeyMax = 1000;
  const std::string rendered = quote_key ? quoted(key) : plain_or_quoted(key);
  start_line();
  if (rendered.size() > kImplicitKeyMax) {
    text_ += "? ";
    text_ += rendered;
    text_ += '\n';
    text_.append(indent_, ' ');
  } else {
    text_ += rendered;
  }
  text_ += ':';
}

void Writer::comment(std::string_view text) {
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    start_line();
    text_ += "# ";
    text_ += text.substr(start, end - start);
    text_ += '\n';
    start = end + 1;
  }
}

void Writer::entry(std::string_view key, std::string_view value) {
  key_colon(key);
  text_ += ' ';
  text_ += value;
  text_ += '\n';
}

void Writer::begin_map(std::string_view key, bool quote_key) {
  key_colon(key, quote_key);
  text_ += '\n';
  indent_ += 2;
}

void Writer::begin_seq(std::string_view key) { begin_map(key); }

void Writer::item(std::string_view value) {
  start_line();
  text_ += "- ";
  text_ += value;
  text_ += '\n';
}

void Writer::begin_item_map() {
  indent_ += 2;
  item_pending_ = true;
}

void Writer::end() { indent_ -= 2; }

}  // namespace dcomm::emit::yaml
