#include "lsp/protocol.hpp"

namespace dcomm::lsp {

json error_response(const json& id, int code, const std::string& message) {
  return {{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", code}, {"message", message}}}};
}

std::uint32_t uinteger(const json& value) {
  if (!value.is_number_integer() || value.get<std::int64_t>() < 0 || value.get<std::int64_t>() > 0x7FFFFFFF) {
    throw RpcError(error_code::invalid_params, "expected a whole number from 0 to 2147483647");
  }
  return static_cast<std::uint32_t>(value.get<std::int64_t>());
}

int version_of(const json& document) {
  const auto it = document.find("version");
  if (it == document.end() || !it->is_number_integer()) return 0;
  const std::int64_t version = it->get<std::int64_t>();
  return version >= 0 && version <= 0x7FFFFFFF ? static_cast<int>(version) : 0;
}

namespace {

json to_json(Position p) { return {{"line", p.line}, {"character", p.character}}; }

}  // namespace

json range_json(const LineIndex& index, std::uint32_t begin, std::uint32_t end) {
  return {{"start", to_json(index.position(begin))}, {"end", to_json(index.position(end))}};
}

Position position_of(const json& params) {
  const json& p = params.at("position");
  return {uinteger(p.at("line")), uinteger(p.at("character"))};
}

json notification(const std::string& method, json params) {
  return {{"jsonrpc", "2.0"}, {"method", method}, {"params", std::move(params)}};
}

}  // namespace dcomm::lsp
