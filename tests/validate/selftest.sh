#!/usr/bin/env bash
# Proof that each validation test can fail: copies a built site, breaks
# one artifact the way a faulty emitter could, and expects
# `run.sh TOOL ARTIFACT` to reject it (exit 1).
#
#   selftest.sh TOOL ARTIFACT SITEDIR [EXPECTED-ARTIFACT...]
#
# Exit 0 when run.sh rejects the broken artifact, 1 when it accepts it (the
# validator is blind to what it exists to catch), 77 when run.sh skips.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
(($# >= 3)) || { echo "usage: selftest.sh TOOL ARTIFACT SITEDIR [EXPECTED...]" >&2; exit 2; }
tool=$1 artifact=$2 site_dir=$3
shift 3

scratch=$(mktemp -d "${TMPDIR:-/tmp}/dcommc-selftest.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
site=$scratch/$(basename "$site_dir")
cp -R "$site_dir" "$site" || exit 1

paths=$(awk -v id="$artifact" '$1 == id { print $2 }' "$here/artifacts.txt")
file=$site/${paths%%+*}
# A folder of files of one kind (nftables/): break the first of them.
if [[ $file == */ ]]; then file=$(compgen -G "$file*" | LC_ALL=C sort | head -n 1); fi
[[ -f $file ]] || { echo "FAIL: $file is missing" >&2; exit 1; }
cp "$file" "$scratch/original"

first() {  # SED-SCRIPT: apply to the first matching line only
  sed -i "0,/$1/s/$1/$2/" "$file"
}

case "$artifact $tool" in
  "stack docker" | "stack schema") what="a misspelt key (deplyo)"; first '^    deploy:' '    deplyo:' ;;
  "stack refs") what="a service on an undeclared network"; first '^      - host$' '      - frontend' ;;
  "stack yamllint") what="a key twice"; echo 'version: "3.8"' >>"$file" ;;
  "stack secret-mounts") what="a secret mounted where its reader does not look"
    first 'target: \/run\/secrets\/signing_key$' 'target: \/run\/secrets\/signing_key.pem' ;;
  "caddyfile caddy") what="an unknown directive"; first 'reverse_proxy' 'reverse_prox' ;;
  "caddyfile onion") what="an onion site without http://"; first '^http:\/\/\([a-z0-9.-]*\.onion\)' '\1' ;;
  "caddyfile fmt") what="a line indented with spaces"; first '^\t\(reverse_proxy\|handle\)' '    \1' ;;
  "caddy-ca x509" | "synapse-ca x509")
    what="another authority's root, which did not sign the site's intermediate"
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$scratch/other.key" \
      -subj "/CN=another root" -days 30 -addext basicConstraints=critical,CA:TRUE -out "$file" 2>/dev/null ;;
  "homeserver yamllint") what="a YAML 1.1 truthy value"; echo 'use_presence: yes' >>"$file" ;;
  "homeserver ajv") what="a string for a boolean"; first '^enable_registration: .*' 'enable_registration: "yes"' ;;
  "homeserver keys") what="a misspelt key"; first '^enable_registration:' 'enable_registraton:' ;;
  "synapse-log yamllint") what="a key twice"; echo 'version: 1' >>"$file" ;;
  "synapse-log dictconfig") what="a handler class that does not exist"; first 'logging\.StreamHandler' 'logging.StreamHandlr' ;;
  "element json") what="a key twice"; first '^{$' '{ "brand": "x",' ;;
  "element-nginx nginx") what="an unknown directive"; first 'listen ' 'listn ' ;;
  "postfix postconf") what="a misspelt parameter"; first '^message_size_limit' 'mesage_size_limit' ;;
  "postfix postfix-check") what="a bad number"; first '^message_size_limit = .*' 'message_size_limit = lots' ;;
  "dovecot doveconf") what="an unknown setting"; first '^disable_plaintext_auth' 'disable_plaintext_authh' ;;
  "dovecot-sql keys") what="an unknown setting"; first '^password_query' 'pasword_query' ;;
  "mailadm sh" | "dovecot-start sh" | "labels sh") what="a syntax error"; echo 'if then fi' >>"$file" ;;
  "mailadm shellcheck" | "dovecot-start shellcheck" | "labels shellcheck") what="an unquoted expansion"; echo "ls \$HOME" >>"$file" ;;
  "maubot yamllint") what="a key twice"; echo 'database: "sqlite:/x.db"' >>"$file" ;;
  "maubot keys") what="a misspelt key"; first 'public_url:' 'publc_url:' ;;
  "maubot dictconfig") what="a handler class that does not exist"; first 'logging\.StreamHandler' 'logging.StreamHandlr' ;;
  "nftables nft") what="a port out of range"; first 'elements = { 22 }' 'elements = { 65536 }' ;;
  "nftables listeners")  # the stack says where the database listens
    what="the database on every address"
    file=$site/stack.yml
    cp "$file" "$scratch/original"
    first 'listen_addresses=127.0.0.1' 'listen_addresses=*' ;;
  "tor tor") what="an unknown option"; first '^HiddenServicePort ' 'HiddenServicePorts ' ;;
  "dns named-checkzone") what="a CNAME beside other data"; echo 'matrix   IN  A      192.0.2.7' >>"$file" ;;
  "manifest json") what="a cut-off file"; head -c 100 "$scratch/original" >"$file" ;;
  "manifest complete") what="an artifact changed after the build"; echo '# changed' >>"$site/labels.sh" ;;
  *) echo "FAIL: no way to break $artifact for $tool: add one to selftest.sh" >&2; exit 1 ;;
esac

if [[ "$artifact $tool" != "manifest complete" ]] && cmp -s "$file" "$scratch/original"; then
  echo "FAIL: the mutation ($what) did not change $file: the emitter's output changed; update selftest.sh" >&2
  exit 1
fi
echo "broke $artifact with $what:"
diff "$scratch/original" "$file" | head -n 6

status=0
"$here/run.sh" "$tool" "$artifact" "$site" "$@" || status=$?
case $status in
  1) echo "OK: run.sh $tool $artifact rejects $what"; exit 0 ;;
  77) exit 77 ;;
  0) echo "FAIL: run.sh $tool $artifact accepts $what" >&2; exit 1 ;;
  *) echo "FAIL: run.sh $tool $artifact exited with $status (expected 1)" >&2; exit 1 ;;
esac
