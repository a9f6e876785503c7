#!/usr/bin/env bash
# Validation of dcommc's artifacts by the programs that consume them
# (docs/validation.md). Registered with ctest by tests/validate/CMakeLists.txt.
#
#   run.sh build DCOMMC SPEC OUT        check SPEC (warnings as its
#                                       `# validate-expect:` lines say), then
#                                       build it into OUT (emptied first)
#   run.sh TOOL ARTIFACT SITEDIR [ARG]  validate one artifact of one built site
#                                       (ARTIFACT and its path: artifacts.txt)
#
# Exit status: 0 valid, 1 invalid (the tool's own message is printed),
# 77 skipped because the tool is not installed (scripts/validators.sh
# installs every one), 2 usage.
#
# Environment: DCOMMC_SHARED_DIR (default: ../shared beside the project
# root, where the schemas are), DCOMMC_TOOLS_DIR (default: tools/node in
# the project), DCOMMC_DOCKER (a docker client with `stack config`).
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
shared=${DCOMMC_SHARED_DIR:-$root/../shared}
node_dir=${DCOMMC_TOOLS_DIR:-$root/tools/node}
schemas=$shared/schemas
SKIP=77

fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "SKIP: $*"; exit "$SKIP"; }
need() {  # COMMAND WHY: skip unless COMMAND is installed
  command -v "$1" >/dev/null 2>&1 ||
    skip "$1 is not installed ($2); scripts/validators.sh installs it"
}
need_node() {  # the npm packages in tools/node
  need node "Node.js"
  local package
  for package in "$@"; do
    [[ -f $node_dir/node_modules/$package/package.json ]] ||
      skip "npm package $package is not in $node_dir; scripts/validators.sh installs it"
  done
  export NODE_PATH=$node_dir/node_modules
}
need_file() {  # FILE WHAT
  [[ -f $1 ]] || fail "$2 not found: $1 (set DCOMMC_SHARED_DIR to the folder holding schemas/)"
}
# Caddy as the stack runs it: sid's, which scripts/validators.sh unpacks
# into tools/caddy/ (bookworm's 2.6 cannot read a pki root without its key).
need_caddy() {
  caddy=${DCOMMC_CADDY:-$root/tools/caddy/usr/bin/caddy}
  [[ -x $caddy ]] || skip "$caddy is missing; scripts/validators.sh unpacks Debian sid's caddy there"
}
# Debian's python3: yamllint's dependencies bring python3-yaml with it.
python_with_yaml() {
  local candidate
  for candidate in /usr/bin/python3 python3; do
    if "$candidate" -c 'import yaml' >/dev/null 2>&1; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

scratch=$(mktemp -d "${TMPDIR:-/tmp}/dcommc-validate.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

# ---------------------------------------------------------------- build
if [[ ${1:-} == build ]]; then
  (($# == 4)) || { echo "usage: run.sh build DCOMMC SPEC OUT" >&2; exit 2; }
  dcommc=$2 spec=$3 out=$4
  [[ -x $dcommc ]] || fail "dcommc not found: $dcommc"
  [[ -f $spec ]] || fail "spec not found: $spec"

  # The warning codes the spec's `# validate-expect: W0503, W0504` lines name,
  # sorted and joined by spaces as the check below prints them.
  expected=$(sed -n 's/^#[[:space:]]*validate-expect:[[:space:]]*//p' "$spec" | tr -s ', ' '\n' |
    grep -v '^$' | sort -u | paste -sd ' ' -)
  status=0
  "$dcommc" check --format json --color never "$spec" >"$scratch/check.json" || status=$?
  if ((status > 1)); then
    cat "$scratch/check.json" >&2
    fail "dcommc check $spec exited with $status"
  fi
  need python3 "reading dcommc check's JSON"
  found=$(python3 - "$scratch/check.json" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
diagnostics = report.get("diagnostics", [])
errors = [d for d in diagnostics if d.get("severity") == "error"]
for d in errors:
    print(f"  {d.get('code')}: {d.get('message')}", file=sys.stderr)
if errors:
    print("ERRORS")
print(" ".join(sorted({d.get("code") for d in diagnostics if d.get("severity") != "error"})))
PY
)
  if [[ $found == ERRORS* ]] || ((status == 1)); then
    "$dcommc" check --color never "$spec" >&2
    fail "dcommc check $spec reports errors: every validation spec must be valid"
  fi
  if [[ $found != "$expected" ]]; then
    "$dcommc" check --color never "$spec" >&2
    fail "$spec: warnings [$found], expected [$expected] (its '# validate-expect:' lines)"
  fi

  rm -rf "$out"
  mkdir -p "$out"
  if ! "$dcommc" build "$spec" -o "$out" >"$scratch/build.log" 2>&1; then
    cat "$scratch/build.log" >&2
    fail "dcommc build $spec -o $out failed"
  fi
  echo "built $spec into $out: sites $(find "$out" -mindepth 1 -maxdepth 1 -type d -printf '%f ' | sort)"
  echo "warnings: ${found:-none}"
  exit 0
fi

# ---------------------------------------------------------- one artifact
(($# >= 3)) || { echo "usage: run.sh TOOL ARTIFACT SITEDIR [ARG...]" >&2; exit 2; }
tool=$1 artifact=$2 site_dir=$3
shift 3
paths=$(awk -v id="$artifact" '$1 == id { print $2 }' "$here/artifacts.txt")
rel=${paths%%+*}
[[ -n $rel ]] || { echo "run.sh: no artifact '$artifact' in artifacts.txt" >&2; exit 2; }
file=$site_dir/$rel
[[ -d $site_dir ]] || fail "site folder $site_dir is missing: did 'validate: ... build' fail?"
# A PATH ending in / is a folder of files of one kind (nftables/: one file
# per node); the tool validates each of them.
if [[ $tool != complete ]]; then
  if [[ $rel == */ ]]; then
    compgen -G "$file*" >/dev/null || fail "dcommc wrote nothing into $rel for this site"
  else
    [[ -f $file ]] || fail "dcommc wrote no $rel for this site ($file is missing)"
  fi
fi
site=$(basename "$site_dir")
echo "validating $file with $tool"

case $tool in

# ------------------------------------------------------------- stack.yml
docker)
  # The docker CLI 28.x this machine kind ships (client only, no engine):
  # Debian's docker.io client (20.10) has no `stack config`.
  # DCOMMC_DOCKER, when set, is the only client tried.
  docker=""
  if [[ -n ${DCOMMC_DOCKER:-} ]]; then
    candidates=("$DCOMMC_DOCKER")
  else
    mapfile -t candidates < <(type -ap docker 2>/dev/null; echo /usr/local/bin/docker; echo /usr/bin/docker)
  fi
  for candidate in "${candidates[@]}"; do
    [[ -x $candidate ]] || continue
    if "$candidate" stack config --help >/dev/null 2>&1; then docker=$candidate; break; fi
  done
  [[ -n $docker ]] ||
    skip "no docker client with 'stack config' (23.x or newer; Debian's docker.io 20.10 lacks it):" \
      "'validate: $site stack schema' checks the same compose schema"
  # (exit 1 without an engine, after printing the client's version)
  version=$("$docker" version --format '{{.Client.Version}}' 2>/dev/null | head -n 1 || true)
  echo "using $docker (client $version)"
  # Never talk to an engine, nor read the user's docker configuration.
  mkdir -p "$scratch/docker"
  cd "$(dirname "$file")" || fail "cannot enter $(dirname "$file")"
  if ! DOCKER_HOST=unix:///nonexistent/docker.sock DOCKER_CONFIG=$scratch/docker \
    "$docker" stack config -c "$(basename "$file")" >"$scratch/merged.yml" 2>"$scratch/err"; then
    cat "$scratch/err" >&2
    fail "docker stack config rejects $rel"
  fi
  if [[ -s $scratch/err ]]; then
    cat "$scratch/err" >&2
    fail "docker stack config warns about $rel"
  fi
  ;;

schema)
  need_node ajv-draft-04 js-yaml
  need_file "$schemas/config_schema_v3.13.json" "the compose file schema"
  node "$here/lib/compose-schema.js" "$schemas/config_schema_v3.13.json" "$file" ||
    fail "$rel does not match the compose file schema v3.13"
  ;;

refs)
  need_node js-yaml
  node "$here/lib/stack-refs.js" "$file" ||
    fail "$rel: references that 'docker stack config' accepts but 'docker stack deploy' rejects"
  ;;

# ------------------------------------------------------------------ nftables
nft)
  # nft -c asks the kernel to check the rules without applying them: in a
  # network namespace of its own, so the machine's firewall is not touched.
  need nft "Debian package nftables"
  if unshare -rn true 2>/dev/null; then netns=(unshare -rn); elif unshare -n true 2>/dev/null; then netns=(unshare -n); else
    skip "no network namespace for 'nft -c' (needs root or user namespaces)"
  fi
  for rules in "$file"*.nft; do
    "${netns[@]}" nft -c -f "$rules" || fail "nft -c rejects ${rules#"$site_dir"/}"
    echo "nft -c accepts ${rules#"$site_dir"/}"
  done
  ;;

secret-mounts)
  # Each container mounts exactly the secrets its configuration reads
  # (lib/secret_mounts.py).
  python=$(python_with_yaml) || skip "python3 with the yaml module (Debian python3-yaml)"
  "$python" "$here/lib/secret_mounts.py" "$site_dir" ||
    fail "a container of $site mounts a secret nothing in it reads, or reads one it does not mount"
  ;;

listeners)
  # Every socket of the site, derived from its artifacts (lib/listeners.py),
  # must be the reviewed list in listeners/SPEC/SITE.txt, and the nftables
  # files must open exactly the public ones.
  python=$(python_with_yaml) || skip "python3 with the yaml module (Debian python3-yaml)"
  spec=$(basename "$(dirname "$site_dir")")
  expected=$here/listeners/$spec/$site.txt
  "$python" "$here/lib/listeners.py" --check "$site_dir" >"$scratch/listeners.txt" ||
    fail "the sockets of $site and its nftables files disagree"
  if [[ ${DCOMMC_UPDATE_LISTENERS:-} == 1 ]]; then
    mkdir -p "$(dirname "$expected")" && cp "$scratch/listeners.txt" "$expected"
  fi
  [[ -f $expected ]] || fail "no reviewed list $expected (write it with DCOMMC_UPDATE_LISTENERS=1, then read it)"
  diff -u "$expected" "$scratch/listeners.txt" ||
    fail "$site listens elsewhere than listeners/$spec/$site.txt says"
  cat "$scratch/listeners.txt"
  ;;

