// The contract between the stdlib's kinds (stdlib/*.dcomm) and the
// emitters (emitter.hpp): what an emitter says it reads of a kind must be
// declared by that kind, what it really reads while the examples compile
// must be what it says, and what a kind declares must serve a purpose. A
// renamed attribute then fails here, not in a user's build.

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "driver/pipeline.hpp"
#include "emit/contract.hpp"
#include "emit/emitter.hpp"
#include "util/files.hpp"

namespace dcomm::emit {
namespace {

namespace fs = std::filesystem;

/// A spec compiled through the real front end, with the stdlib built into
/// the binary: the one dcommc ships.
struct Compiled {
  SourceMap sources;
  Diagnostics diags;
  Compilation result;

  Compiled(const std::string& name, std::string text) {
    result = check_file(sources, sources.add(name, std::move(text)), diags);
    for (const auto& d : diags.all()) UNSCOPED_INFO(name << ": " << d.code << ": " << d.message);
    REQUIRE_FALSE(diags.has_errors());
  }
};

/// The stdlib alone, resolved.
struct Stdlib {
  SourceMap sources;
  Diagnostics diags;
  Compilation result = check_standard_library(sources, diags);
};

const Stdlib& stdlib() {
  static const Stdlib library;
  REQUIRE_FALSE(library.diags.has_errors());
  return library;
}

const model::Kind* standard_kind(std::string_view name) {
  for (const model::Kind& kind : stdlib().result.federation.kinds) {
    if (kind.standard && kind.name == name) return &kind;
  }
  return nullptr;
}

/// The `kind "NAME" { ... }` block of a standard kind.
const syntax::Item* kind_block(const std::string& name) {
  for (const resolve::LoadedFile& file : stdlib().result.files) {
    if (!file.stdlib) continue;
    for (const syntax::Item& item : file.tree.items) {
      if (item.name == "kind" && !item.labels.empty() && item.labels[0].text == name) return &item;
    }
  }
  return nullptr;
}

bool contains(std::span<const std::string_view> names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& name : names) out += (out.empty() ? "" : ", ") + name;
  return out.empty() ? "none" : out;
}

std::vector<std::string> attribute_names(const model::Kind& kind) {
  std::vector<std::string> names;
  for (const model::AttributeSpec& spec : kind.attributes) names.push_back(spec.name);
  return names;
}

std::vector<std::string> secret_names(const model::Kind& kind) {
  std::vector<std::string> names;
  for (const model::Secret& secret : kind.secrets) names.push_back(secret.name);
  return names;
}

// ------------------------------------------------- what a kind's body uses

/// Bare names in a value: inside a kind's container and route fields, a
/// bare name is one of the kind's attributes (docs/language.md).
void bare_names(const syntax::Value& value, std::set<std::string>& names) {
  if (value.kind == syntax::Value::Kind::reference && value.path.size() == 1) names.insert(value.path[0]);
  for (const syntax::Value& item : value.items) bare_names(item, names);
  for (const syntax::MapEntry& entry : value.entries) bare_names(entry.value, names);
}

/// The bare names a kind's body uses, leaving out its attribute blocks and
/// the fields whose bare names are kinds or secrets, not attributes.
void body_names(const std::vector<syntax::Item>& body, std::set<std::string>& names) {
  static const std::set<std::string> kNotAttributes = {"needs", "beside", "secrets"};
  for (const syntax::Item& item : body) {
    if (item.kind == syntax::Item::Kind::block) {
      if (item.name != "attribute") body_names(item.body, names);
    } else if (!kNotAttributes.contains(item.name)) {
      bare_names(item.value, names);
    }
  }
}

/// Whether a kind's containers mount `secret`: its own container (fields
/// at the top of the kind, which has an image then) and a `container`
/// block without a `secrets` list mount every secret; a list names them.
bool mounts(const syntax::Item& kind, const std::string& secret) {
  for (const syntax::Item& item : kind.body) {
    if (item.kind == syntax::Item::Kind::attribute && item.name == "image") return true;
    if (item.kind != syntax::Item::Kind::block || item.name != "container") continue;
    auto list = std::find_if(item.body.begin(), item.body.end(), [](const syntax::Item& field) {
      return field.kind == syntax::Item::Kind::attribute && field.name == "secrets";
    });
    if (list == item.body.end()) return true;
    std::set<std::string> listed;
    bare_names(list->value, listed);
    if (listed.contains(secret)) return true;
  }
  return false;
}

/// Whether some emitter declares that it reads `name` of `kind`.
bool read_by_an_emitter(const std::string& kind, const std::string& name, bool secret) {
  for (const Emitter& emitter : all_emitters()) {
    for (const KindReads& reads : emitter.reads) {
      if (reads.kind == kind && contains(secret ? reads.secrets : reads.attributes, name)) return true;
    }
  }
  return false;
}

void check_attributes_used(const model::Kind& kind, const syntax::Item& block) {
  std::set<std::string> used;
  body_names(block.body, used);
  for (const model::AttributeSpec& spec : kind.attributes) {
    // A documented attribute may be there for the user to read: the doc
    // says what it is for, even when nothing in dcommc reads it.
    if (read_by_an_emitter(kind.name, spec.name, false) || used.contains(spec.name) || !spec.doc.empty()) continue;
    FAIL_CHECK("stdlib kind '" << kind.name << "' declares attribute '" << spec.name
                               << "', which no emitter reads, its own body does not use, and no doc explains");
  }
}

void check_secrets_used(const model::Kind& kind, const syntax::Item& block) {
  for (const model::Secret& secret : kind.secrets) {
    if (read_by_an_emitter(kind.name, secret.name, true) || mounts(block, secret.name)) continue;
    FAIL_CHECK("stdlib kind '" << kind.name << "' declares secret '" << secret.name
                               << "', which no emitter reads and none of its containers mounts");
  }
}

// ---------------------------------------------- what emitters really read

/// One spec of examples/, by its path relative to the project.
struct Example {
  std::string name;  ///< "examples/kyiv.dcomm"
  std::string text;
};

std::vector<Example> examples() {
  const fs::path folder = fs::path(DCOMMC_SOURCE_DIR) / "examples";
  std::vector<Example> out;
  for (const auto& entry : fs::directory_iterator(folder)) {
    if (entry.path().extension() != ".dcomm") continue;
    std::string error;
    auto text = util::read_file(entry.path(), error);
    INFO(entry.path().string() << ": " << error);
    REQUIRE(text);
    out.push_back({"examples/" + entry.path().filename().string(), std::move(*text)});
  }
  std::sort(out.begin(), out.end(), [](const Example& a, const Example& b) { return a.name < b.name; });
  return out;
}

/// What each emitter read, building every site of `spec` as the build
/// does: in registry order, into one set of artifacts.
std::map<const Emitter*, ReadLog> reads_while_emitting(const Compiled& spec) {
  std::map<const Emitter*, ReadLog> logs;
  for (const model::Site& site : spec.result.federation.sites) {
    const SiteContext context{spec.result.federation, site, [](const std::string&) { return 1; },
                              "-----BEGIN CERTIFICATE-----\nroot\n-----END CERTIFICATE-----\n"};
    ArtifactSet out;
    for (const Emitter& emitter : all_emitters()) {
      ReadRecorder recorder(logs[&emitter]);
      emitter.emit(context, out);
    }
  }
  return logs;
}

/// Whether `emitter` declares that it reads `read` of its kind.
bool declared(const Emitter& emitter, const KindRead& read, bool secret) {
  for (const KindReads& reads : emitter.reads) {
    if (reads.kind == read.kind && contains(secret ? reads.secrets : reads.attributes, read.name)) return true;
  }
  return false;
}

void check_read(const Emitter& emitter, const KindRead& read, bool secret, const std::string& where) {
  if (declared(emitter, read, secret)) return;
  FAIL_CHECK("emitter '" << emitter.name << "' read " << (secret ? "secret '" : "attribute '") << read.name
                         << "' of kind '" << read.kind << "' while emitting " << where
                         << ", but its reads (the KindReads table beside it in emit/) do not declare it: "
                            "add it there, so the stdlib contract covers it");
}

// ------------------------------------------- what emitters say they read

bool has_secret(const model::Kind& kind, std::string_view name) {
  return std::any_of(kind.secrets.begin(), kind.secrets.end(), [&](const model::Secret& s) { return s.name == name; });
}

/// Each name `reads` declares must be one `kind` declares.
void check_against_kind(const Emitter& emitter, const KindReads& reads, const model::Kind& kind) {
  for (std::string_view name : reads.attributes) {
    if (kind.attribute(std::string(name))) continue;
    FAIL_CHECK("emitter '" << emitter.name << "' reads attribute '" << name << "' of stdlib kind '" << kind.name
                           << "', which declares no such attribute (renamed or removed?); its attributes: "
                           << joined(attribute_names(kind)));
  }
  for (std::string_view name : reads.secrets) {
    if (has_secret(kind, name)) continue;
    FAIL_CHECK("emitter '" << emitter.name << "' reads secret '" << name << "' of stdlib kind '" << kind.name
                           << "', which declares no such secret (renamed or removed?); its secrets: "
                           << joined(secret_names(kind)));
  }
}

}  // namespace

