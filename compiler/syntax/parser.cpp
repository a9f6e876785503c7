#include "syntax/parser.hpp"

#include <fmt/format.h>

#include <limits>
#include <tao/pegtl.hpp>
#include <variant>

#include "grammar/dcomm.hpp"
#include "grammar/errors.hpp"
#include "source/utf8.hpp"
#include "syntax/literals.hpp"
#include "syntax/syntax_errors.hpp"

namespace dcomm::syntax {

namespace {

namespace g = dcomm::grammar;
namespace pegtl = tao::pegtl;

/// A node under construction. The root frame is an Item whose body
/// becomes the file's items.
using Frame = std::variant<Item, Value, MapEntry>;

class Builder {
 public:
  Builder(const SourceFile& source, FileId file, Diagnostics& diags, const ParseLimits& limits)
      : source_(source), file_(file), limits_(limits), errors_(source, file, diags, limits) {
    frames_.emplace_back(Item{});
  }

  SyntaxReporter& errors() { return errors_; }

  Span span(std::uint32_t begin, std::uint32_t end) const { return {file_, begin, end}; }
  std::string_view text() const { return source_.text(); }

  // ---- frames: opened by the control's start(), closed by success(),
  // dropped by failure() or unwind() so backtracking leaves no debris.

  template <typename Node>
  void open(Node node, std::uint32_t at) {
    if (frames_.size() > limits_.max_depth) errors_.too_deep(at);
    node.span.file = file_;
    node.span.begin = at;
    frames_.emplace_back(std::move(node));
  }

  void close(std::uint32_t at) {
    Frame done = std::move(frames_.back());
    frames_.pop_back();
    std::visit(
        [&](auto& node) {
          node.span.end = at;
          deliver(std::move(node));
        },
        done);
  }

  void drop() { frames_.pop_back(); }

  template <typename Node>
  Node& top() {
    return std::get<Node>(frames_.back());
  }

  void deliver(Value value) {
    std::visit(
        [&](auto& parent) {
          using P = std::decay_t<decltype(parent)>;
          if constexpr (std::is_same_v<P, Item>) {
            parent.value = std::move(value);
          } else if constexpr (std::is_same_v<P, Value>) {
            parent.items.push_back(std::move(value));
          } else if (parent.key_span.end == 0) {  // a quoted map key
            parent.key = std::move(value.text);
            parent.key_span = value.span;
            parent.key_quoted = true;
          } else {
            parent.value = std::move(value);
          }
        },
        frames_.back());
  }

  void deliver(MapEntry entry) { top<Value>().entries.push_back(std::move(entry)); }

  void deliver(Item item) {
    if (frames_.size() == 1 && item.kind == Item::Kind::attribute) {
      errors_.report({.code = "E0232",
              .message = fmt::format("attribute '{}' is outside every block", item.name),
              .primary = {item.name_span, "attributes belong inside a block"},
              .help = "move it into the site, node or service block it describes"});
    }
    top<Item>().body.push_back(std::move(item));
  }

  // ---- leaves

  void add_comment(std::uint32_t begin, std::uint32_t end) {
    // Backtracking can match the same comment twice; keep the first.
    if (!result_comments_.empty() && begin <= result_comments_.back().span.begin) return;
    result_comments_.push_back({span(begin, end)});
  }

  void string_token(std::uint32_t begin, std::string_view token, Value& out) {
    out.kind = Value::Kind::string;
    out.span = span(begin, begin + static_cast<std::uint32_t>(token.size()));
    if (auto error = decode_string(token, out.text)) errors_.literal_error(begin, *error);
  }

  void number_token(std::uint32_t begin, std::string_view token, Value& out) {
    out.span = span(begin, begin + static_cast<std::uint32_t>(token.size()));
    if (auto error = decode_number(token, out)) errors_.literal_error(begin, *error);
  }

  void note_string_start(std::uint32_t at) { string_start_ = at; }
  std::uint32_t string_start() const { return string_start_; }

  File finish() {
    File file;
    file.file = file_;
    file.items = std::move(std::get<Item>(frames_.front()).body);
    file.comments = std::move(result_comments_);
    return file;
  }

