// The checks across a site, through the whole front end (check_file), so
// the spans and messages are the ones an operator sees.

#include "validate/rules.hpp"

#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <string>
#include <utility>
#include <vector>

#include "driver/pipeline.hpp"

namespace dcomm::validate {

namespace {

struct Checked {
  SourceMap sources;
  Diagnostics diags;
  FileId file;
  explicit Checked(const std::string& spec) : file(sources.add("rules.dcomm", spec)) {
    check_file(sources, file, diags);
  }
  std::vector<std::string> codes() const {
    std::vector<std::string> out;
    for (const auto& d : diags.all()) out.emplace_back(d.code.text());
    return out;
  }
  /// The spec text a span covers.
  std::string_view text(const Span& span) const {
    return std::string_view(sources.file(file).text()).substr(span.begin, span.end - span.begin);
  }
};

/// A site named `name` on `domain` with the given node blocks and a
/// website on the first of them.
std::string site(const std::string& name, const std::string& domain, const std::vector<std::string>& nodes) {
  std::string blocks;
  for (const std::string& node : nodes) {
    blocks += fmt::format("  node \"{}\" {{ labels = {{ zone = \"a\" }} }}\n", node);
  }
  return fmt::format(R"(
site "{0}" {{
  domain = "{1}"
  tls    = internal
{2}
  service "web" {{
    kind = website
    on   = node.{3}
  }}
}}
)",
                     name, domain, blocks, nodes.front());
}

}  // namespace

TEST_CASE("node variables: names that spell one labels.sh variable are E0416", "[validate]") {
  Checked c(site("kyiv", "kyiv.example.org", {"work_er", "work-er"}));
  REQUIRE(c.codes() == std::vector<std::string>{"E0416"});
  const Diagnostic& d = c.diags.all()[0];
  CHECK(d.message == "nodes 'work_er' and 'work-er' of site 'kyiv' would share the variable NODE_WORK_ER");
  // The later node carries the primary label, the earlier one the other.
  CHECK(c.text(d.primary.span).starts_with("node \"work-er\""));
  REQUIRE(d.secondary.size() == 1);
  CHECK(c.text(d.secondary[0].span).starts_with("node \"work_er\""));
  CHECK(d.primary.message.find("NODE_WORK_ER") != std::string::npos);
  CHECK(d.help.starts_with("rename one of them"));
}

TEST_CASE("node variables: each later node that spells a taken variable is reported against the first",
          "[validate]") {
  Checked c(site("kyiv", "kyiv.example.org", {"a-b-c", "a_b-c", "worker", "a-b_c"}));
  REQUIRE(c.codes() == std::vector<std::string>{"E0416", "E0416"});
  for (const Diagnostic& d : c.diags.all()) {
    REQUIRE(d.secondary.size() == 1);
    CHECK(c.text(d.secondary[0].span).starts_with("node \"a-b-c\""));
  }
  CHECK(c.diags.all()[1].message == "nodes 'a-b-c' and 'a-b_c' of site 'kyiv' would share the variable NODE_A_B_C");
}

TEST_CASE("node variables: names that spell variables of their own, or the same one in two sites, pass",
          "[validate]") {
  // labels.sh is written per site, so two sites may each have a node "worker".
  Checked c(site("kyiv", "kyiv.example.org", {"worker", "worker-2", "worker_3"}) +
            site("lviv", "lviv.example.org", {"worker"}));
  CHECK(c.codes().empty());
}

namespace {

/// `spec` with `addresses = [...]` added to the nodes named in `addressed`.
std::string with_addresses(std::string spec, const std::vector<std::pair<std::string, std::string>>& addressed) {
  for (const auto& [node, address] : addressed) {
    const std::string block = fmt::format("node \"{}\" {{ labels = {{ zone = \"a\" }}", node);
    const std::size_t at = spec.find(block);
    REQUIRE(at != std::string::npos);
    spec.insert(at + block.size(), fmt::format(" addresses = [\"{}\"]", address));
  }
  return spec;
}

}  // namespace

TEST_CASE("swarm addresses: a node without addresses among nodes with them is W0507", "[validate]") {
  const std::string two = site("kyiv", "kyiv.example.org", {"worker", "bridge"}) +
                          site("lviv", "lviv.example.org", {"server"});
  CHECK(Checked(two).codes().empty());  // none gives addresses: the swarm's ports are open to all
  CHECK(Checked(with_addresses(two, {{"worker", "203.0.113.7"}, {"bridge", "203.0.113.8"}, {"server", "203.0.113.9"}}))
            .codes()
            .empty());
  // Another site's node counts: the swarm is the federation's.
  Checked partial(with_addresses(two, {{"server", "203.0.113.9"}}));
  REQUIRE(partial.codes() == std::vector<std::string>{"W0507", "W0507"});
  const Diagnostic& first = partial.diags.all().at(0);
  CHECK(first.severity == Severity::warning);
  CHECK(first.message == "node 'worker' of site 'kyiv' gives no addresses, but other nodes do");
  CHECK(partial.text(first.primary.span).starts_with("node \"worker\""));
  REQUIRE(first.secondary.size() == 1);
  CHECK(partial.text(first.secondary[0].span).starts_with("node \"server\""));
  CHECK(first.help == "add addresses = [\"...\"] to node 'worker': where the other nodes reach it");
  CHECK(partial.diags.all().at(1).message == "node 'bridge' of site 'kyiv' gives no addresses, but other nodes do");
}

}  // namespace dcomm::validate
