#!/usr/bin/env bash
# Injection: hostile values through every spec attribute that reaches an
# artifact. Each row of the table below puts one value into one place of a
# spec that uses every standard kind and a kind of its own, builds it, and
# expects one of two outcomes:
#   reject  `dcommc SPEC -o OUT` exits 1 with an error diagnostic and
#           creates nothing;
#   inert   the build succeeds, every artifact still parses with its real
#           parser (YAML, JSON, Caddyfile, sh, zone file, torrc, where the
#           tool is installed; tests/validate/run.sh runs them), no line of
#           any artifact starts with the canary a hostile value tried to
#           smuggle onto a line of its own, and the value arrives verbatim
#           where it is checkable (labels.sh's docker arguments, the stack's
#           environment, Element's config.json).
# A crash (exit 3 or a signal), or a build that writes a broken artifact,
# fails the row.
#
# Usage: tests/cli/injection.sh path/to/dcommc   (run from the project root)
#        INJECTION_ONLY=BRAND tests/cli/injection.sh ...   runs one place's rows
#        INJECTION_SHARD=2/4 tests/cli/injection.sh ...    every 4th row from the 2nd (0-based):
#          ctest runs the table as four tests, so that -j spreads it
#        INJECTION_JOBS=N   rows built and checked at once (default 2)
set -euo pipefail

dcommc=$(realpath "${1:?usage: injection.sh path/to/dcommc}")
root=$PWD
if ! command -v python3 >/dev/null || ! python3 -c 'import yaml' 2>/dev/null; then
  echo "injection: needs python3 with PyYAML (Debian python3-yaml); skipped"
  exit 0
fi
exec python3 - "$dcommc" "$root" <<'PYTHON'
import concurrent.futures, json, os, re, shutil, subprocess, sys, tempfile
import yaml

dcommc, root = sys.argv[1], sys.argv[2]
validate = os.path.join(root, "tests/validate/run.sh")
only = os.environ.get("INJECTION_ONLY")
shard, shards = (int(n) for n in os.environ.get("INJECTION_SHARD", "0/1").split("/"))
jobs = int(os.environ.get("INJECTION_JOBS", "2"))
CANARY = "INJECTED"

# ------------------------------------------------------------------ the spec
# Every placeholder @NAME@ is a value of the table; each row replaces one of
# them with a hostile value and the others with their defaults. A place
# marked raw takes dcomm syntax (a number), the others a string literal.
DEFAULTS = {
    "SITE": "kyiv", "DOMAIN": "kyiv.dcomm.net.ua",
    "ONION": "xzfnbli7vzn42xsgccmylqioek67stj44wuvlop4vt2xxdxu55aixlad.onion",
    "COUNTRY": "UA", "EMAIL": "ops@dcomm.net.ua",
    "NODE": "worker", "LABEL_KEY": "dwebstackdomain", "LABEL_VALUE": "kyiv.dcomm.net.ua",
    "SERVICE": "element", "SYNAPSE_HOST": "matrix", "ELEMENT_HOST": "chat", "BRAND": "Kyiv Chat",
    "ROOM": "lviv.dcomm.net.ua", "ROOT": "/var/www/dcomms", "TOKEN_USES": "100000",
    "KIND": "etherpad", "KIND_DOC": "Etherpad", "IMAGE": "etherpad/etherpad:2.2.6",
    "ENV_KEY": "TITLE", "ENV_VALUE": "pad", "TITLE": "Kyiv pad",
    "VOLUME_KEY": "data", "VOLUME_TARGET": "/opt/etherpad-lite/var",
    "ROUTE_HOST": "pad", "ROUTE_PATH": "/pad*",
    "IMAGES_FROM": "caddy:2.11.4-alpine", "IMAGES_TO": "registry.local:5000/caddy:2.11.4-alpine",
}
RAW = {"TOKEN_USES"}

