// The canonical layout: golden outputs for each rule, and the three
// promises of `dcommc fmt` (idempotent, meaning kept, every comment kept)
// over tricky hand-written inputs, random inputs and every spec in the tree.

#include "format/formatter.hpp"

#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "syntax/parser.hpp"

namespace dcomm::format {

namespace {

struct Parsed {
  SourceMap sources;
  Diagnostics diags;
  syntax::File file;

  explicit Parsed(std::string text) {
    const FileId id = sources.add("test.dcomm", std::move(text));
    file = syntax::parse(sources, id, diags);
  }

  const SourceFile& source() const { return sources.file(file.file); }

  /// The comments as the formatter promises to keep them: in order, with
  /// trailing whitespace dropped.
  std::vector<std::string> comment_texts() const {
    std::vector<std::string> texts;
    for (const syntax::Comment& comment : file.comments) {
      std::string text =
          source().text().substr(comment.span.begin, comment.span.end - comment.span.begin);
      text.erase(text.find_last_not_of(" \t\r") + 1);
      texts.push_back(text);
    }
    return texts;
  }

  std::string error_codes() const {
    std::string codes;
    for (const auto& d : diags.all()) codes += fmt::format("{} {}\n", d.code, d.message);
    return codes;
  }
};

/// Formats `text` and checks the promises: the result parses, has the same
/// meaning and comments, and formats to itself. Returns the result.
std::string check_promises(const std::string& text) {
  const Parsed before(text);
  INFO("input:\n" << text);
  REQUIRE(before.error_codes().empty());
  const std::string formatted = format_file(before.file, before.source());
  INFO("formatted:\n" << formatted);
  const Parsed after(formatted);
  REQUIRE(after.error_codes().empty());
  CHECK(syntax::same_meaning(before.file, after.file));
  CHECK(before.comment_texts() == after.comment_texts());
  CHECK(format_file(after.file, after.source()) == formatted);
  return formatted;
}

}  // namespace

TEST_CASE("formatter: golden layout of the brief's site") {
  const std::string input = R"(site "kyiv" {
  domain = "kyiv.dcomm.net.ua"
  onion  = "abc.onion"      # optional Tor v3 address
  tls    = acme("ops@dcomm.net.ua")       # or internal (offline CA) or off (onion-only)

  node "worker" { labels = { dwebstackdomain = "kyiv.dcomm.net.ua" } }
  node "bridge" { labels = { dwebstackrole = "bridge" } }

  service "synapse" { kind = synapse  host = "matrix"  on = node.worker
                      registration = token  federation = true }
  service "element" { kind = element  host = "chat"  homeserver = service.synapse }
})";
  CHECK(check_promises(input) == R"(site "kyiv" {
  domain = "kyiv.dcomm.net.ua"
  onion  = "abc.onion"  # optional Tor v3 address
  tls    = acme("ops@dcomm.net.ua")  # or internal (offline CA) or off (onion-only)

  node "worker" {
    labels = { dwebstackdomain = "kyiv.dcomm.net.ua" }
  }
  node "bridge" {
    labels = { dwebstackrole = "bridge" }
  }

  service "synapse" {
    kind         = synapse
    host         = "matrix"
    on           = node.worker
    registration = token
    federation   = true
  }
  service "element" {
    kind       = element
    host       = "chat"
    homeserver = service.synapse
  }
}
)");
}

TEST_CASE("formatter: '=' aligns in runs that blank lines, blocks and multi-line values break") {
  // Two statements on a line are two lines of one run.
  const std::string input = R"(s {
  a = 1  bbb = 2
  # a comment line does not break the run
  cc = 3

  d = 4  eeeee = 5
  list = [  # a comment makes the list multi-line
    1 ]
  f = 6
  blk {}
  gg = 7  h = 8
})";
  CHECK(check_promises(input) == R"(s {
  a   = 1
  bbb = 2
  # a comment line does not break the run
  cc  = 3

  d     = 4
  eeeee = 5
  list = [  # a comment makes the list multi-line
    1,
  ]
  f = 6
  blk {}
  gg = 7
  h  = 8
}
)");
}

