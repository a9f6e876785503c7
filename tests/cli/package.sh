#!/usr/bin/env bash
# The Debian package: `cpack -G DEB` in the build tree of the dcommc under
# test makes a .deb whose control data and contents are checked; it is
# unpacked into a scratch root (dpkg -x) and the unpacked dcommc runs
# --version and a build of examples/kyiv.dcomm. As root, and when no dcommc
# package is installed already, it is also really installed (dpkg -i), run
# from /usr/bin, and removed again (dpkg -r).
# Usage: tests/cli/package.sh path/to/dcommc   (run from the project root)
# Exit 77 (skipped) when cpack or dpkg-deb are missing.
set -uo pipefail

dcommc=$(realpath "${1:?usage: package.sh path/to/dcommc}")
root=$PWD
for tool in cpack dpkg-deb dpkg; do
  if ! command -v "$tool" >/dev/null; then
    echo "skip: $tool is not installed (Debian: apt-get install cmake dpkg-dev)"
    exit 77
  fi
done

# The build tree: the folder above the binary that holds CPackConfig.cmake.
build=$(dirname "$dcommc")
while [[ $build != / && ! -f $build/CPackConfig.cmake ]]; do build=$(dirname "$build"); done
if [[ ! -f $build/CPackConfig.cmake ]]; then
  echo "FAIL no CPackConfig.cmake above $dcommc: is cmake/packaging.cmake included by CMakeLists.txt?"
  exit 1
fi

