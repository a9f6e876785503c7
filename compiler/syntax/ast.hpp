#pragma once
// The syntax tree of one .dcomm file, exactly as written: no imports are
// followed and no names resolved (that is compiler/resolve). Every node
// carries its Span; comments are kept in a side list so `dcommc fmt` can
// put them back.

#include <cstdint>
#include <string>
#include <vector>

#include "source/source_file.hpp"

namespace dcomm::syntax {

struct MapEntry;

struct Value {
  enum class Kind : std::uint8_t {
    string,     ///< text: the decoded contents
    integer,    ///< number
    boolean,    ///< number: 0 or 1
    size,       ///< number: bytes; unit: "K" "M" "G" "T"
    duration,   ///< number: milliseconds; unit: "ms" "s" "m" "h" "d" "w"
    port,       ///< number: 1..65535; unit: "tcp" or "udp"
    list,       ///< items
    map,        ///< entries
    reference,  ///< path: node.worker -> {"node", "worker"}
    call,       ///< path names the function, items are the arguments
  };

  Kind kind = Kind::integer;
  Span span;
  std::string text;
  std::int64_t number = 0;
  std::int64_t amount = 0;  ///< size/duration as written: 512 in 512M
  std::string unit;
  std::vector<std::string> path;
  std::vector<Value> items;
  std::vector<MapEntry> entries;
};

struct MapEntry {
  std::string key;
  Span key_span;
  bool key_quoted = false;
  Value value;
  Span span;
};

struct Label {
  std::string text;
  Span span;
};

/// A statement: `name = value`, `name "label"... { body }` or `import "path"`.
struct Item {
  enum class Kind : std::uint8_t { block, attribute, import };

  Kind kind = Kind::block;
  Span span;
  std::string name;  ///< attribute name or block type; "import" for imports
  Span name_span;
  std::vector<Label> labels;  ///< block labels
  Value value;                ///< attribute value; an import's path (a string)
  std::vector<Item> body;     ///< block body
  std::uint32_t body_open = 0;   ///< offset of a block's '{'
  std::uint32_t body_close = 0;  ///< offset of a block's '}'
};

struct Comment {
  Span span;  ///< from '#' to the end of the line
};

struct File {
  FileId file = 0;
  std::vector<Item> items;
  std::vector<Comment> comments;  ///< in source order
};

const char* to_string(Value::Kind kind);

/// Structural equality that ignores spans: the formatter must keep the
/// meaning of a file, and this is what "meaning" means.
bool same_meaning(const Value& a, const Value& b);
bool same_meaning(const Item& a, const Item& b);
bool same_meaning(const File& a, const File& b);

}  // namespace dcomm::syntax