TEST_CASE(
    "formatter: blank lines are squeezed to one, never after '{', before '}' or at the start") {
  CHECK(check_promises(
            "\n\n\nsite \"a\" {\n\n\n  x = 1\n\n\n\n  y = 2\n\n\n}\n\n\n\nsite \"b\" {}\n\n\n") ==
        "site \"a\" {\n  x = 1\n\n  y = 2\n}\n\nsite \"b\" {}\n");
  // Top-level blocks are not separated where the source did not separate them.
  CHECK(check_promises("a {}\nb {}") == "a {}\nb {}\n");
}

TEST_CASE("formatter: comments stay before, after or inside what they were with") {
  const std::string input = R"(# Kyiv site.


# Second paragraph.
site "kyiv" {   # the main site


  # leading comment
  domain = "kyiv.dcomm.net.ua"   # trailing, with spaces after it   


  ports = [28729/udp, # matrix
    8448/tcp,
    # before the closing bracket
  ]
  # before the closing brace

}   # after the block
# end of file)";
  CHECK(check_promises(input) == R"(# Kyiv site.

# Second paragraph.
site "kyiv" {  # the main site
  # leading comment
  domain = "kyiv.dcomm.net.ua"  # trailing, with spaces after it

  ports = [
    28729/udp,  # matrix
    8448/tcp,
    # before the closing bracket
  ]
  # before the closing brace
}  # after the block
# end of file
)");
}

TEST_CASE("formatter: comments inside a statement's header move to lines before it") {
  const std::string input = R"(site # after the type
  "a" # after the label
{
  x = 1

  odd # before '='
    = 2
  m = { key # before the key's '='
    = 1 }
}
import # before the path
  "other.dcomm"
)";
  CHECK(check_promises(input) == R"(# after the type
# after the label
site "a" {
  x = 1

  # before '='
  odd = 2
  m = {
    # before the key's '='
    key = 1
  }
}
# before the path
import "other.dcomm"
)");
}

TEST_CASE("formatter: empty blocks, lists, maps and calls") {
  CHECK(check_promises("a \"x\" \"y\" {   }\nb { x = [ ] y = { } z = internal( ) }") ==
        "a \"x\" \"y\" {}\nb {\n  x = []\n  y = {}\n  z = internal()\n}\n");
  CHECK(check_promises(
            "a { # only a comment\n}\nb {\n\n  # only a note\n\n}\nc { x = [ # why\n] }") ==
        "a {  # only a comment\n}\nb {\n  # only a note\n}\nc {\n  x = [  # why\n  ]\n}\n");
}

TEST_CASE("formatter: strings are written from their decoded text") {
  CHECK(check_promises(
            R"(a { s = "\u{41}\u{e9}\u{9}\u{a}\u{d}\u{1}\u{7F}\u{85}\u{1F600}\"\\ # x" })") ==
        "a {\n  s = \"A\u00e9\\t\\n\\r\\u{1}\\u{7F}\\u{85}\U0001F600\\\"\\\\ # x\"\n}\n");
}

TEST_CASE("formatter: numbers, sizes, durations and ports stay as written") {
  CHECK(check_promises("a { n = -3  s = 1024K  d = 90m  t = 250ms  p = 28729/udp  b = false }") ==
        R"(a {
  n = -3
  s = 1024K
  d = 90m
  t = 250ms
  p = 28729/udp
  b = false
}
)");
}

TEST_CASE("formatter: lists and maps stay inline up to 100 columns") {
  // `  xs = [""]` is 11 columns before the string's contents.
  const std::string fits = fmt::format("a {{\n  xs = [\"{}\"]\n}}\n", std::string(89, 'x'));
  CHECK(check_promises(fits) == fits);
  const std::string too_long = std::string(90, 'x');
  CHECK(check_promises(fmt::format("a {{ xs = [\"{}\"] }}", too_long)) ==
        fmt::format("a {{\n  xs = [\n    \"{}\",\n  ]\n}}\n", too_long));

  // Only the level that is too long is broken.
  const std::string long_text = std::string(80, 'y');
  CHECK(
      check_promises(
          fmt::format("a {{ labels = {{ first = {{ x = 1 }}, second = \"{}\" }} }}", long_text)) ==
      fmt::format("a {{\n  labels = {{\n    first  = {{ x = 1 }}\n    second = \"{}\"\n  }}\n}}\n",
                  long_text));
}

TEST_CASE("formatter: map keys are bare when they are names") {
  CHECK(check_promises(R"(a { m = { "a b" = 1, "plain" = 2 ok = true, "" = 3 } })") ==
        "a {\n  m = { \"a b\" = 1, plain = 2, ok = true, \"\" = 3 }\n}\n");
}

