#pragma once

#include <string_view>

namespace dcomm {

enum class Severity { error, warning };

std::string_view to_string(Severity severity);

}  // namespace dcomm
