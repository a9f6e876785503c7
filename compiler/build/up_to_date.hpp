#pragma once
// Whether a rebuild may leave a site alone, without rendering it: the
// cheap question that makes a rebuild of a fleet cost about a `check`.

#include <filesystem>
#include <set>
#include <string>

#include "build/manifest.hpp"

namespace dcomm::build {

/// True if the site's output is what a build would write now: `manifest`
/// (read from `site_dir`) has `fingerprint`, no secret of the site is to
/// be rotated, and every file it lists is still as that build left it: a
/// regular file, not a link, whose status has not changed (ctime) since
/// the manifest was written; raw secrets also non-empty and mode 0600.
/// ctime, not mtime: no tool can set it back, so a file restored from a
/// backup or edited by hand counts as changed. Anything else means render
/// and compare, which is always correct, only slower.
bool site_is_current(const std::filesystem::path& site_dir, const Manifest& manifest,
                     const std::string& fingerprint, const std::set<std::string>& rotate);

}  // namespace dcomm::build
