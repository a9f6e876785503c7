// Byte offsets <-> LSP positions (0-based line, UTF-16 code units).

#include "lsp/positions.hpp"

#include <catch2/catch.hpp>

namespace dcomm::lsp {

TEST_CASE("lsp positions: ASCII lines", "[lsp]") {
  const std::string text = "ab\ncd\n";
  LineIndex index(text);
  CHECK(index.position(0) == Position{0, 0});
  CHECK(index.position(2) == Position{0, 2});
  CHECK(index.position(3) == Position{1, 0});
  CHECK(index.position(6) == Position{2, 0});
  CHECK(index.position(99) == Position{2, 0});  // clamped
  CHECK(index.offset({1, 1}) == 4);
  CHECK(index.offset({0, 50}) == 2);  // past the line end: its end
  CHECK(index.offset({9, 0}) == 6);
}

TEST_CASE("lsp positions: UTF-16 code units, not bytes or code points", "[lsp]") {
  // "é" is 2 bytes, 1 unit; "€" 3 bytes, 1 unit; "😀" 4 bytes, 2 units.
  const std::string text = "x = \"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\" y\n";
  LineIndex index(text);
  const std::uint32_t after_quote = 5;
  CHECK(index.position(after_quote) == Position{0, 5});
  CHECK(index.position(after_quote + 2) == Position{0, 6});   // after é
  CHECK(index.position(after_quote + 5) == Position{0, 7});   // after €
  CHECK(index.position(after_quote + 9) == Position{0, 9});   // after 😀: two units
  CHECK(index.position(after_quote + 11) == Position{0, 11}); // the space before y... and y
  for (std::uint32_t units : {0u, 5u, 6u, 7u, 9u, 10u, 11u}) {
    CHECK(index.position(index.offset({0, units})).character == units);
  }
  // In the middle of a surrogate pair: rounds up to after the emoji.
  CHECK(index.offset({0, 8}) == after_quote + 9);
  // Inside a UTF-8 sequence: the character is not reached yet.
  CHECK(index.position(after_quote + 1) == Position{0, 5});
}

TEST_CASE("lsp positions: CRLF and CR line endings", "[lsp]") {
  const std::string text = "a\r\nb\rc";
  LineIndex index(text);
  CHECK(index.line_count() == 3);
  CHECK(index.position(3) == Position{1, 0});
  CHECK(index.position(5) == Position{2, 0});
  CHECK(index.position(1) == Position{0, 1});
  CHECK(index.position(2) == Position{0, 1});  // between \r and \n: still the end of line 0
  CHECK(index.offset({0, 7}) == 1);
  CHECK(index.offset({2, 1}) == 6);
}

TEST_CASE("lsp positions: file URIs", "[lsp]") {
  CHECK(uri_to_path("file:///home/a/site.dcomm") == "/home/a/site.dcomm");
  CHECK(uri_to_path("file:///home/a%20b/%C3%A9.dcomm") == "/home/a b/\xc3\xa9.dcomm");
  CHECK(uri_to_path("file://localhost/tmp/x.dcomm") == "/tmp/x.dcomm");
  CHECK(uri_to_path("untitled:Untitled-1") == "untitled:Untitled-1");
  CHECK(uri_to_path("file:///bad%zz%2") == "/bad%zz%2");
  CHECK(path_to_uri("/home/a b/\xc3\xa9.dcomm") == "file:///home/a%20b/%C3%A9.dcomm");
  CHECK(uri_to_path(path_to_uri("/x/#y?z.dcomm")) == "/x/#y?z.dcomm");
}

}  // namespace dcomm::lsp