TEST_CASE("every attribute and secret an emitter reads is declared by its stdlib kind") {
  for (const Emitter& emitter : all_emitters()) {
    for (const KindReads& reads : emitter.reads) {
      if (const model::Kind* kind = standard_kind(reads.kind)) {
        check_against_kind(emitter, reads, *kind);
      } else {
        FAIL_CHECK("emitter '" << emitter.name << "' reads kind '" << reads.kind
                               << "', which no stdlib kind is called");
      }
    }
  }
}

TEST_CASE("every emitter declares each attribute and secret it reads while emitting the examples") {
  const std::vector<Example> specs = examples();
  REQUIRE_FALSE(specs.empty());
  std::size_t attributes_read = 0;
  std::size_t secrets_read = 0;
  for (const Example& example : specs) {
    const Compiled spec(example.name, example.text);
    for (const auto& [emitter, log] : reads_while_emitting(spec)) {
      for (const KindRead& read : log.attributes) check_read(*emitter, read, false, example.name);
      for (const KindRead& read : log.secrets) check_read(*emitter, read, true, example.name);
      attributes_read += log.attributes.size();
      secrets_read += log.secrets.size();
    }
  }
  // A recorder that saw nothing would pass any emitter.
  CHECK(attributes_read > 0);
  CHECK(secrets_read > 0);
}

