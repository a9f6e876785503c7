#pragma once
// What every request handler of the language server shares: its error
// type and the JSON shapes of positions, ranges and messages.

#include <cstdint>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "lsp/jsonrpc.hpp"
#include "lsp/positions.hpp"

namespace dcomm::lsp {

using nlohmann::json;

/// A request the server refuses, with the JSON-RPC error code to answer.
struct RpcError : std::runtime_error {
  int code;
  RpcError(int c, const std::string& message) : std::runtime_error(message), code(c) {}
};

json error_response(const json& id, int code, const std::string& message);

/// An LSP `uinteger` (0 to 2^31 - 1): anything else, a float or 2^64
/// included, is invalid params, never a conversion out of range.
std::uint32_t uinteger(const json& value);

/// A document's version, 0 when it is missing or not a whole number.
int version_of(const json& document);

json range_json(const LineIndex& index, std::uint32_t begin, std::uint32_t end);

/// The `position` of a request's params.
Position position_of(const json& params);

/// A notification (a message without an id).
json notification(const std::string& method, json params);

}  // namespace dcomm::lsp