 private:
  const SourceFile& source_;
  FileId file_;
  const ParseLimits& limits_;
  SyntaxReporter errors_;
  std::vector<Frame> frames_;
  std::vector<Comment> result_comments_;
  std::uint32_t string_start_ = 0;
};

template <typename Input>
std::uint32_t offset(const Input& in) {
  return static_cast<std::uint32_t>(in.current() - in.begin());
}

// ---------------------------------------------------------------- control

/// The frame each node rule opens; void for rules that open none.
template <typename Rule> struct frame_for { using type = void; };
template <> struct frame_for<g::statement> { using type = Item; };
template <> struct frame_for<g::import_statement> { using type = Item; };
template <> struct frame_for<g::list> { using type = Value; };
template <> struct frame_for<g::map> { using type = Value; };
template <> struct frame_for<g::reference> { using type = Value; };
template <> struct frame_for<g::map_entry> { using type = MapEntry; };

template <typename Rule>
constexpr bool is_string_rule = std::is_same_v<Rule, g::string_literal> ||
                                std::is_same_v<Rule, g::block_label> ||
                                std::is_same_v<Rule, g::import_path>;

template <typename Rule>
constexpr bool is_closer = std::is_same_v<Rule, g::list_close> || std::is_same_v<Rule, g::map_close> ||
                           std::is_same_v<Rule, g::call_close>;

template <typename Rule>
constexpr bool is_item_in_brackets = std::is_same_v<Rule, g::list_first> ||
                                     std::is_same_v<Rule, g::list_item> ||
                                     std::is_same_v<Rule, g::call_arg>;

template <typename Rule>
using closer_of = std::conditional_t<std::is_same_v<Rule, g::call_arg>, g::call_close, g::list_close>;

/// Closing brackets that cannot end this bracket: finding one where an
/// item should be means the bracket was never closed.
template <typename Rule>
constexpr const char* foreign_closers = std::is_same_v<Rule, g::call_arg> ? "}]" : "})";

template <typename Rule>
struct Control : pegtl::normal<Rule> {
  using Node = typename frame_for<Rule>::type;

  template <typename Input>
  static void start(const Input& in, Builder& b) {
    if constexpr (is_string_rule<Rule>) b.note_string_start(offset(in));
    if constexpr (!std::is_void_v<Node>) b.open(initial(), offset(in));
  }

  template <typename Input>
  static void success(const Input& in, Builder& b) {
    if constexpr (!std::is_void_v<Node>) b.close(offset(in));
  }

  template <typename Input>
  static void failure(const Input&, Builder& b) {
    if constexpr (!std::is_void_v<Node>) b.drop();
  }

  template <typename Input>
  static void unwind(const Input&, Builder& b) {
    if constexpr (!std::is_void_v<Node>) b.drop();
  }

  template <typename Input>
  [[noreturn]] static void raise(const Input& in, Builder& b) {
    static_assert(g::error_for<Rule>.has_value(),
                  "every must<> point needs a message in grammar/errors.hpp");
    constexpr g::SyntaxError error = *g::error_for<Rule>;
    const std::uint32_t at = offset(in);
    SyntaxReporter& errors = b.errors();
    if constexpr (std::is_same_v<Rule, g::expected_statement>) {
      errors.unexpected_statement(at);
    } else if constexpr (std::is_same_v<Rule, g::escape_code>) {
      errors.bad_escape(error, at);
    } else if constexpr (std::is_same_v<Rule, g::string_close>) {
      errors.unterminated_string(error, b.string_start(), at);
    } else if constexpr (std::is_same_v<Rule, g::block_close>) {
      errors.unclosed_block(error, b.top<Item>());
    } else if constexpr (is_closer<Rule>) {
      errors.unclosed_value(error, at, b.top<Value>());
    } else if constexpr (is_item_in_brackets<Rule>) {
      // "[1," then a '}' or the end: the list was left open, not an item.
      if (in.empty() || std::string_view(foreign_closers<Rule>).find(in.peek_char()) != std::string_view::npos) {
        errors.unclosed_value(*g::error_for<closer_of<Rule>>, at, b.top<Value>());
      } else {
        errors.syntax_error(error, at);
      }
    } else {
      errors.syntax_error(error, at);
    }
    throw pegtl::parse_error(std::string(error.message), in);
  }

