#include "lsp/jsonrpc.hpp"

#include <algorithm>
#include <charconv>
#include <istream>
#include <ostream>

namespace dcomm::lsp {

namespace {

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return std::string(s);
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

}  // namespace

void MessageReader::skip(std::size_t length) {
  // In pieces, in bounded memory. (istream::ignore(n) on a pipe waited
  // for more input than n with GCC 12's libstdc++.)
  char buffer[65536];
  while (length > 0 && in_) {
    in_.read(buffer, static_cast<std::streamsize>(std::min(length, sizeof buffer)));
    length -= static_cast<std::size_t>(in_.gcount());
  }
}

ReadResult MessageReader::read() {
  std::optional<std::size_t> length;
  std::string error;
  bool saw_header = false;
  std::string line;
  constexpr std::size_t kMaxHeaderLine = 8192;
  while (true) {
    line.clear();
    // A header line, read by hand to bound its length.
    bool got_newline = false;
    int c;
    while ((c = in_.get()) != std::char_traits<char>::eof()) {
      if (c == '\n') {
        got_newline = true;
        break;
      }
      if (line.size() < kMaxHeaderLine) line.push_back(static_cast<char>(c));
    }
    if (!got_newline) {
      if (!saw_header && trim(line).empty()) return {ReadResult::Status::end, "", ""};
      return {ReadResult::Status::bad_header, "", "input ended inside the message headers"};
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) {
      if (!saw_header) continue;  // stray blank lines between messages
      break;
    }
    saw_header = true;
    const auto colon = line.find(':');
    if (colon == std::string::npos) {
      error = "header line without ':'";
      continue;
    }
    const std::string name = trim(std::string_view(line).substr(0, colon));
    const std::string value = trim(std::string_view(line).substr(colon + 1));
    if (iequals(name, "Content-Length")) {
      std::size_t n = 0;
      auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
      if (ec != std::errc{} || ptr != value.data() + value.size() || value.empty()) {
        error = "Content-Length is not a number: '" + value + "'";
      } else {
        length = n;
      }
    }
  }
  if (!length) {
    return {ReadResult::Status::bad_header, "", error.empty() ? "no Content-Length header" : error};
  }
  if (*length > max_body_) {
    skip(*length);
    return {ReadResult::Status::bad_header, "", "message larger than the limit"};
  }
  std::string body(*length, '\0');
  in_.read(body.data(), static_cast<std::streamsize>(*length));
  if (static_cast<std::size_t>(in_.gcount()) != *length) {
    return {ReadResult::Status::bad_header, "", "input ended inside a message body"};
  }
  return {ReadResult::Status::message, std::move(body), ""};
}

std::size_t json_nesting(std::string_view body, std::size_t limit) {
  std::size_t depth = 0;
  std::size_t deepest = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < body.size(); ++i) {
    const char c = body[i];
    if (in_string) {
      if (c == '\\') {
        ++i;  // the escaped character, whatever it is
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
      if (deepest > limit) return deepest;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

void write_message(std::ostream& out, const std::string& body) {
  out << "Content-Length: " << body.size() << "\r\n\r\n" << body;
  out.flush();
}

}  // namespace dcomm::lsp
