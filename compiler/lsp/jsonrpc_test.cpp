// Content-Length framing: well-formed streams, odd but legal headers, and
// broken input that must be reported without losing the stream.

#include "lsp/jsonrpc.hpp"

#include <catch2/catch.hpp>
#include <sstream>

namespace dcomm::lsp {

TEST_CASE("lsp framing: reads consecutive messages", "[lsp]") {
  std::istringstream in("Content-Length: 2\r\n\r\n{}Content-Length: 7\r\n\r\n[1,2,3]");
  MessageReader reader(in);
  auto a = reader.read();
  REQUIRE(a.status == ReadResult::Status::message);
  CHECK(a.body == "{}");
  auto b = reader.read();
  REQUIRE(b.status == ReadResult::Status::message);
  CHECK(b.body == "[1,2,3]");
  CHECK(reader.read().status == ReadResult::Status::end);
}

TEST_CASE("lsp framing: other headers, any case, bare LF", "[lsp]") {
  std::istringstream in(
      "content-length:  5\nContent-Type: application/vscode-jsonrpc; charset=utf-8\n\nhello");
  MessageReader reader(in);
  auto a = reader.read();
  REQUIRE(a.status == ReadResult::Status::message);
  CHECK(a.body == "hello");
}

TEST_CASE("lsp framing: the length counts bytes, not characters", "[lsp]") {
  const std::string body = "{\"t\":\"\xc3\xa9\xf0\x9f\x98\x80\"}";  // é and an emoji
  std::istringstream in("Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body + "X");
  MessageReader reader(in);
  auto a = reader.read();
  REQUIRE(a.status == ReadResult::Status::message);
  CHECK(a.body == body);
}

TEST_CASE("lsp framing: broken headers are reported and the next message still reads", "[lsp]") {
  std::istringstream in(
      "Content-Type: x\r\n\r\n"            // no length
      "Content-Length: abc\r\n\r\n"        // not a number
      "Content-Length: 2\r\n\r\n{}");
  MessageReader reader(in);
  auto a = reader.read();
  CHECK(a.status == ReadResult::Status::bad_header);
  CHECK(a.error.find("Content-Length") != std::string::npos);
  auto b = reader.read();
  CHECK(b.status == ReadResult::Status::bad_header);
  auto c = reader.read();
  REQUIRE(c.status == ReadResult::Status::message);
  CHECK(c.body == "{}");
}

TEST_CASE("lsp framing: truncated input", "[lsp]") {
  std::istringstream body_cut("Content-Length: 10\r\n\r\n{}");
  CHECK(MessageReader(body_cut).read().status == ReadResult::Status::bad_header);
  std::istringstream header_cut("Content-Len");
  CHECK(MessageReader(header_cut).read().status == ReadResult::Status::bad_header);
  std::istringstream empty("");
  CHECK(MessageReader(empty).read().status == ReadResult::Status::end);
}

TEST_CASE("lsp framing: oversized bodies are skipped", "[lsp]") {
  std::istringstream in("Content-Length: 100\r\n\r\n" + std::string(100, 'x') + "Content-Length: 2\r\n\r\n{}");
  MessageReader reader(in, 50);
  CHECK(reader.read().status == ReadResult::Status::bad_header);
  auto b = reader.read();
  REQUIRE(b.status == ReadResult::Status::message);
  CHECK(b.body == "{}");
}

TEST_CASE("lsp framing: write_message frames the body", "[lsp]") {
  std::ostringstream out;
  write_message(out, "{\"a\":\"\xc3\xa9\"}");
  CHECK(out.str() == "Content-Length: 10\r\n\r\n{\"a\":\"\xc3\xa9\"}");
}

}  // namespace dcomm::lsp

TEST_CASE("lsp framing: nesting is counted outside strings, without parsing", "[lsp]") {
  using dcomm::lsp::json_nesting;
  CHECK(json_nesting(R"({"a": 1})", 64) == 1);
  CHECK(json_nesting(R"({"a": [1, {"b": []}]})", 64) == 4);
  CHECK(json_nesting(R"({"text": "[[[[{{{{ \" [[[ \\"})", 64) == 1);  // brackets in strings, escapes
  CHECK(json_nesting("", 64) == 0);
  CHECK(json_nesting("]]]}}}[", 64) == 1);  // unbalanced: the parser reports it
  // 300,000 levels: the scan stops just past the limit.
  const std::string deep = std::string(300000, '[') + std::string(300000, ']');
  CHECK(json_nesting(deep, 64) == 65);
}
