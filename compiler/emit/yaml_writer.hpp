#pragma once
// A small writer of block YAML, for artifacts written on every build of
// every site (stack.yml). yaml-cpp's emitter checks each scalar against a
// regex of YAML's plain-scalar rules, which cost ~1,300 instructions per
// character and three quarters of a fleet build (docs/performance.md);
// this writer decides with a byte table, appends to one string, and
// writes what yaml-cpp wrote for every value the stdlib produces.
//
// The caller renders each scalar: plain_or_quoted() for a string, quoted()
// for one that must stay a string however it reads, or literal text for
// numbers, booleans and `{}`.

#include <string>
#include <string_view>

namespace dcomm::emit::yaml {

/// True if a YAML reader could take the plain scalar for a number, bool or
/// null (YAML 1.1 readers take `yes`, `on`, `0x1F`, `1:20`).
bool looks_typed(std::string_view text);

/// `text` as a double-quoted scalar: `"`, `\` and every character YAML
/// does not print (controls, DEL, C1, U+2028/9, U+FEFF) escaped.
std::string quoted(std::string_view text);

/// `text` plain when that reads back as the same string, else quoted().
std::string plain_or_quoted(std::string_view text);

class Writer {
 public:
  /// `# line` for each line of `text`, at the current indentation.
  void comment(std::string_view text);
  /// `key: value` (value already rendered).
  void entry(std::string_view key, std::string_view value);
  /// `key:` and a block map under it, until end(); the key double-quoted
  /// if `quote_key`, else plain where it can be.
  void begin_map(std::string_view key, bool quote_key = false);
  /// `key:` and a block sequence under it, until end().
  void begin_seq(std::string_view key);
  /// `- value` in the open sequence (value already rendered).
  void item(std::string_view value);
  /// `- ` and a map as the next item of the open sequence, until end().
  void begin_item_map();
  void end();

  /// The document, ending in a newline.
  std::string take() { return std::move(text_); }

 private:
  void start_line();
  void key_colon(std::string_view key, bool quote_key = false);

  std::string text_;
  std::size_t indent_ = 0;
  bool item_pending_ = false;  ///< the next line starts a sequence item: "- "
};

}  // namespace dcomm::emit::yaml
