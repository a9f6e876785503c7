// Keeps docs/stdlib.md honest: the standard kinds are loaded through the
// real pipeline (the stdlib built into the binary, a spec checked with
// check_file), and every fact the reference gives about them is looked up
// in the page: one section per kind, its doc, images, memory limits,
// ports, volumes, needs, beside, implicit, secrets and routes, and one
// table row per attribute with its type, its default as the stdlib writes
// it, and its doc. Also: every stdlib file is in the canonical layout.

#include <fmt/format.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "diag/render.hpp"
#include "driver/pipeline.hpp"
#include "format/formatter.hpp"
#include "syntax/parser.hpp"
#include "util/files.hpp"

namespace dcomm {

namespace {

namespace fs = std::filesystem;

/// A spec checked through the whole front end, as `dcommc check` does,
/// with the built-in stdlib. No imports, so the name need not exist.
struct Checked {
  SourceMap sources;
  Diagnostics diags;
  Compilation result;

  explicit Checked(std::string text) {
    const fs::path name = fs::temp_directory_path() / "dcommc-stdlib-docs.dcomm";
    result = check_file(sources, sources.add(name.string(), std::move(text)), diags);
  }

  std::string rendered() const {
    std::ostringstream out;
    render_human(diags.all(), sources, out, {});
    return out.str();
  }

  /// The stdlib file that declares `kind`.
  FileId file_of_kind(const std::string& kind) const {
    for (const resolve::LoadedFile& file : result.files) {
      for (const syntax::Item& item : file.tree.items) {
        if (item.name == "kind" && !item.labels.empty() && item.labels[0].text == kind) {
          return file.tree.file;
        }
      }
    }
    FAIL("no file declares kind " << kind);
    return 0;
  }

  /// The text of `span`, a range of the file declaring `kind`, as written.
  /// (The file is looked up rather than taken from the span: the parser
  /// leaves the file of some spans at 0, the root spec's.)
  std::string written(const std::string& kind, const Span& span) const {
    const std::string& text = sources.file(file_of_kind(kind)).text();
    REQUIRE(span.end <= text.size());
    return text.substr(span.begin, span.end - span.begin);
  }
};

std::string read_text(const fs::path& path) {
  std::string error;
  auto text = util::read_file(path, error);
  INFO(path.string() << ": " << error);
  REQUIRE(text);
  return *text;
}

const std::string& stdlib_page() {
  static const std::string page = read_text(fs::path(DCOMMC_SOURCE_DIR) / "docs/stdlib.md");
  return page;
}

/// The names of the standard kinds, as the pipeline loads them: the probe
/// declares no kind of its own, so every kind it knows is a standard one.
std::vector<std::string> standard_kind_names() {
  Checked probe(R"(site "probe" {
  domain = "probe.example.org"
  tls    = internal
}
)");
  INFO(probe.rendered());
  REQUIRE_FALSE(probe.diags.has_errors());
  std::vector<std::string> names;
  for (const model::Kind& kind : probe.result.federation.kinds) names.push_back(kind.name);
  return names;
}

/// A site running one service of every standard kind, each named after
/// its kind, so every kind is instantiated (containers, routes) with its
/// defaults. Overlay networking: the kinds' ports need not fit one node.
const Checked& every_kind() {
  static const Checked checked = [] {
    std::string spec =
        "site \"all\" {\n"
        "  domain  = \"all.example.org\"\n"
        "  tls     = internal\n"
        "  network = overlay\n"
        "  node \"worker\" {\n"
        "    labels = { role = \"all\" }\n"
        "  }\n";
    for (const std::string& kind : standard_kind_names()) {
      spec += fmt::format("  service \"{0}\" {{\n    kind = {0}\n  }}\n", kind);
    }
    spec += "}\n";
    return Checked(spec);
  }();
  return checked;
}

/// Undoes Markdown's backslash escapes (`\<domain>` stands for `<domain>`).
std::string unescape(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool escape = text[i] == '\\' && i + 1 < text.size() &&
                        std::ispunct(static_cast<unsigned char>(text[i + 1]));
    if (escape) ++i;
    out += text[i];
  }
  return out;
}

