#include "resolve/secrets.hpp"

#include <fmt/format.h>

#include <cctype>
#include <set>
#include <vector>

namespace dcomm::resolve {

/// Names that say "this is a secret". Secrets are generated into
/// out/<site>/secrets/, never written in a spec that lives in git.
/// Judged by whole words (split at '_', '-' and '.'), so `bypass_host` is
/// not a password but `admin_password` and `api_key` are.
bool looks_like_secret(const std::string& name) {
  static const std::set<std::string> secret_words = {"password", "passwd", "pass", "passphrase", "secret",
                                                     "token", "credential", "credentials", "apikey"};
  std::vector<std::string> words(1);
  for (char c : name) {
    if (c == '_' || c == '-' || c == '.') {
      words.emplace_back();
    } else {
      words.back() += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  // POSTGRES_PASSWORD_FILE names where a secret is, not the secret.
  static const std::set<std::string> pointer_words = {"file", "path", "dir", "name", "user"};
  if (pointer_words.count(words.back())) return false;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (secret_words.count(words[i])) return true;
    const bool paired_key = i + 1 < words.size() && words[i + 1] == "key";
    if (paired_key && (words[i] == "api" || words[i] == "private" || words[i] == "secret")) return true;
  }
  return false;
}

bool is_literal_secret(const syntax::Item& attribute) {
  return looks_like_secret(attribute.name) && attribute.value.kind == syntax::Value::Kind::string &&
         !attribute.value.text.empty();
}

void report_literal_secret(const std::string& name, Span value, Diagnostics& diags) {
  diags.report({.code = "E0410",
                .message = fmt::format("'{}' looks like a secret written into the spec", name),
                .primary = {value, "a secret in plain text"},
                .notes = {"specs live in git and are shared; a secret written here is a secret leaked"},
                .help = "remove it: dcommc generates secrets into out/<site>/secrets/ and never prints them"});
}

}  // namespace dcomm::resolve
