#pragma once
// Secrets never belong in a spec: specs live in git and are shared. These
// helpers recognise a secret written in plain text, wherever the resolver
// meets one (a service attribute, a kind's env), and report it.

#include <string>

#include "diag/diagnostic.hpp"
#include "syntax/ast.hpp"

namespace dcomm::resolve {

/// Whether a name says "this holds a secret" (admin_password, api_key).
bool looks_like_secret(const std::string& name);

/// `name = "text"` where the name looks like a secret and the text is not empty.
bool is_literal_secret(const syntax::Item& attribute);

/// E0410 at the value.
void report_literal_secret(const std::string& name, Span value, Diagnostics& diags);

}  // namespace dcomm::resolve
