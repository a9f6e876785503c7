#include "validate/room_directory.hpp"

#include <fmt/format.h>

#include <string>
#include <vector>

namespace dcomm::validate {

namespace {

/// "4,097": the counts here are large enough to need separators.
std::string with_commas(std::size_t n) {
  std::string digits = std::to_string(n);
  for (std::size_t at = digits.size(); at > 3; at -= 3) digits.insert(at - 3, ",");
  return digits;
}

void report(const model::Service& element, Span at, std::size_t servers, const char* label,
            std::vector<std::string> notes, Diagnostics& diags) {
  notes.insert(notes.begin(), "every listed server is written into each site's element/config.json, so a "
                              "federation of N sites writes N\u00b2 entries");
  diags.report(
      {.code = "E0413",
       .message = fmt::format("the room directory of '{}' would list {} servers (limit {})", element.name,
                              with_commas(servers), with_commas(kMaxRoomDirectory)),
       .primary = {at, label},
       .notes = std::move(notes),
       .help = fmt::format("write room_directory = [\"matrix.example.org\", ...] in '{}' with the servers "
                           "worth offering, at most {}",
                           element.name, with_commas(kMaxRoomDirectory))});
}

}  // namespace

void check_room_directories(const model::Federation& federation, Diagnostics& diags) {
  // Each site lists every federating homeserver of the federation but its own.
  const std::size_t federating = federation.federating_homeservers.size();

  // The default list is too long for every federating site alike: one
  // report, at the first, rather than one per site.
  const model::Service* first_default = nullptr;
  std::size_t first_count = 0, more_defaults = 0;
  for (const model::Site& site : federation.sites) {
    const std::size_t others = federating - site.federating_homeservers();
    for (const model::Service* element : site.services_of_kind("element")) {
      const model::Value* written = element->attribute("room_directory");
      if (written && !written->items.empty()) {
        if (written->items.size() > kMaxRoomDirectory) {
          report(*element, written->span, written->items.size(), "this list", {}, diags);
        }
        continue;
      }
      // The default: every other federating site, if this site's homeserver federates.
      const model::Value* homeserver = element->attribute("homeserver");
      const model::Service* synapse = homeserver ? site.service(homeserver->text) : nullptr;
      if (!synapse || !synapse->is_federating_homeserver() || others <= kMaxRoomDirectory) continue;
      if (first_default) {
        ++more_defaults;
      } else {
        first_default = element;
        first_count = others;
      }
    }
  }
  if (!first_default) return;
  std::vector<std::string> notes;
  if (more_defaults > 0) {
    notes.push_back(fmt::format("the element services of {} more sites have the same problem",
                                with_commas(more_defaults)));
  }
  report(*first_default, first_default->span, first_count, "lists every other federating site by default",
         std::move(notes), diags);
}

}  // namespace dcomm::validate