/// The part of the page about `kind`: from its `## \`kind\`` heading to the
/// next level-two heading; empty if there is none.
std::string section(const std::string& kind) {
  const std::string& page = stdlib_page();
  const std::string heading = fmt::format("\n## `{}`\n", kind);
  const std::size_t begin = page.find(heading);
  if (begin == std::string::npos) return "";
  const std::size_t end = page.find("\n## ", begin + heading.size());
  return page.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
}

/// Every `## \`NAME\`` heading of the page.
std::vector<std::string> sections() {
  std::vector<std::string> names;
  std::istringstream lines(stdlib_page());
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with("## `") && line.ends_with("`") && line.size() > 5) {
      names.push_back(line.substr(4, line.size() - 5));
    }
  }
  return names;
}

/// The cells of the table row of `section` whose first cell is `first`.
std::vector<std::string> row(const std::string& section, const std::string& first) {
  std::istringstream lines(section);
  for (std::string line; std::getline(lines, line);) {
    if (!line.starts_with("| " + first + " |")) continue;
    std::vector<std::string> cells;
    std::size_t at = 1;  // after the leading '|'
    while (at < line.size()) {
      std::size_t bar = at;
      // A cell ends at a '|' that is not escaped.
      while (bar < line.size() && !(line[bar] == '|' && line[bar - 1] != '\\')) ++bar;
      std::string cell = line.substr(at, bar - at);
      cell.erase(0, cell.find_first_not_of(' '));
      cell.erase(cell.find_last_not_of(' ') + 1);
      if (bar < line.size()) cells.push_back(cell);
      at = bar + 1;
    }
    return cells;
  }
  return {};
}

/// A memory limit the way the stdlib writes it: the largest unit that
/// divides it (1G, 512M).
std::string size_text(std::int64_t bytes) {
  for (const auto& [unit, factor] : std::vector<std::pair<const char*, std::int64_t>>{
           {"T", 1ll << 40}, {"G", 1ll << 30}, {"M", 1ll << 20}, {"K", 1ll << 10}}) {
    if (bytes != 0 && bytes % factor == 0) return fmt::format("{}{}", bytes / factor, unit);
  }
  return std::to_string(bytes);
}

const char* format_name(model::Secret::Format format) {
  switch (format) {
    case model::Secret::Format::token: return "token";
    case model::Secret::Format::password: return "password";
    case model::Secret::Format::signing_key: return "signing_key";
    // Made by the build for tls = internal, never declared by a kind.
    case model::Secret::Format::ca_key: return "ca_key";
    case model::Secret::Format::ca_certificate: return "ca_certificate";
  }
  return "";
}

bool mentions(const std::string& text, const std::string& code) {
  return text.find("`" + code + "`") != std::string::npos;
}

}  // namespace

TEST_CASE("stdlib docs: one section per standard kind, and no section for anything else") {
  const std::vector<std::string> kinds = standard_kind_names();
  CHECK(kinds.size() >= 8);
  for (const std::string& kind : kinds) {
    INFO("docs/stdlib.md has no section '## `" << kind << "`'");
    CHECK_FALSE(section(kind).empty());
  }
  for (const std::string& name : sections()) {
    INFO("docs/stdlib.md documents '" << name << "', which the stdlib does not declare");
    CHECK(std::find(kinds.begin(), kinds.end(), name) != kinds.end());
  }
}

TEST_CASE("stdlib docs: a site of every standard kind checks clean") {
  const Checked& all = every_kind();
  INFO(all.rendered());
  CHECK(all.diags.all().empty());
}