work=$(mktemp -d)
installed_here=0
cleanup() {
  ((installed_here)) && dpkg -r dcommc >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT
failures=0
pass() { echo "ok   $1"; }
fail() { echo "FAIL $1"; failures=$((failures + 1)); }
skip() { echo "skip $1"; }

version=$("$dcommc" --version | awk '{ print $2 }')

# ---- the .deb ----------------------------------------------------------------

# -B: the package and CPack's staging go to the scratch folder, not the build tree.
if ! (cd "$build" && cpack -G DEB -B "$work/pkg") >"$work/cpack.log" 2>&1; then
  fail "cpack -G DEB failed:"
  tail -20 "$work/cpack.log"
  exit 1
fi
debs=("$work"/pkg/*.deb)
if [[ ${#debs[@]} -ne 1 || ! -f ${debs[0]} ]]; then
  fail "cpack made no single .deb: ${debs[*]}"
  exit 1
fi
deb=${debs[0]}
pass "cpack -G DEB made $(basename "$deb")"
[[ $(basename "$deb") == "dcommc_${version}_$(dpkg --print-architecture).deb" ]] &&
  pass "named dcommc_VERSION_ARCH.deb" || fail "unexpected name $(basename "$deb")"

field() { dpkg-deb -f "$deb" "$1"; }
[[ $(field Package) == dcommc ]] && pass "Package: dcommc" || fail "Package: $(field Package)"
[[ $(field Version) == "$version" ]] && pass "Version: $version, as dcommc --version" ||
  fail "Version: $(field Version), dcommc --version says $version"
[[ $(field Section) == devel ]] && pass "Section: devel" || fail "Section: $(field Section)"
[[ -n $(field Maintainer) ]] && pass "has a Maintainer" || fail "no Maintainer"
[[ -n $(field Description) ]] && pass "has a Description" || fail "no Description"
# dpkg-shlibdeps found the shared libraries the binary links.
depends=$(field Depends)
[[ $depends == *libc6* && $depends == *libstdc++6* ]] &&
  pass "Depends from dpkg-shlibdeps: $depends" || fail "Depends lacks libc6/libstdc++6: '$depends'"

dpkg-deb -c "$deb" >"$work/listing"
awk '{ print $NF }' "$work/listing" | sed 's|^\./|/|' >"$work/contents"
want=(
  /usr/bin/dcommc
  /usr/share/man/man1/dcommc.1.gz
  /usr/share/bash-completion/completions/dcommc
  /usr/share/zsh/vendor-completions/_dcommc
  /usr/share/doc/dcommc/copyright
  /usr/share/doc/dcommc/README.md
  /usr/share/doc/dcommc/ci.md
  /usr/share/doc/dcommc/migrating.md
  /usr/share/doc/dcommc/examples/github-workflow.yml
)
for file in "$root"/stdlib/*.dcomm; do want+=("/usr/share/dcommc/stdlib/$(basename "$file")"); done
missing=()
for file in "${want[@]}"; do grep -qxF "$file" "$work/contents" || missing+=("$file"); done
((${#missing[@]} == 0)) && pass "contains the binary, man page, completions, docs and all $(ls "$root"/stdlib/*.dcomm | wc -l) stdlib files" ||
  fail "missing from the .deb: ${missing[*]}"
grep -q '^/usr/local' "$work/contents" && fail "installs under /usr/local" || pass "installs under /usr"
grep -q '^-rwxr-xr-x root/root .* \./usr/bin/dcommc$' "$work/listing" &&
  pass "/usr/bin/dcommc is root-owned and 0755" || fail "bad owner or mode of /usr/bin/dcommc"

# ---- unpacked into a scratch root ---------------------------------------------

dpkg -x "$deb" "$work/root"
installed=$work/root/usr/bin/dcommc
[[ $("$installed" --version) == "dcommc $version" ]] && pass "the unpacked dcommc runs: $("$installed" --version)" ||
  fail "unpacked dcommc --version: $("$installed" --version 2>&1)"
file "$installed" 2>/dev/null | grep -q 'not stripped' && fail "the binary is not stripped" || pass "the binary is stripped"
mkdir "$work/site" && cd "$work/site"
cp "$root/examples/kyiv.dcomm" .
if "$installed" kyiv.dcomm -o out >build.log 2>&1 && [[ -s out/kyiv/stack.yml && -s out/kyiv/secrets/synapse_signing_key ]]; then
  pass "the unpacked dcommc builds examples/kyiv.dcomm"
else
  fail "build with the unpacked dcommc: $(tail -5 build.log)"
fi
"$installed" check --stdlib "$work/root/usr/share/dcommc/stdlib" kyiv.dcomm >check.log 2>&1 &&
  pass "the installed stdlib works with --stdlib" || fail "check --stdlib with the installed stdlib: $(tail -5 check.log)"
if command -v groff >/dev/null; then
  warnings=$(zcat "$work/root/usr/share/man/man1/dcommc.1.gz" | groff -man -Tutf8 -ww -z 2>&1)
  [[ -z $warnings ]] && pass "the installed man page renders without warnings" || fail "groff: $warnings"
fi
(source "$work/root/usr/share/bash-completion/completions/dcommc" && complete -p dcommc) >/dev/null 2>&1 &&
  pass "the installed bash completion registers" || fail "the installed bash completion does not load"
cd "$root"

# ---- a real install, as root -----------------------------------------------------

if ((EUID != 0)); then
  skip "dpkg -i / dpkg -r round trip: not root"
elif [[ $(dpkg-query -W -f='${db:Status-Status}' dcommc 2>/dev/null) == installed ]]; then
  skip "dpkg -i / dpkg -r round trip: a dcommc package is already installed; leaving it alone"
elif [[ -e /usr/bin/dcommc ]]; then
  skip "dpkg -i / dpkg -r round trip: /usr/bin/dcommc exists outside any package"
elif ! dpkg -i "$deb" >"$work/dpkg.log" 2>&1; then
  if grep -q 'lock' "$work/dpkg.log"; then
    skip "dpkg -i: the dpkg database is locked by another process"
  else
    installed_here=1
    fail "dpkg -i: $(tail -5 "$work/dpkg.log")"
  fi
else
  installed_here=1
  [[ $(/usr/bin/dcommc --version) == "dcommc $version" ]] && pass "dpkg -i: /usr/bin/dcommc --version" ||
    fail "installed /usr/bin/dcommc --version: $(/usr/bin/dcommc --version 2>&1)"
  mkdir "$work/site2" && cp "$root/examples/kyiv.dcomm" "$work/site2/"
  (cd "$work/site2" && /usr/bin/dcommc kyiv.dcomm -o out >build.log 2>&1) && [[ -s $work/site2/out/kyiv/stack.yml ]] &&
    pass "dpkg -i: the installed dcommc builds examples/kyiv.dcomm" || fail "build with /usr/bin/dcommc"
  if command -v man >/dev/null && [[ -d /usr/share/man/man1 ]]; then
    MANWIDTH=80 man dcommc 2>/dev/null | grep -q 'dcommc - compile' && pass "dpkg -i: man dcommc finds the page" ||
      skip "man dcommc (man-db's index may be excluded in this image)"
  fi
  if dpkg -r dcommc >"$work/dpkg.log" 2>&1; then
    installed_here=0
    [[ ! -e /usr/bin/dcommc ]] && pass "dpkg -r removes it" || fail "/usr/bin/dcommc left after dpkg -r"
  else
    fail "dpkg -r: $(tail -5 "$work/dpkg.log")"
  fi
fi

echo "package: $failures failure(s)"
((failures == 0))
