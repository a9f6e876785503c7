#include "syntax/ast.hpp"

#include <algorithm>

namespace dcomm::syntax {

const char* to_string(Value::Kind kind) {
  switch (kind) {
    case Value::Kind::string: return "string";
    case Value::Kind::integer: return "integer";
    case Value::Kind::boolean: return "bool";
    case Value::Kind::size: return "size";
    case Value::Kind::duration: return "duration";
    case Value::Kind::port: return "port";
    case Value::Kind::list: return "list";
    case Value::Kind::map: return "map";
    case Value::Kind::reference: return "reference";
    case Value::Kind::call: return "call";
  }
  return "value";
}

namespace {

bool same_meaning(const MapEntry& a, const MapEntry& b);
bool same_meaning(const Label& a, const Label& b) { return a.text == b.text; }

template <typename T>
bool same_each(const std::vector<T>& a, const std::vector<T>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](const T& x, const T& y) { return same_meaning(x, y); });
}

bool same_meaning(const MapEntry& a, const MapEntry& b) {
  return a.key == b.key && dcomm::syntax::same_meaning(a.value, b.value);
}

}  // namespace

bool same_meaning(const Value& a, const Value& b) {
  return a.kind == b.kind && a.text == b.text && a.number == b.number && a.amount == b.amount &&
         a.unit == b.unit && a.path == b.path && same_each(a.items, b.items) &&
         same_each(a.entries, b.entries);
}

bool same_meaning(const Item& a, const Item& b) {
  return a.kind == b.kind && a.name == b.name && same_each(a.labels, b.labels) &&
         same_meaning(a.value, b.value) && same_each(a.body, b.body);
}

bool same_meaning(const File& a, const File& b) { return same_each(a.items, b.items); }

}  // namespace dcomm::syntax