# ------------------------------------------------------------------ YAML
yamllint)
  need yamllint "Debian package yamllint"
  # --strict: a warning fails the test too (exit 2).
  yamllint --strict -c "$here/yamllint.yaml" -f parsable "$file" || fail "yamllint rejects $rel"
  ;;

# ------------------------------------------------------------- Caddyfile
caddy)
  need_caddy
  # With tls internal, validate writes a local CA under $XDG_DATA_HOME: keep it in scratch.
  mkdir -p "$scratch/home" "$scratch/data" "$scratch/config"
  # The files the Caddyfile names where the stack mounts them (the
  # federation CA's root and the site's intermediate): Caddy reads them when
  # it validates, so each mount target is replaced by the file the stack
  # mounts there, as stack.yml says.
  python=$(python_with_yaml) || skip "python3 with the yaml module is not installed"
  "$python" - "$site_dir" "$file" >"$scratch/Caddyfile" <<'PY' || fail "cannot map the stack's mounts into $rel"
import os, sys, yaml
site_dir, caddyfile = sys.argv[1], sys.argv[2]
stack = yaml.safe_load(open(os.path.join(site_dir, "stack.yml")))
files = {}
for kind in ("configs", "secrets"):
    for key, top in (stack.get(kind) or {}).items():
        files[(kind, key)] = os.path.join(site_dir, top["file"])
