#pragma once
// The .dcomm grammar as PEGTL rules. Only recognition lives here: building
// the syntax tree is in compiler/syntax/parser.cpp (actions), and the
// message for every must<> point is in grammar/errors.hpp. docs/language.md
// gives the same grammar in EBNF; keep the two in step.
//
// Rules named after a mistake (colon_instead_of_equals, ...) are error
// productions: they recognise a common slip and raise a precise error.

#include <tao/pegtl.hpp>
#include <tao/pegtl/contrib/analyze_traits.hpp>

namespace dcomm::grammar {

using namespace tao::pegtl;

// ---------------------------------------------------------------- lexical

struct comment : seq<one<'#'>, star<not_one<'\n'>>> {};
struct blank : one<' ', '\t', '\r', '\n'> {};
/// Whitespace and comments between tokens; newlines carry no meaning.
struct sp : star<sor<blank, comment>> {};
/// Between '=' and its value: the value starts on the line of its '=', so
/// a forgotten value is reported where it is missing rather than taking
/// the next line's name as the value.
struct line_space : star<one<' ', '\t'>> {};

struct name_first : sor<alpha, one<'_'>> {};
struct name_rest : sor<alnum, one<'_', '-'>> {};
struct name : seq<name_first, star<name_rest>> {};

template <typename Word>
struct keyword : seq<Word, not_at<name_rest>> {};
struct kw_true : keyword<TAO_PEGTL_STRING("true")> {};
struct kw_false : keyword<TAO_PEGTL_STRING("false")> {};
struct kw_import : keyword<TAO_PEGTL_STRING("import")> {};

// ---------------------------------------------------------------- strings

struct unicode_open : one<'{'> {};
struct unicode_digits : rep_min_max<1, 6, xdigit> {};
struct unicode_close : one<'}'> {};
struct unicode_escape : seq<one<'u'>, must<unicode_open, unicode_digits, unicode_close>> {};
struct escape_code : sor<one<'"', '\\', 'n', 't', 'r'>, unicode_escape> {};
struct escape : seq<one<'\\'>, must<escape_code>> {};
struct string_char : sor<escape, not_one<'"', '\\', '\n', '\r'>> {};
struct string_close : one<'"'> {};
/// "text" on one line; escapes \" \\ \n \t \r \u{1F600}.
struct string_literal : seq<one<'"'>, star<string_char>, must<string_close>> {};

// ---------------------------------------------------------------- numbers

/// One token for every numeric literal: 42, -3, 512M, 999d, 28729/udp.
/// It deliberately swallows what a person might mistype (1.5h, 512k,
/// 70000/tcp) so the action can explain exactly what is wrong.
struct number : seq<opt<one<'-'>>, digit, star<sor<alnum, one<'_', '.'>>>,
                    opt<one<'/'>, star<alnum>>> {};

// ---------------------------------------------------------------- values

struct value;

struct list_open : one<'['> {};
struct list_first : seq<value> {};  // the first item, or nothing before ']'
struct list_item : seq<value> {};   // an item after ','
struct list_close : one<']'> {};
struct list_rest : star<one<','>, sp, sor<at<list_close>, must<list_item>>, sp> {};
struct list : seq<list_open, sp, sor<at<list_close>, seq<must<list_first>, sp, list_rest>>,
                  must<list_close>> {};

struct map_key_name : name {};
struct map_key : sor<string_literal, map_key_name> {};
struct map_equals : one<'='> {};
struct map_value : seq<value> {};
struct map_entry : seq<map_key, sp, must<map_equals>, line_space, must<map_value>> {};
struct map_open : one<'{'> {};
struct map_close : one<'}'> {};
struct map : seq<map_open, sp, star<map_entry, sp, opt<one<','>, sp>>, must<map_close>> {};

struct call_open : one<'('> {};
struct call_arg : seq<value> {};
struct call_close : one<')'> {};
struct call_args : seq<call_open, sp,
                       sor<at<call_close>,
                           seq<must<call_arg>, sp, star<one<','>, sp, must<call_arg>, sp>>>,
                       must<call_close>> {};

struct reference_head : name {};
struct reference_segment : name {};
/// node.worker, synapse, acme("ops@example.org")
struct reference : seq<reference_head, star<one<'.'>, must<reference_segment>>, opt<call_args>> {};

struct boolean : sor<kw_true, kw_false> {};

struct value : sor<string_literal, number, list, map, boolean, reference> {};

// ---------------------------------------------------------------- statements

struct statement_name : name {};

struct attribute_equals : one<'='> {};
struct attribute_value : seq<value> {};
struct attribute_tail : seq<attribute_equals, line_space, must<attribute_value>> {};

struct block_label : string_literal {};
/// site kyiv { : reported, then parsed as if quoted.
struct unquoted_label : seq<name, at<sp, one<'{', '"'>>> {};
struct any_label : sor<block_label, unquoted_label> {};
struct block_open : one<'{'> {};
struct block_close : one<'}'> {};
struct body_item;
struct block_body : star<not_at<block_close>, not_at<eof>, body_item, sp> {};
struct block_tail : seq<at<sor<one<'"', '{'>, unquoted_label>>, star<any_label, sp>,
                        must<block_open>, sp, block_body, must<block_close>> {};

/// domain: "x" : reported, then parsed as if it were '='.
struct colon_instead_of_equals : one<':'> {};
struct colon_attribute_tail : seq<colon_instead_of_equals, line_space, must<attribute_value>> {};

struct expected_equals_or_block : success {};

struct statement_tail : sor<attribute_tail, block_tail, colon_attribute_tail,
                            raise<expected_equals_or_block>> {};

/// `name = value` or `name "label"... { body }`.
struct statement : seq<statement_name, sp, statement_tail> {};

struct import_path : string_literal {};
struct import_statement : seq<kw_import, sp, must<import_path>> {};

// Error productions where a statement should start.
struct expected_statement : success {};  // the message depends on the character found
struct import_in_block : success {};

struct top_statement : sor<import_statement, statement, raise<expected_statement>> {};
struct body_statement : sor<seq<at<kw_import>, raise<import_in_block>>, statement,
                            raise<expected_statement>> {};

/// Error recovery: after a syntax error, skip the broken statement. The
/// statement ends at a line break outside brackets, or where a line starts
/// at or left of the statement's own indentation (a new statement, or the
/// '}' of the enclosing block) - so an unclosed bracket cannot swallow the
/// rest of the file. Strings and comments are stepped over. Always
/// consumes at least one byte; iterative, so hostile nesting cannot
/// overflow the stack.
struct skip_to_next_statement {
  using rule_t = skip_to_next_statement;
  using subs_t = empty_list;