TEST_CASE("formatter: a call broken over lines has no comma after its last argument") {
  CHECK(check_promises("x {\n  tls = acme( # why\n    \"ops@example.org\", \"b\")\n}") ==
        "x {\n  tls = acme(  # why\n    \"ops@example.org\",\n    \"b\"\n  )\n}\n");
}

TEST_CASE("formatter: one statement a line, order kept, imports not moved") {
  CHECK(check_promises(R"(import "b.dcomm" site "a" { x = 1 y = [1,2,] } import "c.dcomm")") ==
        "import \"b.dcomm\"\nsite \"a\" {\n  x = 1\n  y = [1, 2]\n}\nimport \"c.dcomm\"\n");
}

TEST_CASE("formatter: CRLF line endings become LF, a byte order mark is dropped") {
  CHECK(check_promises("site \"a\" {\r\n  x = 1 # note \r\n\r\n\r\n  y = 2\r\n}\r\n") ==
        "site \"a\" {\n  x = 1  # note\n\n  y = 2\n}\n");
  CHECK(check_promises("\xEF\xBB\xBF# first\nsite \"a\" {}") == "# first\nsite \"a\" {}\n");
}

TEST_CASE("formatter: tricky inputs keep their meaning and comments and are stable") {
  const std::vector<std::string> inputs = {
      // Comments everywhere a comment may go.
      "#a\nsite#b\n\"x\"#c\n{#d\nk#e\n=[#f\n1#g\n,#h\n2#i\n,#j\n]#k\n"
      "m={#l\na#m\n=1#n\n,#o\n}#p\n}#q",
      // Unicode in strings, labels, keys and comments.
      "site \"київ\" { # коментар 🛰\n"
      "  m = { \"ключ\" = \"значення\", \"🙂\" = 1 }\n}",
      // Nested structures, long enough to break at several levels.
      "a { x = [ { a = [1, 2, 3], b = { c = { d = [\"" + std::string(70, 'n') +
          "\"] } } }, [ [ [ ] ] ], f(g(h(1))) ] }",
      // Several statements on one line, blocks included.
      "a { x = 1 b { y = 2 } z = [1] c \"l\" { } w = 3 }",
      // Comment lines between list items, before a closing bracket.
      "a { x = [\n\n  # first\n\n  1,\n\n\n  2, # two\n\n  # last\n\n] }",
      // A call with comments, nested in a map.
      "a { m = { t = acme( # a\n \"x\", # b\n \"y\" # c\n ) } }",
      // Blank lines between comments, comments between blocks.
      "# one\n\n\n# two\na {}\n\n# three\n\n\nb {}\n# four",
      // Tabs, trailing spaces and a comment with brackets in it.
      "a\t{\t\tx\t=\t1   \t\n\t# [ { ( \t \n}",
      // An item whose comment shares the line of a closing bracket.
      "a { x = [[1] # after inner\n, 2] }",
      // A very long attribute name beside short ones.
      "a { x = 1\n" + std::string(120, 'n') + " = 2\n y = [3] }",
  };
  for (const std::string& input : inputs) check_promises(input);
}

namespace {

/// Random but valid .dcomm text: random values, random whitespace and
/// comments wherever the grammar lets them go.
class RandomSpec {
 public:
  explicit RandomSpec(unsigned seed) : random_(seed) {}

  std::string file() {
    std::string text = gap();
    for (int i = 0, n = pick(1, 4); i < n; ++i) {
      text += chance(5) ? "import" + gap() + "\"lib.dcomm\"" : block(0);
      text += gap();
    }
    return text;
  }

 private:
  int pick(int low, int high) { return std::uniform_int_distribution(low, high)(random_); }
  bool chance(int one_in) { return pick(1, one_in) == 1; }

  template <typename T>
  const T& one_of(const std::vector<T>& options) {
    return options[static_cast<std::size_t>(pick(0, static_cast<int>(options.size()) - 1))];
  }

  std::string comment() {
    return fmt::format("# note {}{}\n", ++comments_, chance(3) ? " \t" : "");
  }