text = open(caddyfile).read()
for service in stack["services"].values():
    for kind in ("configs", "secrets"):
        for mount in service.get(kind) or []:
            target = mount["target"]
            if target != "/etc/caddy/Caddyfile" and target in text:
                text = text.replace(target, files[(kind, mount["source"])])
sys.stdout.write(text)
PY
  if ! HOME=$scratch/home XDG_DATA_HOME=$scratch/data XDG_CONFIG_HOME=$scratch/config \
    "$caddy" validate --adapter caddyfile --config "$scratch/Caddyfile" >"$scratch/log" 2>&1; then
    grep -v '"level":"info"' "$scratch/log" >&2
    fail "caddy validate rejects $rel"
  fi
  # Caddy warns, and still starts, when the Caddyfile is not as `caddy fmt` writes it
  # (the fmt test covers that); that a plain-HTTP server gets no automatic
  # HTTPS is the point of http:// addresses, and with `auto_https off`
  # (tls = off) that none does. Any other warning is a finding.
  allowed='Caddyfile input is not formatted|server is listening only on the HTTP port, so no automatic HTTPS will be applied'
  if grep -q '^[[:space:]]*auto_https[[:space:]]\{1,\}off' "$file"; then
    allowed="$allowed|automatic HTTPS is completely disabled for server"
  fi
  if grep '"level":"\(warn\|error\)"' "$scratch/log" | grep -Ev "$allowed" >"$scratch/warn"; then
    cat "$scratch/warn" >&2
    fail "caddy validate warns about $rel"
  fi
  ;;

