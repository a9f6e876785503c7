#include "util/spellcheck.hpp"

#include <catch2/catch.hpp>

using dcomm::util::did_you_mean;
using dcomm::util::edit_distance;

namespace {

const std::vector<std::string> kAttributes = {"domain",       "onion",      "tls", "labels",
                                              "kind",         "host",       "on",  "homeserver",
                                              "registration", "federation", "root"};
const std::vector<std::string> kKinds = {"caddy",     "synapse", "postgres", "element",
                                         "deltachat", "ceno",    "maubot",   "website"};

}  // namespace

TEST_CASE("spellcheck: edit distance", "[spellcheck]") {
  CHECK(edit_distance("", "") == 0);
  CHECK(edit_distance("", "abc") == 3);
  CHECK(edit_distance("abc", "") == 3);
  CHECK(edit_distance("kitten", "sitting") == 3);
  CHECK(edit_distance("domian", "domain") == 1);  // one swap, not two replacements
  CHECK(edit_distance("ab", "ba") == 1);
  CHECK(edit_distance("labls", "labels") == 1);
  CHECK(edit_distance("Domain", "domain") == 0);
  // Optimal string alignment edits no substring twice: "ca" -> "abc" is 3,
  // where unrestricted Damerau-Levenshtein says 2.
  CHECK(edit_distance("ca", "abc") == 3);
  CHECK(edit_distance("synapse", "synapse") == 0);
}

TEST_CASE("spellcheck: suggestions", "[spellcheck]") {
  CHECK(did_you_mean("domian", kAttributes) == "domain");
  CHECK(did_you_mean("synpase", kKinds) == "synapse");
  CHECK(did_you_mean("labls", kAttributes) == "labels");
  CHECK(did_you_mean("Synapse", kKinds) == "synapse");
  CHECK(did_you_mean("elemnet", kKinds) == "element");
  CHECK(did_you_mean("federaton", kAttributes) == "federation");
  CHECK(did_you_mean("postgress", kKinds) == "postgres");
}

TEST_CASE("spellcheck: nothing close enough", "[spellcheck]") {
  CHECK_FALSE(did_you_mean("zzz", kAttributes).has_value());
  CHECK_FALSE(did_you_mean("zzz", kKinds).has_value());
  CHECK_FALSE(did_you_mean("domain", {}).has_value());
  // Five letters allow one edit; "lbls" -> "labels" needs two.
  CHECK_FALSE(did_you_mean("lbls", kAttributes).has_value());
  // Short names allow one edit, not more.
  CHECK(did_you_mean("tsl", kAttributes) == "tls");
  CHECK_FALSE(did_you_mean("xyz", kAttributes).has_value());
}

TEST_CASE("spellcheck: ties go to the earliest candidate", "[spellcheck]") {
  CHECK(did_you_mean("hot", {"host", "hat", "dot"}) == "host");
  CHECK(did_you_mean("hot", {"dot", "hat", "host"}) == "dot");
  // A closer candidate later in the list still wins.
  CHECK(did_you_mean("roots", {"root", "roots"}) == "roots");
}