SPEC = """
kind @KIND@ {
  doc     = @KIND_DOC@
  image   = @IMAGE@
  memory  = 256M
  ports   = [9001/tcp]
  volumes = { @VOLUME_KEY@ = @VOLUME_TARGET@ }
  env     = { @ENV_KEY@ = @ENV_VALUE@, PAD_TITLE = title }
  needs   = [caddy]
  attribute "title" {
    type    = string
    default = "Etherpad"
  }
  route "web" {
    host  = @ROUTE_HOST@
    paths = [@ROUTE_PATH@]
    port  = 9001/tcp
  }
}

site @SITE@ {
  domain  = @DOMAIN@
  onion   = @ONION@
  tls     = acme(@EMAIL@)
  country = @COUNTRY@
  images  = { @IMAGES_FROM@ = @IMAGES_TO@ }

  node @NODE@ {
    labels = { @LABEL_KEY@ = @LABEL_VALUE@ }
  }
  node "bridge" {
    labels = { dwebstackrole = "bridge" }
  }

  service "synapse" {
    kind = synapse
    host = @SYNAPSE_HOST@
    on   = node.@NODE_REF@
  }
  service @SERVICE@ {
    kind           = element
    host           = @ELEMENT_HOST@
    brand          = @BRAND@
    room_directory = [@ROOM@]
    on             = node.@NODE_REF@
  }
  service "mail" {
    kind       = deltachat
    token_uses = @TOKEN_USES@
    on         = node.@NODE_REF@
  }
  service "bots" {
    kind = maubot
    on   = node.@NODE_REF@
  }
  service "web" {
    kind = website
    root = @ROOT@
    on   = node.@NODE_REF@
  }
  service "pad" {
    kind  = @KIND_REF@
    title = @TITLE@
    on    = node.@NODE_REF@
  }
  service "bridge" {
    kind = ceno
    on   = node.bridge
  }
}
"""

def literal(text):
    """A dcomm string literal holding exactly `text`."""
    out = []
    for ch in text:
        if ch == '"': out.append('\\"')
        elif ch == "\\": out.append("\\\\")
        elif ch == "\n": out.append("\\n")
        elif ch == "\t": out.append("\\t")
        elif ch == "\r": out.append("\\r")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F: out.append("\\u{%X}" % ord(ch))
        else: out.append(ch)
    return '"' + "".join(out) + '"'

def spec_with(place, value):
    values = dict(DEFAULTS)
    values[place] = value
    text = SPEC
    # References name the node and the kind bare, so they follow the
    # defaults when a hostile value is not a name (the row then fails
    # for the literal, which is what it tests).
    name = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*$")
    text = text.replace("@NODE_REF@", values["NODE"] if name.match(values["NODE"]) else "worker")
    text = text.replace("@KIND_REF@", values["KIND"] if name.match(values["KIND"]) else "etherpad")
    for key, val in values.items():
        text = text.replace("@%s@" % key, val if key in RAW else literal(val))
    return text

# ------------------------------------------------------------------ the values
LONG = "a" * 5000
HOSTILE = {
    "newline":   "x\n" + CANARY + " y",
    "cr":        "x\r" + CANARY,
    "brace":     "x{" + CANARY + "}",
    "close":     "x }\n" + CANARY + " {",
    "dquote":    'x"' + CANARY,
    "squote":    "x'" + CANARY,
    "hash":      "x #" + CANARY,
    "env":       "${HOME}",
    "caddy-env": "{$HOME}",
    "subst":     "$(id)",
    "backtick":  "`id`",
    "anchor":    "&a " + CANARY,
    "alias":     "*a",
    "colon":     "x: " + CANARY,
    "dash":      "- " + CANARY,
    "percent":   "%(asctime)s %d",
    "backslash": "x\\" + CANARY,
    "unicode":   "Київ ☃ \u202e",
    "long":      LONG,
    "empty":     "",
    "dots":      "../../etc",
}

# ------------------------------------------------------------------ the table
# (place, value name, expected). Where the place only takes a validated
# token (a DNS name, an image reference, a path), every hostile value is
# rejected; free text (brand, title, env values, kind doc) is rendered inert.
def rows():
    yield "NONE", "defaults", "inert"  # the spec as it is must build
    free_text = ["BRAND", "TITLE", "ENV_VALUE", "KIND_DOC", "ROOM", "VOLUME_TARGET"]
    tokens = ["DOMAIN", "ONION", "COUNTRY", "EMAIL", "LABEL_KEY", "LABEL_VALUE",
              "SYNAPSE_HOST", "ELEMENT_HOST", "ROUTE_HOST", "ROUTE_PATH", "ROOT",
              "IMAGE", "IMAGES_FROM", "IMAGES_TO"]
    names = ["SITE", "NODE", "SERVICE", "KIND", "ENV_KEY", "VOLUME_KEY"]
    for place in free_text:
        for value in HOSTILE:
            # A line break or a carriage return is a control character,
            # which no string attribute takes (E0311). Everything else is
            # free text, written through a YAML or JSON library.
            expected = "reject" if value in ("newline", "cr", "close") else "inert"
            if place in ("ROOM", "VOLUME_TARGET") and expected == "inert":
                expected = "either"  # a server name / a path: checking it is better still
            yield place, value, expected
    for place in tokens:
        for value in HOSTILE:
            expected = "reject"
            # A node label value may hold . - _ : / @, and neither has a length
            # limit: harmless in a constraint and a single-quoted shell word.
            if place.startswith("LABEL_") and value in ("long", "dots"):
                expected = "either"
            yield place, value, expected
    for place in names:
        for value in HOSTILE:
            yield place, value, "either"
    # Numbers where numbers go.
    for raw, expected in [("-1", "either"), ("0", "either"), ("9223372036854775807", "either"),
                          ('"100"', "reject"), ("1e9", "reject")]:
        yield "TOKEN_USES", raw, expected