x509)
  # The federation's root as every site's Caddy and Synapse get it: a CA
  # certificate that signs itself and the site's intermediate (a CA for the
  # site's domain only), checked by OpenSSL with RFC 5280's strict rules.
  need openssl "Debian package openssl"
  intermediate=$site_dir/secrets/caddy_ca_certificate
  [[ -f $intermediate ]] || fail "the site's intermediate $intermediate is missing"
  openssl x509 -in "$file" -noout -ext basicConstraints 2>&1 | grep -q 'CA:TRUE' ||
    fail "$rel is not a CA certificate"
  openssl verify -x509_strict -CAfile "$file" "$file" >&2 || fail "$rel does not verify as a root"
  openssl verify -x509_strict -CAfile "$file" "$intermediate" >&2 ||
    fail "the site's intermediate is not signed by $rel"
  # Its one permitted name, and every HTTPS name the Caddyfile serves under it.
  domain=$(openssl x509 -in "$intermediate" -noout -ext nameConstraints | sed -n 's/^ *DNS:\([a-z0-9.-]*\)$/\1/p')
  [[ -n $domain && $domain != *$'\n'* ]] || fail "the site's intermediate permits not exactly one DNS name"
  grep -o '^[a-z0-9.-]*\(:[0-9]*\)\? {$' "$site_dir/caddy/Caddyfile" | sed 's/[: ].*//' | while read -r host; do
    [[ $host == "$domain" || $host == *".$domain" ]] ||
      { echo "FAIL: Caddy serves $host, which the intermediate for $domain cannot sign" >&2; exit 1; }
  done || exit 1
  ;;

onion)
  # A bare `<x>.onion` site address validates, but at run time Caddy would
  # ask an ACME CA for its certificate: every onion site must be http://.
  # Onion-Location headers must name an http:// onion too.
  status=0
  awk -v f="$rel" '
    /^[[:space:]]*#/ { next }
    /^[^[:space:]{}]/ {                      # a site block: addresses up to "{"
      line = $0; sub(/[[:space:]]*\{[[:space:]]*$/, "", line)
      n = split(line, addresses, /[ ,]+/)
      for (i = 1; i <= n; i++)
        if (addresses[i] ~ /\.onion(:[0-9]+)?$/ && addresses[i] !~ /^http:\/\//) {
          printf "%s:%d: onion site address without http://: %s\n", f, NR, addresses[i]; bad = 1
        }
    }
    /Onion-Location/ && !/Onion-Location[[:space:]]+"?http:\/\/[a-z0-9.-]+\.onion/ {
      printf "%s:%d: Onion-Location is not an http:// onion address: %s\n", f, NR, $0; bad = 1
    }
    END { exit bad }' "$file" || status=$?
  ((status == 0)) || fail "onion addresses in $rel"
  echo "$(grep -c '\.onion' "$file") lines name an onion address; all are http://"
  ;;

fmt)
  need_caddy
  # Caddy logs "Caddyfile input is not formatted" at every start otherwise.
  if ! "$caddy" fmt "$file" >"$scratch/formatted" 2>"$scratch/err"; then
    cat "$scratch/err" >&2
    fail "caddy fmt cannot read $rel"
  fi
  if ! cmp -s "$scratch/formatted" "$file"; then
    diff -u "$file" "$scratch/formatted" | head -n 40 >&2
    fail "$rel is not in 'caddy fmt' layout (diff above: - emitted, + caddy fmt)"
  fi
  ;;