TEST_CASE("stdlib docs: each kind's doc, containers, needs, secrets and routes are documented") {
  const Checked& all = every_kind();
  REQUIRE_FALSE(all.diags.has_errors());
  CHECK(all.result.federation.kinds.size() >= 8);
  const model::Site& site = all.result.federation.sites.at(0);
  for (const model::Kind& kind : all.result.federation.kinds) {  // all standard: see above
    const std::string text = section(kind.name);
    const std::string plain = unescape(text);
    INFO("kind " << kind.name << ", section:\n" << text);

    CHECK(plain.find(kind.doc) != std::string::npos);
    CHECK(!row(text, "Implicit").empty());
    CHECK(row(text, "Implicit").at(1).starts_with(kind.implicit ? "yes" : "no"));
    for (const std::string& needed : kind.needs) CHECK(mentions(text, needed));
    if (!kind.beside.empty()) CHECK(mentions(text, kind.beside));
    for (const model::Secret& secret : kind.secrets) {
      INFO("secret " << secret.name);
      CHECK(mentions(text, secret.name));
      CHECK(mentions(text, format_name(secret.format)));
    }

    const model::Service* service = site.service(kind.name);
    REQUIRE(service);
    CHECK(service->kind == &kind);
    for (const model::Container& container : service->containers) {
      INFO("container " << container.name);
      CHECK(mentions(text, container.image));
      CHECK(mentions(text, size_text(container.memory)));
      for (const model::Port& port : container.ports) CHECK(mentions(text, model::to_string(port)));
      for (const model::Volume& volume : container.volumes) {
        CHECK(mentions(text, volume.name));
        CHECK(mentions(text, volume.target));
      }
      for (const auto& [name, value] : container.environment) CHECK(mentions(text, name));
    }
    if (service->containers.empty()) CHECK(plain.find("No container") != std::string::npos);
    for (const model::Route& route : service->routes) {
      CHECK(mentions(text, std::to_string(route.port) + "/tcp"));
      for (const std::string& path : route.paths) CHECK(mentions(text, path));
    }
  }
}

TEST_CASE("stdlib docs: each attribute's row gives its type, default as written and doc") {
  const Checked& all = every_kind();
  REQUIRE_FALSE(all.diags.has_errors());
  CHECK(all.result.federation.kinds.size() >= 8);
  for (const model::Kind& kind : all.result.federation.kinds) {  // all standard: see above
    const std::string text = section(kind.name);
    for (const model::AttributeSpec& attribute : kind.attributes) {
      INFO("kind " << kind.name << ", attribute " << attribute.name);
      const std::vector<std::string> cells = row(text, "`" + attribute.name + "`");
      REQUIRE(cells.size() == 4);  // | name | type | default | doc |
      CHECK(cells[1] == "`" + attribute.type + "`");
      if (attribute.default_value) {
        CHECK(cells[2] == "`" + all.written(kind.name, attribute.default_value->span) + "`");
      } else {
        CHECK(cells[2].starts_with("none"));
      }
      CHECK(unescape(cells[3]) == attribute.doc);
    }
  }
}

TEST_CASE("stdlib: every file is in the canonical layout") {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(fs::path(DCOMMC_SOURCE_DIR) / "stdlib")) {
    if (entry.path().extension() == ".dcomm") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  CHECK(files.size() >= 8);
  for (const fs::path& path : files) {
    INFO(path.filename().string());
    SourceMap sources;
    Diagnostics diags;
    const FileId id = sources.add(path.string(), read_text(path));
    const syntax::File tree = syntax::parse(sources, id, diags);
    REQUIRE(diags.all().empty());
    CHECK(format::format_file(tree, sources.file(id)) == sources.file(id).text());
  }

  // And the copy built into the binary, which is what ships.
  const Checked& all = every_kind();
  int embedded = 0;
  for (const resolve::LoadedFile& file : all.result.files) {
    if (!file.stdlib) continue;
    ++embedded;
    const SourceFile& source = all.sources.file(file.tree.file);
    INFO(source.name());
    CHECK(format::format_file(file.tree, source) == source.text());
  }
  CHECK(embedded == static_cast<int>(files.size()));
}

}  // namespace dcomm
