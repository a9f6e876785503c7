#pragma once
// The secrets of an output folder as one document, for `dcommc secrets
// seal` to encrypt (with age) and `unseal` to restore on another machine:
// every file under each site's secrets/ (generations.json included, so
// the swarm names come out the same) and the federation's root.key. The
// document is JSON: {"dcommc_secrets": 1, "files": [{"path", "base64"}]}.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dcomm::build {

/// The bundle of `out`'s secrets, or nullopt with `error` (a secret that
/// cannot be read, or none at all). `count` gets how many files it holds.
std::optional<std::string> pack_secrets(const std::filesystem::path& out, std::size_t& count, std::string& error);

/// Writes the files of `bundle` under `out`, each 0600 in folders 0700.
/// Nothing is written unless every path is one a bundle may hold and no
/// file there holds another value already. `written` gets the files
/// written, `same` those already as the bundle has them.
bool unpack_secrets(const std::filesystem::path& out, std::string_view bundle,
                    std::vector<std::filesystem::path>& written, std::vector<std::filesystem::path>& same,
                    std::string& error);

}  // namespace dcomm::build