# --------------------------------------------------------- homeserver.yaml
ajv)
  need_node ajv-cli ajv-formats
  need_file "$schemas/synapse-config.schema.yaml" "Synapse's config schema"
  need_file "$schemas/synapse-meta.schema.json" "Synapse's meta-schema"
  "$node_dir/node_modules/.bin/ajv" validate --spec=draft2020 --strict=false --all-errors \
    -c ajv-formats -m "$schemas/synapse-meta.schema.json" \
    -s "$schemas/synapse-config.schema.yaml" -d "$file" --errors=text ||
    fail "$rel does not match Synapse's config schema"
  ;;

keys)
  case $artifact in
    homeserver)
      need_node js-yaml
      need_file "$schemas/synapse-config.schema.yaml" "Synapse's config schema"
      node "$here/lib/synapse-keys.js" "$schemas/synapse-config.schema.yaml" "$file" ||
        fail "$rel has keys Synapse's config schema does not know"
      ;;
    maubot)
      need_node js-yaml
      node "$here/lib/maubot-keys.js" "$file" ||
        fail "$rel has keys maubot's example-config.yaml does not know (maubot drops them silently)"
      ;;
    dovecot-sql)
      awk -f "$here/lib/dovecot-sql.awk" "$file" || fail "$rel is not a valid dovecot SQL driver file"
      ;;
    *) echo "run.sh: no key check for $artifact" >&2; exit 2 ;;
  esac
  ;;

dictconfig)
  python=$(python_with_yaml) || skip "no python3 with the yaml module (Debian python3-yaml, which yamllint brings)"
  case $artifact in
    maubot) key=logging ;;
    *) key="" ;;
  esac
  "$python" "$here/lib/dictconfig.py" "$file" $key ||
    fail "Python's logging.config.dictConfig rejects $rel${key:+ ($key:)}"
  ;;

# ------------------------------------------------------------------ JSON
json)
  need python3 "the JSON check"
  python3 "$here/lib/json_check.py" "$file" || fail "$rel is not valid JSON"
  ;;

complete)
  # Every artifact the site's manifest lists is one the matrix expects (and
  # so validates), and every expected one exists.
  need python3 "reading manifest.json"
  python3 - "$site_dir" "$here/artifacts.txt" "$@" <<'PY' || fail "the artifacts of $site differ from matrix.txt"
import hashlib, json, os, sys
site_dir, table, expected = sys.argv[1], sys.argv[2], sys.argv[3:]
paths = {}
for line in open(table):
    fields = line.split()
    if fields and not fields[0].startswith("#"):
        paths[fields[0]] = fields[1]
want = {path: a for a in expected for path in paths[a].split("+")}
folders = {path: a for path, a in want.items() if path.endswith("/")}
manifest = json.load(open(os.path.join(site_dir, "manifest.json")))
listed = [a["path"] for a in manifest.get("artifacts", [])]
bad = False
for path in listed:
    if path not in want and not any(path.startswith(folder) for folder in folders):
        print(f"manifest.json lists {path}, which matrix.txt does not expect for this site: "
              "add its id to the site's line (and a validator to artifacts.txt)", file=sys.stderr)
        bad = True
for a in manifest.get("artifacts", []):
    full = os.path.join(site_dir, a["path"])
    if not os.path.isfile(full):
        print(f"manifest.json lists {a['path']}, which is not in {site_dir}", file=sys.stderr)
        bad = True
    elif hashlib.sha256(open(full, "rb").read()).hexdigest() != a.get("sha256"):
        print(f"manifest.json's sha256 of {a['path']} is not the file's", file=sys.stderr)
        bad = True
for path, artifact in sorted(want.items()):
    if path == "manifest.json" or path.startswith("secrets/"):
        ok = os.path.isfile(os.path.join(site_dir, path))  # secrets are not in the manifest
    elif path in folders:
        ok = any(p.startswith(path) for p in listed)
    else:
        ok = path in listed
    if not ok:
        print(f"expected artifact {artifact} ({path}) was not written", file=sys.stderr)
        bad = True
print(f"{len(listed)} artifacts in manifest.json, {len(want)} expected")
sys.exit(1 if bad else 0)
PY
  ;;