# ------------------------------------------------------------------ checks
def tool(name, artifact, site_dir):
    """Runs one validator of tests/validate/run.sh: None if it passed or
    is not installed, else its complaint."""
    if not os.path.exists(validate):
        return None
    r = subprocess.run(["bash", validate, name, artifact, site_dir],
                       capture_output=True, text=True)
    if r.returncode in (0, 77):
        return None
    return "%s %s: %s" % (name, artifact, (r.stderr or r.stdout).strip()[-400:])

def check_inert(out, place, value):
    problems = []
    sites = [d for d in os.listdir(out) if os.path.isdir(os.path.join(out, d))]
    if len(sites) != 1:
        return ["expected one site folder, found %r" % sites]
    site_dir = os.path.join(out, sites[0])
    if os.path.realpath(site_dir) != os.path.join(os.path.realpath(out), sites[0]):
        problems.append("site folder escapes OUT")
    files = []
    for base, _, names in os.walk(site_dir):
        files += [os.path.join(base, n) for n in names]
    for path in files:
        rel = os.path.relpath(path, site_dir)
        data = open(path, "rb").read().decode("utf-8", "replace")
        if any(line.lstrip().startswith(CANARY) for line in data.split("\n")):
            problems.append("%s: a line starts with the canary" % rel)
        if rel.endswith((".yml", ".yaml", ".config")):
            try:
                yaml.safe_load(data)
            except yaml.YAMLError as e:
                problems.append("%s: YAML: %s" % (rel, str(e).splitlines()[0]))
        if rel.endswith(".json"):
            try:
                json.loads(data)
            except ValueError as e:
                problems.append("%s: JSON: %s" % (rel, e))
    # The real parsers, where installed.
    for name, artifact in [("caddy", "caddyfile"), ("sh", "labels"), ("sh", "mailadm"), ("sh", "dovecot-start"),
                           ("tor", "tor"), ("named-checkzone", "dns"), ("nginx", "element-nginx")]:
        if os.path.exists(os.path.join(site_dir, {"caddyfile": "caddy/Caddyfile", "labels": "labels.sh",
                                                  "mailadm": "mailadm/start.sh", "dovecot-start": "dovecot/start.sh",
                                                  "tor": "tor/torrc", "dns": "dns.zone",
                                                  "element-nginx": "element/nginx.conf"}[artifact])):
            complaint = tool(name, artifact, site_dir)
            if complaint: problems.append(complaint)
    # Verbatim where a parser gives the value back.
    try:
        stack = yaml.safe_load(open(os.path.join(site_dir, "stack.yml")))
        stack["services"]["pad"]["environment"]
    except Exception:
        return problems or ["stack.yml does not parse, or lost service pad"]
    if place == "ENV_VALUE":
        env = stack["services"]["pad"]["environment"]
        if env.get(DEFAULTS["ENV_KEY"]) not in (value, value.replace("$", "$$")):
            problems.append("stack.yml: env value %r came out as %r" % (value, env.get("TITLE")))
    if place == "TITLE":
        if stack["services"]["pad"]["environment"].get("PAD_TITLE") not in (value, value.replace("$", "$$")):
            problems.append("stack.yml: title did not arrive verbatim")
    if place == "ENV_VALUE" or place == "TITLE":
        # Compose interpolates `$`: the escaped value must hold no lone `$`.
        for v in stack["services"]["pad"]["environment"].values():
            if re.search(r"(?<!\$)\$(?!\$)", v.replace("$$", "")):
                problems.append("stack.yml: an unescaped $ in %r" % v)
    if place == "BRAND":
        config = json.load(open(os.path.join(site_dir, "element/config.json")))
        if config.get("brand") != value:
            problems.append("config.json: brand %r came out as %r" % (value, config.get("brand")))
    if place == "LABEL_VALUE" or place == "LABEL_KEY":
        problems += labels_verbatim(site_dir, place, value)
    return problems

