#pragma once
// JSON-RPC 2.0 framing as the Language Server Protocol uses it: each
// message is `Content-Length: N\r\n` (other headers allowed and ignored),
// a blank line, then N bytes of UTF-8 JSON.

#include <cstddef>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>

namespace dcomm::lsp {

/// Standard JSON-RPC and LSP error codes.
namespace error_code {
inline constexpr int parse_error = -32700;
inline constexpr int invalid_request = -32600;
inline constexpr int method_not_found = -32601;
inline constexpr int invalid_params = -32602;
inline constexpr int internal_error = -32603;
inline constexpr int server_not_initialized = -32002;
}  // namespace error_code

struct ReadResult {
  enum class Status {
    message,    ///< `body` holds one message
    end,        ///< the input ended cleanly between messages
    bad_header  ///< headers without a usable Content-Length; the stream was resynchronised
  };
  Status status = Status::end;
  std::string body;
  std::string error;  ///< with bad_header: what was wrong
};

class MessageReader {
 public:
  /// Bodies larger than `max_body` are skipped (reported as bad_header),
  /// in bounded memory. 16 MiB: twice the largest spec (8 MiB), which
  /// JSON escaping can at most double.
  explicit MessageReader(std::istream& in, std::size_t max_body = 16u << 20)
      : in_(in), max_body_(max_body) {}

  ReadResult read();

 private:
  void skip(std::size_t length);

  std::istream& in_;
  std::size_t max_body_;
};

/// The deepest nesting of arrays and objects in `body`, counted by one
/// scan outside strings without parsing (and so without recursion), and
/// stopping once past `limit`: a message that nests deeper is refused
/// before any JSON library builds, copies or destroys it recursively.
std::size_t json_nesting(std::string_view body, std::size_t limit);

/// Writes one framed message and flushes.
void write_message(std::ostream& out, const std::string& body);

}  // namespace dcomm::lsp
