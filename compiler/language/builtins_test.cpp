// Holds docs/language.md's reference tables to the language's one table
// (language/builtins.hpp), row by row: the same names, the same "Value"
// and "Required" cells, and each "Meaning" beginning with the line that
// hovers and completion show. A field added to one and not the other, or
// a doc line reworded on one side only, fails here.

#include "language/builtins.hpp"

#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "resolve/types.hpp"
#include "syntax/parser.hpp"

namespace dcomm::language {

namespace {

using Row = std::vector<std::string>;

struct Table {
  Row header;
  std::vector<Row> rows;
};

std::string trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return std::string(s);
}

/// The cells of "| a | `b|c` | d |": a pipe inside backticks is text.
Row cells_of(std::string_view line) {
  Row cells;
  std::string cell;
  bool code = false;
  for (char c : line.substr(1)) {
    if (c == '`') code = !code;
    if (c == '|' && !code) {
      cells.push_back(trim(cell));
      cell.clear();
    } else {
      cell.push_back(c);
    }
  }
  return cells;
}

/// Every table of docs/language.md, by the first cell of its header.
/// A header that opens two tables is a mistake of the page: it fails.
std::map<std::string, Table> tables_of_language_page() {
  std::ifstream in(std::filesystem::path(DCOMMC_SOURCE_DIR) / "docs/language.md");
  REQUIRE(in);
  std::map<std::string, Table> tables;
  Table* current = nullptr;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.starts_with("|")) {
      current = nullptr;
    } else if (!current) {
      Row header = cells_of(line);
      INFO("a second table headed " << header.at(0));
      REQUIRE(!tables.contains(header.at(0)));
      current = &tables[header.at(0)];
      current->header = std::move(header);
    } else if (!line.starts_with("|---")) {
      current->rows.push_back(cells_of(line));
    }
  }
  return tables;
}

const std::map<std::string, Table>& page() {
  static const auto tables = tables_of_language_page();
  return tables;
}

std::string unquote(const std::string& cell) {
  return cell.size() > 2 && cell.front() == '`' && cell.back() == '`' ? cell.substr(1, cell.size() - 2) : cell;
}

int column(const Table& table, std::string_view name) {
  for (std::size_t i = 0; i < table.header.size(); ++i)
    if (table.header[i] == name) return static_cast<int>(i);
  return -1;
}

/// "yes", "no", or "no; `DEFAULT`".
std::string required_cell(const Field& field) {
  if (field.required) return "yes";
  return field.default_value.empty() ? "no" : fmt::format("no; `{}`", field.default_value);
}

/// Each row of `table` describes the field of the same name in `fields`,
/// and every field has a row.
void check_rows(const Table& table, const std::vector<const Field*>& fields) {
  const int value = column(table, "Value");
  const int required = column(table, "Required");
  const int meaning = column(table, "Meaning");
  REQUIRE(value > 0);
  REQUIRE(meaning > 0);
  std::set<std::string> documented;
  for (const Row& row : table.rows) {
    const std::string name = unquote(row.at(0));
    INFO("docs/language.md, table '" << table.header[0] << "', row `" << name << "`");
    documented.insert(name);
    auto field = std::find_if(fields.begin(), fields.end(), [&](const Field* f) { return f->name == name; });
    REQUIRE(field != fields.end());  // a row for a field the language does not have
    CHECK(row.at(value) == (*field)->value);
    if (required > 0) CHECK(row.at(required) == required_cell(**field));
    CHECK(row.at(meaning).starts_with((*field)->doc));
  }
  for (const Field* field : fields) {
    INFO("the field `" << field->name << "` has no row in table '" << table.header[0] << "'");
    CHECK(documented.contains(std::string(field->name)));
  }
}

std::vector<const Field*> fields_of(std::string_view block) {
  const BlockSpec* spec = find_block(block);
  REQUIRE(spec);
  return language::fields_of(*spec);
}

}  // namespace

TEST_CASE("language table: every block is in the docs' declarations table, as written there") {
  const Table& table = page().at("Block");
  REQUIRE(table.rows.size() == blocks().size());
  for (const Row& row : table.rows) {
    const BlockSpec* block = find_block(unquote(row.at(0)));
    INFO(row.at(0));
    REQUIRE(block);
    CHECK(row.at(1) == block->written);
    CHECK(row.at(2).starts_with(block->doc));
  }
}

TEST_CASE("language table: the top-level declarations are the docs' list") {
  const Table& table = page().at("Declaration");
  std::vector<std::string> documented;
  for (const Row& row : table.rows) documented.push_back(unquote(row.at(0)).substr(0, unquote(row.at(0)).find(' ')));
  CHECK(documented == std::vector<std::string>(top_level().begin(), top_level().end()));
  CHECK(table.rows.back().at(1).starts_with(import_statement().doc));
}

TEST_CASE("language table: site, node and service attributes are the docs' tables") {
  check_rows(page().at("Site attribute"), fields_of("site"));
  check_rows(page().at("Node attribute"), fields_of("node"));
  check_rows(page().at("Service attribute"), fields_of("service"));
  CHECK(fields_of("template") == fields_of("site"));
}

TEST_CASE("language table: kind, container, attribute and route fields are the docs' tables") {
  check_rows(page().at("Field"), fields_of("kind"));
  check_rows(page().at("Attribute field"), fields_of("attribute"));
  check_rows(page().at("Route field"), fields_of("route"));

  // A container takes the kind's fields marked "yes", and its own.
  const Table& kind = page().at("Field");
  const int shared = column(kind, "Also in `container`");
  REQUIRE(shared > 0);
  Table container = page().at("Container field");
  for (const Row& row : kind.rows) {
    if (row.at(shared) == "yes") container.rows.push_back({row.at(0), row.at(1), row.at(3)});
  }
  check_rows(container, fields_of("container"));
}

TEST_CASE("language table: the attribute types are the docs' table, and each is one the resolver reads") {
  const Table& table = page().at("Type");
  REQUIRE(table.rows.size() == types().size());
  for (std::size_t i = 0; i < table.rows.size(); ++i) {
    const TypeSpec& type = types()[i];
    INFO(type.name);
    CHECK(unquote(table.rows[i].at(0)) == type.name);
    CHECK(table.rows[i].at(1).starts_with(type.written));

    // The placeholders of the docs (KIND, a, b, ..., T) made concrete.
    std::string text(type.name);
    for (auto [from, to] : {std::pair<std::string, std::string>{"KIND", "synapse"},
                            {"a, b, ...", "a, b"}, {"(T)", "(string)"}}) {
      if (auto at = text.find(from); at != std::string::npos) text.replace(at, from.size(), to);
    }
    SourceMap sources;
    Diagnostics diags;
    const syntax::File file = syntax::parse(
        sources, sources.add("type.dcomm", fmt::format("attribute \"a\" {{\n  type = {}\n}}\n", text)), diags);
    REQUIRE(file.items.size() == 1);
    REQUIRE(file.items[0].body.size() == 1);
    CHECK(resolve::parse_type(file.items[0].body[0].value, diags).has_value());
    CHECK(diags.all().empty());
  }
}

}  // namespace dcomm::language
