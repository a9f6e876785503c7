#!/usr/bin/env bash
# Installs from Debian 12's own packages whatever dcommc needs to build and
# test and is not installed yet. Used by scripts/setup.sh and scripts/test.sh.
# When everything is there it installs nothing and touches no network.
set -euo pipefail

# tao-pegtl-dev: the grammar        libfmt-dev: message formatting
# nlohmann-json3-dev: JSON, SARIF    libyaml-cpp-dev: YAML emitters
# catch2: unit tests                 libcli11-dev: the command line
# libssl-dev: SHA3-256, CSPRNG       clang, libclang-rt-14-dev: libFuzzer
# python3: test scripts              graphviz: dcommc graph --format svg
# dpkg-dev: the .deb (shlibdeps)     zsh: the zsh completion's syntax check
# strace: the crash tests kill a build at a chosen system call
# mount, e2fsprogs: the power-cut tests build on a loop-mounted ext4
# age: dcommc secrets seal and unseal encrypt with it (and their tests)
# git: tests/cli/secrets.sh clones an output folder as a second operator would
# libcurl4-openssl-dev: dcommc verify checks a deployed site over HTTPS, SMTP and IMAP
packages=(
  build-essential cmake ninja-build
  tao-pegtl-dev libfmt-dev nlohmann-json3-dev libyaml-cpp-dev catch2 libcli11-dev libssl-dev
  clang libclang-rt-14-dev
  python3 graphviz dpkg-dev zsh strace
  mount e2fsprogs age git libcurl4-openssl-dev
)

source "$(dirname "${BASH_SOURCE[0]}")/debian.sh"
require_debian deps
mapfile -t missing < <(missing_packages "${packages[@]}")

if ((${#missing[@]} > 0)); then
  use_root "deps: missing ${missing[*]}"
  echo "deps: installing ${missing[*]}"
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  echo "deps: all ${#packages[@]} packages already installed"
fi

# The grammar is written against PEGTL 3 (Debian 12 ships 3.2.7); PEGTL 4
# renamed the error controls, so any other major version must stop here.
pegtl=$(dpkg-query -W -f='${Version}' tao-pegtl-dev)
pegtl=${pegtl#*:}  # drop an epoch, if any
if [[ $pegtl != 3.* ]]; then
  echo "deps: tao-pegtl-dev is $pegtl, but dcommc needs PEGTL 3.x." >&2
  echo "deps: install Debian 12's version: apt-get install tao-pegtl-dev=3.2.7-1" >&2
  exit 1
fi