# --------------------------------------------------------------- Element
nginx)
  need nginx "Debian package nginx-light"
  # The element-web image includes the file in nginx's http block (via
  # /etc/nginx/templates and conf.d); test it the same way, with every
  # path nginx writes in the scratch folder.
  mkdir -p "$scratch/nginx/logs"
  cat >"$scratch/nginx/nginx.conf" <<EOF
pid $scratch/nginx/nginx.pid;
error_log stderr;
events {}
http {
    access_log off;
    client_body_temp_path $scratch/nginx/body;
    proxy_temp_path $scratch/nginx/proxy;
    fastcgi_temp_path $scratch/nginx/fastcgi;
    uwsgi_temp_path $scratch/nginx/uwsgi;
    scgi_temp_path $scratch/nginx/scgi;
    include $file;
}
EOF
  if ! nginx -t -q -p "$scratch/nginx" -c "$scratch/nginx/nginx.conf" -e stderr 2>"$scratch/err"; then
    cat "$scratch/err" >&2
    fail "nginx -t rejects $rel"
  fi
  grep -v '^$' "$scratch/err" >&2 && fail "nginx -t warns about $rel"
  ;;

# --------------------------------------------------------------- postfix
postconf)
  need postconf "Debian package postfix"
  mkdir -p "$scratch/etc"
  cp "$site_dir/postfix/main.cf" "$site_dir/postfix/master.cf" "$scratch/etc/" ||
    fail "postfix/master.cf is missing beside main.cf"
  # -n reads main.cf and master.cf; unknown parameters (also in -o) are warnings.
  postconf -c "$scratch/etc" -n >/dev/null 2>"$scratch/err" || {
    cat "$scratch/err" >&2
    fail "postconf rejects postfix/main.cf or postfix/master.cf"
  }
  if grep -q 'warning:' "$scratch/err"; then
    cat "$scratch/err" >&2
    fail "postconf warns about postfix/main.cf or postfix/master.cf"
  fi
  # postconf accepts any command name in master.cf: each must be a daemon
  # of this postfix (the container's postfix is the same major version).
  daemons=$(postconf -d -h daemon_directory)
  bad=0
  while IFS= read -r line; do
    service=${line%% = *}
    command=${line#* = }
    command=${command%% *}
    if [[ ! -x $daemons/$command ]]; then
      echo "postfix/master.cf: $service runs '$command', which is not a postfix daemon in $daemons" >&2
      bad=1
    fi
  done < <(postconf -c "$scratch/etc" -F '*/*/command')
  ((bad == 0)) || fail "unknown daemon commands in postfix/master.cf"
  echo "postconf -n: $(postconf -c "$scratch/etc" -n 2>/dev/null | wc -l) parameters, no warnings;" \
    "$(postconf -c "$scratch/etc" -M | wc -l) services, all known daemons"
  ;;

postfix-check)
  need postfix "Debian package postfix"
  need script "Debian package bsdutils"
  ((EUID == 0)) || skip "postfix check must run as root (it creates and chowns its queue folders)"
  getent passwd postfix >/dev/null || skip "no postfix user (the Debian package creates it)"
  # Scratch queue and data folders: the system's postfix folders stay untouched.
  # The certificate files named in main.cf are not opened by `postfix check`.
  mkdir -p "$scratch/etc" "$scratch/queue" "$scratch/data"
  chmod 755 "$scratch"
  chown postfix "$scratch/data"
  cp "$site_dir/postfix/main.cf" "$site_dir/postfix/master.cf" "$scratch/etc/" ||
    fail "postfix/master.cf is missing beside main.cf"
  postconf -c "$scratch/etc" -e "queue_directory=$scratch/queue" "data_directory=$scratch/data"
  # Without a terminal postfix logs only to syslog: `script` gives it one.
  status=0
  script -qec "postfix -c $scratch/etc check" /dev/null >"$scratch/out" 2>&1 || status=$?
  tr -d '\r' <"$scratch/out" >&2
  ((status == 0)) || fail "postfix check rejects a value in postfix/main.cf (exit $status)"
  grep -q 'warning:\|fatal:' "$scratch/out" && fail "postfix check warns about postfix/main.cf"
  ;;

# --------------------------------------------------------------- dovecot
doveconf)
  need doveconf "Debian package dovecot-core"
  doveconf -c "$file" -n >/dev/null 2>"$scratch/err" || {
    cat "$scratch/err" >&2
    fail "doveconf rejects $rel"
  }
  if [[ -s $scratch/err ]]; then
    cat "$scratch/err" >&2
    fail "doveconf warns about $rel"
  fi
  ;;