  /// Whitespace or comments between two tokens.
  std::string gap() {
    switch (pick(0, 6)) {
      case 0: return "";
      case 1: return " ";
      case 2: return "\n";
      case 3: return "\n\n\n  ";
      case 4: return "  " + comment();
      case 5: {
        const std::string first = comment();
        return "\n" + first + "\n\n" + comment();
      }
      default: return "\t";
    }
  }

  /// Like gap(), but never empty: the tokens either side would merge.
  std::string separator() {
    std::string text = gap();
    return text.empty() ? " " : text;
  }

  std::string name() {
    return one_of<std::string>({"kind", "host", "on", "x", "labels", "a_much_longer_name"});
  }

  std::string block(int depth) {
    std::string text = one_of<std::string>({"site", "node", "service"}) + separator();
    for (int i = 0, n = pick(0, 2); i < n; ++i)
      text += one_of<std::string>({"\"kyiv\"", "\"a b\"", "\"ü\""}) + gap();
    text += "{" + gap();
    for (int i = 0, n = pick(0, 5); i < n; ++i) {
      text += depth < 2 && chance(4) ? block(depth + 1) : name() + gap() + "= " + value(0);
      text += separator();
    }
    return text + "}";
  }

  std::string value(int depth) {
    const int kind = depth < 3 ? pick(0, 9) : pick(0, 6);
    switch (kind) {
      case 0:
        return one_of<std::string>({R"("plain")", R"("q\"b\\s")", R"("\u{1F600} é")",
                                    R"("# not a comment")", R"("\t\u{1}")",
                                    "\"" + std::string(40, 's') + "\""});
      case 1: return one_of<std::string>({"42", "-3", "0"});
      case 2:
        return one_of<std::string>({"512M", "1024K", "999d", "250ms", "28729/udp", "443/tcp"});
      case 3: return chance(2) ? "true" : "false";
      case 4: return one_of<std::string>({"synapse", "node.worker", "service.synapse"});
      case 5: return one_of<std::string>({"internal()", "acme(\"ops@example.org\")"});
      case 6: return "42";
      case 7: return list(depth);
      case 8: return map(depth);
      default: return call(depth);
    }
  }

  std::string list(int depth) {
    std::string text = "[" + gap();
    const int n = pick(0, 6);
    for (int i = 0; i < n; ++i) {
      if (i > 0) text += "," + gap();
      text += value(depth + 1) + gap();
    }
    if (n > 0 && chance(2)) text += "," + gap();
    return text + "]";
  }

  std::string map(int depth) {
    std::string text = "{" + gap();
    for (int i = 0, n = pick(0, 4); i < n; ++i) {
      text += one_of<std::string>({"k", "\"a key\"", "\"plain\"", "longer_key"}) + gap() + "= " +
              value(depth + 1);
      text += chance(2) ? gap() + "," + gap() : separator();
    }
    return text + "}";
  }

  std::string call(int depth) {
    std::string text = one_of<std::string>({"acme", "f.g"}) + "(" + gap();
    for (int i = 0, n = pick(0, 3); i < n; ++i) {
      if (i > 0) text += "," + gap();
      text += value(depth + 1) + gap();
    }
    return text + ")";
  }

  std::mt19937 random_;
  int comments_ = 0;
};

}  // namespace

TEST_CASE("formatter: random inputs keep their meaning and comments and are stable") {
  for (unsigned seed = 1; seed <= 400; ++seed) {
    INFO("seed " << seed);
    check_promises(RandomSpec(seed).file());
  }
}

TEST_CASE("formatter: every spec in the tree keeps its meaning and comments and is stable") {
  namespace fs = std::filesystem;
  const fs::path root = DCOMMC_SOURCE_DIR;
  for (const char* folder : {"examples", "stdlib", "tests/diagnostics"}) {
    if (!fs::is_directory(root / folder)) continue;
    for (const auto& entry : fs::directory_iterator(root / folder)) {
      if (entry.path().extension() != ".dcomm") continue;
      std::ifstream in(entry.path(), std::ios::binary);
      std::stringstream text;
      text << in.rdbuf();
      if (!Parsed(text.str()).error_codes().empty()) continue;  // inputs of error tests
      INFO(entry.path().string());
      const std::string formatted = check_promises(text.str());
      // Examples and the standard library are shown to users as they are.
      if (std::string_view(folder) != "tests/diagnostics") CHECK(formatted == text.str());
    }
  }
}

}  // namespace dcomm::format
