#include "lsp/completion_context.hpp"

#include <algorithm>
#include <regex>

namespace dcomm::lsp {

namespace {

bool name_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool name_char(char c) { return name_start(c) || (c >= '0' && c <= '9') || c == '-'; }

}  // namespace

std::vector<OpenBlock> open_blocks(std::string_view text, std::uint32_t offset) {
  struct Token {
    enum { name, string, equals, other } kind;
    std::string text;
  };
  std::vector<OpenBlock> stack;
  std::vector<Token> recent;  // tokens since the last brace
  std::uint32_t i = 0;
  const std::uint32_t end = std::min<std::uint32_t>(offset, static_cast<std::uint32_t>(text.size()));
  while (i < end) {
    const char c = text[i];
    if (c == '#') {
      while (i < end && text[i] != '\n') ++i;
    } else if (c == '"') {
      std::string s;
      ++i;
      while (i < end && text[i] != '"' && text[i] != '\n') {
        if (text[i] == '\\' && i + 1 < end) ++i;
        s.push_back(text[i++]);
      }
      ++i;
      recent.push_back({Token::string, s});
    } else if (name_start(c)) {
      const std::uint32_t start = i;
      while (i < end && name_char(text[i])) ++i;
      recent.push_back({Token::name, std::string(text.substr(start, i - start))});
    } else if (c == '{') {
      // NAME "label"... {  is a block; anything else (`= {`, `[{`) a map.
      OpenBlock block{.open = i};
      std::size_t j = recent.size();
      std::vector<std::string> labels;
      while (j > 0 && recent[j - 1].kind == Token::string) labels.insert(labels.begin(), recent[--j].text);
      const bool is_block = j > 0 && recent[j - 1].kind == Token::name &&
                            !(j > 1 && recent[j - 2].kind == Token::equals);
      if (is_block) {
        block.type = recent[j - 1].text;
        if (!labels.empty()) block.label = labels.front();
      }
      stack.push_back(block);
      recent.clear();
      ++i;
    } else if (c == '}') {
      if (!stack.empty()) stack.pop_back();
      recent.clear();
      ++i;
    } else if (c == '=') {
      recent.push_back({Token::equals, "="});
      ++i;
    } else if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      ++i;
    } else {
      recent.push_back({Token::other, std::string(1, c)});
      ++i;
    }
    if (recent.size() > 64) recent.erase(recent.begin(), recent.begin() + 32);
  }
  return stack;
}

/// `kind = X` written directly in the block opened at `open`.
std::optional<std::string> kind_in_text(std::string_view text, std::uint32_t open) {
  std::size_t close = text.find('}', open + 1);
  if (close == std::string_view::npos) close = text.size();
  const std::string body(text.substr(open + 1, close - open - 1));
  static const std::regex re(R"((?:^|[\s{])kind\s*=\s*([A-Za-z_][A-Za-z0-9_-]*))");
  std::smatch m;
  if (std::regex_search(body, m, re)) return m[1].str();
  return std::nullopt;
}

}  // namespace dcomm::lsp
