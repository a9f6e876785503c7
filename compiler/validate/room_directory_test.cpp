// E0413: a room directory longer than kMaxRoomDirectory, written or
// implied by a large federation, is refused before anything is emitted.

#include "validate/room_directory.hpp"

#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <string>

#include "driver/pipeline.hpp"

namespace dcomm::validate {

namespace {

/// The diagnostics of checking `spec`.
Diagnostics check(const std::string& spec) {
  SourceMap sources;
  Diagnostics diags;
  check_file(sources, sources.add("room.dcomm", spec), diags);
  return diags;
}

/// One site whose Element lists `servers` servers explicitly.
std::string explicit_directory(std::size_t servers) {
  std::string list;
  for (std::size_t i = 0; i < servers; ++i) list += fmt::format("\"matrix.s{}.example.org\", ", i);
  return fmt::format(R"(
site "kyiv" {{
  domain = "kyiv.example.org"
  tls    = internal
  node "worker" {{ labels = {{ zone = "a" }} }}
  service "synapse" {{ kind = synapse  federation = true }}
  service "element" {{ kind = element  homeserver = service.synapse  room_directory = [{}] }}
}}
)",
                     list);
}

/// `sites` federating sites with Element's default room directory.
std::string federation(std::size_t sites) {
  std::string spec = R"(
template "community" {
  tls = internal
  node "worker" { labels = { zone = "a" } }
  service "synapse" { kind = synapse  federation = true }
  service "element" { kind = element  homeserver = service.synapse }
}
)";
  for (std::size_t i = 0; i < sites; ++i) {
    spec += fmt::format("site \"s{0}\" {{ extends = template.community  domain = \"s{0}.example.org\" }}\n", i);
  }
  return spec;
}

}  // namespace

TEST_CASE("room directory: a written list of up to the limit is accepted, one more is E0413") {
  CHECK_FALSE(check(explicit_directory(kMaxRoomDirectory)).has_errors());
  const Diagnostics diags = check(explicit_directory(kMaxRoomDirectory + 1));
  REQUIRE(diags.all().size() == 1);
  const Diagnostic& d = diags.all().front();
  CHECK(d.code == "E0413");
  CHECK(d.message == "the room directory of 'element' would list 4,097 servers (limit 4,096)");
  CHECK(d.primary.message == "this list");
  CHECK(d.help.find("room_directory = [") != std::string::npos);
}

TEST_CASE("room directory: a federation past the limit is one E0413, naming how many sites share it") {
  CHECK_FALSE(check(federation(kMaxRoomDirectory + 1)).has_errors());  // each lists the 4,096 others
  const Diagnostics diags = check(federation(kMaxRoomDirectory + 3));
  REQUIRE(diags.all().size() == 1);
  const Diagnostic& d = diags.all().front();
  CHECK(d.code == "E0413");
  CHECK(d.message == "the room directory of 'element' would list 4,098 servers (limit 4,096)");
  REQUIRE(d.notes.size() == 2);
  CHECK(d.notes[1] == "the element services of 4,098 more sites have the same problem");
}

}  // namespace dcomm::validate