def labels_verbatim(site_dir, place, value):
    """Runs labels.sh with a fake docker that prints its arguments."""
    with tempfile.TemporaryDirectory() as bin_dir:
        fake = os.path.join(bin_dir, "docker")
        with open(fake, "w") as f:
            f.write('#!/bin/sh\nfor a in "$@"; do printf "%s\\0" "$a"; done\n')
        os.chmod(fake, 0o755)
        env = dict(os.environ, PATH=bin_dir + ":" + os.environ["PATH"], NODE_WORKER="n1", NODE_BRIDGE="n2")
        env.update({k: "nX" for k in []})
        # Every NODE_ variable the script asks for.
        text = open(os.path.join(site_dir, "labels.sh")).read()
        for var in re.findall(r'"\$\{(NODE_[A-Z0-9_]+):-\}"', text):
            env.setdefault(var, "n-" + var)
        r = subprocess.run(["sh", os.path.join(site_dir, "labels.sh")], capture_output=True, env=env)
        if r.returncode != 0:
            return ["labels.sh exited %d: %s" % (r.returncode, r.stderr.decode()[-300:])]
        args = r.stdout.decode("utf-8", "replace").split("\0")
        key = value if place == "LABEL_KEY" else DEFAULTS["LABEL_KEY"]
        val = value if place == "LABEL_VALUE" else DEFAULTS["LABEL_VALUE"]
        if key + "=" + val not in args:
            return ["labels.sh: the label did not reach docker verbatim"]
    return []

# ------------------------------------------------------------------ run
def run_row(work, index, place, name, expected):
    """Builds one row's spec and judges the outcome: (place, value name,
    expected, outcome, detail, ok)."""
    value = DEFAULTS["SITE"] if place == "NONE" else HOSTILE.get(name, name) if place != "TOKEN_USES" else name
    spec_path = os.path.join(work, "case%d.dcomm" % index)
    out = os.path.join(work, "out%d" % index)
    text = spec_with("SITE" if place == "NONE" else place, value)
    open(spec_path, "w", encoding="utf-8").write(text)
    r = subprocess.run([dcommc, spec_path, "-o", out], capture_output=True)
    stderr = r.stderr.decode("utf-8", "replace")
    if r.returncode == 1 and re.search(r"error\[E\d{4}\]", stderr):
        outcome, detail = "reject", re.search(r"error\[(E\d{4})\]", stderr).group(1)
        if os.path.exists(out):
            outcome, detail = "BROKEN", "rejected, but OUT was created"
    elif r.returncode == 0:
        problems = check_inert(out, place, value)
        outcome, detail = ("inert", "") if not problems else ("BROKEN", "; ".join(problems))
    else:
        outcome, detail = "BROKEN", "exit %d: %s" % (r.returncode, stderr.strip()[-300:])
    ok = outcome != "BROKEN" and (expected == "either" or outcome == expected)
    shutil.rmtree(out, ignore_errors=True)
    return (place, name, expected, outcome, detail, ok)

work = tempfile.mkdtemp()
try:
    selected = [(index, row) for index, row in enumerate(rows())
                if (not only or row[0] == only) and index % shards == shard]
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        results = list(pool.map(lambda item: run_row(work, item[0], *item[1]), selected))
finally:
    shutil.rmtree(work, ignore_errors=True)

failures = 0
for place, name, expected, outcome, detail, ok in results:
    label = name if len(name) <= 20 else name[:17] + "..."
    print("%s %-14s %-20s expected %-6s got %-6s %s" % ("ok  " if ok else "FAIL", place, label, expected,
                                                        outcome, detail[:300]))
    failures += 0 if ok else 1
summary = {}
for place, _, _, outcome, _, _ in results:
    summary.setdefault(place, {}).setdefault(outcome, 0)
    summary[place][outcome] += 1
print("\nsummary by place:")
for place, counts in summary.items():
    print("  %-14s %s" % (place, ", ".join("%s %d" % kv for kv in sorted(counts.items()))))
print("injection: %d rows%s, %d failure(s)" % (len(results), " (shard %d/%d)" % (shard, shards) if shards > 1 else "",
                                                failures))
sys.exit(1 if failures else 0)
PYTHON