# ------------------------------------------------------------------- tor
tor)
  need tor "Debian package tor"
  # As generated: HiddenServiceDir under /var/lib/tor/ is only read by
  # --verify-config (no folder is created), so nothing is rewritten.
  tor --verify-config --hush --defaults-torrc /dev/null -f "$file" >"$scratch/out" 2>&1 || {
    cat "$scratch/out" >&2
    fail "tor --verify-config rejects $rel"
  }
  # Running the test as root is the only warning allowed.
  if grep '\[warn\]\|\[err\]' "$scratch/out" | grep -v 'You are running Tor as root' >&2; then
    fail "tor --verify-config warns about $rel"
  fi
  ;;

# ------------------------------------------------------------------- DNS
named-checkzone)
  need named-checkzone "Debian package bind9-utils"
  # dns.zone is the site's records, meant to go below the SOA and NS records
  # the operator's DNS provider has; its A/AAAA lines are commented out
  # for the operator to fill in. To check it as a zone, put a SOA and NS
  # above it and fill those lines with documentation addresses (RFC 5737,
  # RFC 3849).
  # shellcheck disable=SC2016 # a literal $ORIGIN
  origin=$(sed -n 's/^\$ORIGIN[[:space:]]\{1,\}\([^[:space:]]*\).*/\1/p' "$file" | head -n 1)
  [[ -n $origin ]] || fail "$rel has no \$ORIGIN line"
  {
    echo "\$TTL 3600"
    echo "$origin IN SOA ns1.$origin hostmaster.$origin ( 1 3600 900 604800 300 )"
    echo "$origin IN NS ns1.$origin"
    echo "ns1.$origin IN A 192.0.2.53"
    sed -e 's/^;\(@[[:space:]]\{1,\}IN[[:space:]]\{1,\}A[[:space:]]\{1,\}\)<[^>]*>/\1192.0.2.1/' \
      -e 's/^;\(@[[:space:]]\{1,\}IN[[:space:]]\{1,\}AAAA[[:space:]]\{1,\}\)<[^>]*>/\12001:db8::1/' \
      -e 's/^;\([^[:space:]]\{1,\}[[:space:]]\{1,\}IN[[:space:]]\{1,\}A[[:space:]]\{1,\}\)<[^>]*>/\1192.0.2.1/' \
      -e 's/^;\([^[:space:]]\{1,\}[[:space:]]\{1,\}IN[[:space:]]\{1,\}AAAA[[:space:]]\{1,\}\)<[^>]*>/\12001:db8::1/' \
      "$file"
  } >"$scratch/zone"
  if grep -q '^[^;]*<' "$scratch/zone"; then
    grep -n '^[^;]*<' "$scratch/zone" >&2
    fail "$rel has placeholders outside the commented A/AAAA lines"
  fi
  # -k/-n/-m/-M/-S/-r fail: warnings that named would log are failures here.
  status=0
  named-checkzone -k fail -n fail -m fail -M fail -S fail -r fail -i full \
    "${origin%.}" "$scratch/zone" >"$scratch/out" 2>&1 || status=$?
  cat "$scratch/out"
  ((status == 0)) || fail "named-checkzone rejects $rel (with a SOA and NS above it)"
  # Out-of-zone records are dropped with only a message, and so is anything
  # else it would have to say: a clean zone gives "loaded serial" and "OK".
  if grep -v '^zone .*: loaded serial [0-9]*$' "$scratch/out" | grep -qv '^OK$'; then
    fail "named-checkzone warns about $rel"
  fi
  ;;

# ---------------------------------------------------------- shell scripts
sh)
  need sh "a POSIX shell"
  sh -n "$file" || fail "sh -n: syntax errors in $rel"
  if command -v dash >/dev/null; then dash -n "$file" || fail "dash -n: syntax errors in $rel"; fi
  ;;

shellcheck)
  need shellcheck "Debian package shellcheck"
  shellcheck --shell=sh --severity=style "$file" || fail "shellcheck finds problems in $rel"
  ;;

*)
  echo "run.sh: unknown tool '$tool'" >&2
  exit 2
  ;;
esac
echo "OK: $rel passes $tool"