TEST_CASE("every stdlib attribute and secret is read by an emitter or used by its kind") {
  for (const model::Kind& kind : stdlib().result.federation.kinds) {
    if (!kind.standard) continue;
    const syntax::Item* block = kind_block(kind.name);
    REQUIRE(block);
    check_attributes_used(kind, *block);
    check_secrets_used(kind, *block);
  }
}

TEST_CASE("a read recorder notes attributes and secrets on its thread, only while it lives") {
  std::string error;
  auto text = util::read_file(fs::path(DCOMMC_SOURCE_DIR) / "examples" / "kyiv.dcomm", error);
  REQUIRE(text);
  const Compiled spec("examples/kyiv.dcomm", std::move(*text));
  const model::Service* synapse = spec.result.federation.sites.at(0).service("synapse");
  REQUIRE(synapse);
  ReadLog log;
  {
    ReadRecorder recorder(log);
    synapse->attribute("presence");
    SiteContext::secret_file(*synapse, "form_secret");
    CHECK_THROWS_AS(ReadRecorder(log), std::logic_error);
  }
  synapse->attribute("federation");
  SiteContext::secret(*synapse, "macaroon_key");
  CHECK(log.attributes == std::set<KindRead>{{"synapse", "presence"}});
  CHECK(log.secrets == std::set<KindRead>{{"synapse", "form_secret"}});
}

}  // namespace dcomm::emit
