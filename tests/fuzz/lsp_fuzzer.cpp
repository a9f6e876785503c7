// libFuzzer target for the language server's message handling: what an
// editor (or anything on the other end of `dcommc lsp`'s pipe) can send.
// The input is either a raw byte stream through the real framing and the
// server loop, or, when it starts with "JSON\n", message bodies separated
// by lines of "---", each handed to the server as one framed message would
// be: that reaches the handlers (hover, completion, definition, formatting,
// didOpen/didChange with any text) with any params.
//
// The server must never crash, hang or trip a sanitizer, and must answer
// every request. It reads no file: imports are answered from memory (none
// exist), so an input naming /dev/stdin cannot make it read its own input.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>

#include "lsp/jsonrpc.hpp"
#include "lsp/server.hpp"

namespace {

dcomm::lsp::ServerOptions in_memory() {
  dcomm::lsp::ServerOptions options;
  options.load.read_import = [](const std::filesystem::path&, std::string& error) -> std::optional<std::string> {
    error = "the fuzzer reads no imports";
    return std::nullopt;
  };
  return options;
}

void as_stream(std::string_view input) {
  std::istringstream in{std::string(input)};
  std::ostringstream out;
  dcomm::lsp::serve(in, out, in_memory());
}

void as_messages(std::string_view input) {
  dcomm::lsp::Server server(in_memory());
  std::size_t at = 0;
  while (at <= input.size() && !server.exited()) {
    std::size_t end = input.find("\n---\n", at);
    if (end == std::string_view::npos) end = input.size();
    const std::string body(input.substr(at, end - at));
    const auto replies = server.handle(body);
    // Every reply must serialise, whatever the input held (invalid UTF-8 included).
    for (const auto& reply : replies) {
      (void)reply.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    }
    at = end + 5;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  constexpr std::string_view kMessages = "JSON\n";
  if (input.starts_with(kMessages)) {
    as_messages(input.substr(kMessages.size()));
  } else {
    as_stream(input);
  }
  return 0;
}