 private:
  static Node initial() {
    Node node{};
    if constexpr (std::is_same_v<Rule, g::list>) node.kind = Value::Kind::list;
    if constexpr (std::is_same_v<Rule, g::map>) node.kind = Value::Kind::map;
    if constexpr (std::is_same_v<Rule, g::reference>) node.kind = Value::Kind::reference;
    if constexpr (std::is_same_v<Rule, g::import_statement>) {
      node.kind = Item::Kind::import;
      node.name = "import";
    }
    return node;
  }
};

// ---------------------------------------------------------------- actions

template <typename Rule> struct Action {};

template <typename Input>
std::uint32_t begin_of(const Input& in) {
  return static_cast<std::uint32_t>(in.begin() - in.input().begin());
}

template <typename Input>
std::uint32_t end_of(const Input& in) {
  return begin_of(in) + static_cast<std::uint32_t>(in.size());
}

template <> struct Action<g::comment> {
  template <typename Input>
  static void apply(const Input& in, Builder& b) { b.add_comment(begin_of(in), end_of(in)); }
};

template <> struct Action<g::statement_name> {
  template <typename Input>
  static void apply(const Input& in, Builder& b) {
    Item& item = b.top<Item>();
    item.name = in.string();
    item.name_span = b.span(begin_of(in), end_of(in));
  }
};

template <> struct Action<g::kw_import> {
  template <typename Input>
  static void apply(const Input& in, Builder& b) {
    b.top<Item>().name_span = b.span(begin_of(in), end_of(in));
  }
};

template <> struct Action<g::attribute_equals> {
  template <typename Input>
  static void apply(const Input&, Builder& b) { b.top<Item>().kind = Item::Kind::attribute; }
};

template <> struct Action<g::colon_instead_of_equals> {
  template <typename Input>
  static void apply(const Input& in, Builder& b) {
    b.top<Item>().kind = Item::Kind::attribute;
    b.errors().recovered(*g::error_for<g::colon_instead_of_equals>, begin_of(in), end_of(in), " =");
  }
};

template <> struct Action<g::unquoted_label> {
  template <typename Input>
  static void apply(const Input& in, Builder& b) {
    b.top<Item>().labels.push_back({in.string(), b.span(begin_of(in), end_of(in))});
    b.errors().recovered(*g::error_for<g::unquoted_label>, begin_of(in), end_of(in),
                "\"" + in.string() + "\"");
  }
};

template <> struct Action<g::block_open> {
  template <typename Input>
  static void apply(const Input& in, Builder& b) { b.top<Item>().body_open = begin_of(in); }
};

template <> struct Action<g::block_close> {
  template <typename Input>
  static void apply(const Input& in, Builder& b) { b.top<Item>().body_close = begin_of(in); }
};

template <> struct Action<g::string_literal> {
  template <typename Input>
  static void apply(const Input& in, Builder& b) {
    Value value;
    b.string_token(begin_of(in), in.string_view(), value);
    b.deliver(std::move(value));
  }
};

template <> struct Action<g::block_label> {
  template <typename Input>
  static void apply(const Input& in, Builder& b) {
    Value value;
    b.string_token(begin_of(in), in.string_view(), value);
    b.top<Item>().labels.push_back({std::move(value.text), value.span});
  }
};

template <> struct Action<g::import_path> : Action<g::string_literal> {};

template <> struct Action<g::number> {
  template <typename Input>
  static void apply(const Input& in, Builder& b) {
    Value value;
    b.number_token(begin_of(in), in.string_view(), value);
    b.deliver(std::move(value));
  }
};

template <> struct Action<g::boolean> {
  template <typename Input>
  static void apply(const Input& in, Builder& b) {
    Value value;
    value.kind = Value::Kind::boolean;
    value.number = in.string_view() == "true" ? 1 : 0;
    value.span = b.span(begin_of(in), end_of(in));
    b.deliver(std::move(value));
  }
};

template <> struct Action<g::map_key_name> {
  template <typename Input>
  static void apply(const Input& in, Builder& b) {
    MapEntry& entry = b.top<MapEntry>();
    entry.key = in.string();
    entry.key_span = b.span(begin_of(in), end_of(in));
  }
};

template <> struct Action<g::reference_head> {
  template <typename Input>
  static void apply(const Input& in, Builder& b) { b.top<Value>().path.push_back(in.string()); }
};

template <> struct Action<g::reference_segment> : Action<g::reference_head> {};

template <> struct Action<g::call_open> {
  template <typename Input>
  static void apply(const Input&, Builder& b) { b.top<Value>().kind = Value::Kind::call; }
};

}  // namespace

File parse(const SourceMap& sources, FileId file, Diagnostics& diags, const ParseLimits& limits) {
  const SourceFile& source = sources.file(file);
  const std::string& text = source.text();
  const std::size_t errors_before = diags.error_count();
  Builder builder(source, file, diags, limits);
  try {
    if (!builder.errors().check_input()) return {.file = file};
  } catch (const StopParsing&) {
    return {.file = file};
  }
  pegtl::memory_input<pegtl::tracking_mode::lazy> in(text.data(), text.size(), source.name());
  try {
    pegtl::parse<g::file, Action, Control>(in, builder);
  } catch (const StopParsing&) {
    return builder.finish();
  }
  File result = builder.finish();
  if (result.items.empty() && diags.error_count() == errors_before) {
    Diagnostic empty{.code = "E0105", .message = "this file declares nothing"};
    empty.primary = dcomm::Label{Span{file, 0, 0}, "empty"};
    empty.help = "declare a site: site \"name\" { domain = \"example.org\" }";
    diags.report(std::move(empty));
  }
  return result;
}

}  // namespace dcomm::syntax