  template <apply_mode, rewind_mode, template <typename...> class, template <typename...> class,
            typename ParseInput, typename... States>
  static bool match(ParseInput& in, States&&...) {
    if (in.empty()) return false;
    const std::size_t indent = indentation_before(in.begin(), in.current());
    std::size_t depth = 0;
    bool first = true;
    while (!in.empty()) {
      const char c = in.peek_char();
      if (c == '\n') {
        if (depth == 0 || ends_statement(in.current() + 1, in.end(), indent)) {
          in.bump(1);
          return true;
        }
      } else if (c == '}' && depth == 0 && !first) {
        return true;  // the enclosing block's '}'
      } else if (c == '"') {
        skip_string(in);
        continue;
      } else if (c == '#') {
        while (!in.empty() && in.peek_char() != '\n') in.bump(1);
        continue;
      } else if (c == '{' || c == '[' || c == '(') {
        ++depth;
      } else if ((c == '}' || c == ']' || c == ')') && depth > 0) {
        --depth;
      }
      in.bump(1);
      first = false;
    }
    return true;
  }

 private:
  static std::size_t indentation_before(const char* begin, const char* at) {
    const char* line = at;
    while (line > begin && line[-1] != '\n') --line;
    std::size_t indent = 0;
    while (line + indent < at && (line[indent] == ' ' || line[indent] == '\t')) ++indent;
    return indent;
  }

  /// Whether the line starting at `line` begins a new statement, judged by
  /// its indentation: closing brackets may line up with the statement.
  static bool ends_statement(const char* line, const char* end, std::size_t indent) {
    std::size_t column = 0;
    while (line + column < end && (line[column] == ' ' || line[column] == '\t')) ++column;
    if (line + column == end) return false;
    const char first = line[column];
    if (first == '\n' || first == '\r' || first == '#') return false;
    const bool closing = first == '}' || first == ']' || first == ')';
    return closing ? column < indent : column <= indent;
  }

  template <typename ParseInput>
  static void skip_string(ParseInput& in) {
    in.bump(1);
    while (!in.empty()) {
      const char c = in.peek_char();
      if (c == '\n') return;
      in.bump(c == '\\' && in.size(2) >= 2 ? 2 : 1);
      if (c == '"') return;
    }
  }
};

}  // namespace dcomm::grammar

/// For analyze<>(): the recovery rule behaves like `any`, it consumes at
/// least one byte whenever it succeeds.
template <typename Name>
struct tao::pegtl::analyze_traits<Name, dcomm::grammar::skip_to_next_statement>
    : analyze_any_traits<> {};

namespace dcomm::grammar {

template <typename Statement>
struct recoverable : sor<try_catch<Statement>, skip_to_next_statement> {};

struct body_item : recoverable<body_statement> {};
struct top_item : recoverable<top_statement> {};

struct file : seq<opt<utf8::bom>, sp, star<not_at<eof>, top_item, sp>, eof> {};

}  // namespace dcomm::grammar
